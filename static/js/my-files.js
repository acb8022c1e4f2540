/* "Tệp của tôi": while a file is being built, its progress is asked every two seconds;
 * when every file is finished the page is reloaded once, to show the download buttons. */
(function () {
  "use strict";
  var table = document.getElementById("my-files");
  if (!table || !table.hasAttribute("data-active")) return;
  var url = table.getAttribute("data-status-url");
  function pending() {
    return Array.prototype.filter.call(table.querySelectorAll("tr[data-job]"), function (row) {
      var status = row.getAttribute("data-status");
      return status === "queued" || status === "running";
    });
  }
  function poll() {
    var rows = pending();
    if (!rows.length) return;
    var query = rows.map(function (row) { return "id=" + row.getAttribute("data-job"); }).join("&");
    fetch(url + "?" + query, { credentials: "same-origin", headers: { Accept: "application/json" } })
      .then(function (response) { return response.json(); })
      .then(function (data) {
        var finished = false;
        data.jobs.forEach(function (job) {
          var row = table.querySelector('tr[data-job="' + job.id + '"]');
          if (!row) return;
          var bar = row.querySelector("[data-bar]");
          bar.value = job.percent;
          row.querySelector("[data-line]").textContent = job.line;
          if (job.status !== row.getAttribute("data-status") && (job.status === "done" || job.status === "failed")) finished = true;
          row.setAttribute("data-status", job.status);
        });
        if (finished) window.location.reload();
        else window.setTimeout(poll, 2000);
      })
      .catch(function () { window.setTimeout(poll, 5000); });
  }
  window.setTimeout(poll, 2000);
})();
