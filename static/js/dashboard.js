/* Dashboard charts: data from the json_script "dashboard-data"; each canvas names its chart. */
(function () {
  "use strict";
  var source = document.getElementById("dashboard-data");
  if (!source || typeof Chart === "undefined") {
    return;
  }
  var data = JSON.parse(source.textContent);
  var colours = ["#b71c1c", "#1565c0", "#ef6c00", "#2e7d32", "#6a1b9a", "#00838f"];
  function axis(title, extra) {
    var scale = { beginAtZero: true, ticks: { precision: 0 } };
    if (title) {
      scale.title = { display: true, text: title };
    }
    return Object.assign(scale, extra || {});
  }
  document.querySelectorAll("canvas[data-chart]").forEach(function (canvas) {
    var chart = data[canvas.dataset.chart];
    if (!chart) {
      return;
    }
    var type = canvas.dataset.type || "bar";
    var axes = chart.axes || {};
    var scales = { y: axis(axes.left) };
    if (chart.series.some(function (series) { return series.axis === "right"; })) {
      scales.right = axis(axes.right, { position: "right", grid: { drawOnChartArea: false } });
    }
    new Chart(canvas, {
      type: type,
      data: {
        labels: chart.labels,
        datasets: chart.series.map(function (series, i) {
          return {
            label: series.label,
            data: series.data,
            borderColor: colours[i % colours.length],
            backgroundColor: colours[i % colours.length],
            yAxisID: series.axis === "right" ? "right" : "y",
            tension: 0.2
          };
        })
      },
      options: {
        // Numbers on the axes and in the tooltips grouped as the page's language writes
        // them (160.000 in Vietnamese), like the figures around the charts.
        locale: document.documentElement.lang || undefined,
        responsive: true,
        maintainAspectRatio: false,
        animation: false,
        scales: scales
      }
    });
    canvas.dataset.rendered = "1";
  });
})();
