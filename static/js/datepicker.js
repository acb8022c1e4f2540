/* A small calendar for <input data-datepicker> (core/widgets.py VietnameseDateInput).
 * The input stays a plain dd/mm/yyyy text field (typing always works; the server
 * validates); this adds a button that opens a month grid with the month and day names
 * the widget passed in data-datepicker (translated on the server). Keyboard: arrows move
 * by day/week, PageUp/PageDown by month, Enter/Space picks, Escape closes.
 * No dependencies, no inline script or style (CSP). */
(function () {
  "use strict";

  function pad(n) { return (n < 10 ? "0" : "") + n; }
  function format(d) { return pad(d.getDate()) + "/" + pad(d.getMonth() + 1) + "/" + d.getFullYear(); }
  function parse(text) {
    var m = /^\s*(\d{1,2})\/(\d{1,2})\/(\d{4})\s*$/.exec(text || "");
    if (!m) return null;
    var d = new Date(+m[3], +m[2] - 1, +m[1]);
    return d.getMonth() === +m[2] - 1 ? d : null;
  }
  function sameDay(a, b) {
    return a && b && a.getFullYear() === b.getFullYear() && a.getMonth() === b.getMonth() && a.getDate() === b.getDate();
  }

  function setup(input) {
    var labels = JSON.parse(input.getAttribute("data-datepicker") || "{}");
    var wrap = document.createElement("div");
    wrap.className = "datepicker-wrap";
    // The server's error message follows the input (Bootstrap shows it as the sibling of
    // an .is-invalid field); once the input is wrapped, the wrapper carries the flag.
    if (input.classList.contains("is-invalid")) wrap.classList.add("has-error");
    input.parentNode.insertBefore(wrap, input);
    wrap.appendChild(input);

    var button = document.createElement("button");
    button.type = "button";
    button.className = "btn btn-outline-secondary datepicker-toggle";
    button.setAttribute("aria-label", labels.open || "");
    button.setAttribute("aria-expanded", "false");
    button.innerHTML = '<svg aria-hidden="true" focusable="false" width="16" height="16" viewBox="0 0 16 16">' +
      '<rect x="1.5" y="2.5" width="13" height="12" rx="1" fill="none" stroke="currentColor"/>' +
      '<path d="M1.5 6h13M5 1v3M11 1v3" stroke="currentColor"/></svg>';
    wrap.appendChild(button);

    var popup = document.createElement("div");
    popup.className = "datepicker-popup";
    popup.setAttribute("role", "dialog");
    popup.hidden = true;
    wrap.appendChild(popup);

    var shown = null; // first day of the month on screen
    var focused = null; // the day with the keyboard focus

    function close(returnFocus) {
      popup.hidden = true;
      button.setAttribute("aria-expanded", "false");
      if (returnFocus) button.focus();
    }

    function pick(d) {
      input.value = format(d);
      input.dispatchEvent(new Event("input", { bubbles: true }));
      input.dispatchEvent(new Event("change", { bubbles: true }));
      close(false);
      input.focus();
    }

    function render() {
      var title = (labels.months || [])[shown.getMonth()] + " " + shown.getFullYear();
      popup.setAttribute("aria-label", title);
      popup.innerHTML = "";
      var head = document.createElement("div");
      head.className = "datepicker-head";
      var prev = document.createElement("button");
      prev.type = "button";
      prev.className = "btn btn-sm btn-outline-secondary";
      prev.textContent = "\u2039";
      prev.setAttribute("aria-label", labels.prev || "");
      prev.addEventListener("click", function () { move(0, -1); });
      var caption = document.createElement("p");
      caption.className = "datepicker-title mb-0";
      caption.setAttribute("aria-live", "polite");
      caption.textContent = title;
      var next = document.createElement("button");
      next.type = "button";
      next.className = "btn btn-sm btn-outline-secondary";
      next.textContent = "\u203a";
      next.setAttribute("aria-label", labels.next || "");
      next.addEventListener("click", function () { move(0, 1); });
      head.appendChild(prev); head.appendChild(caption); head.appendChild(next);
      popup.appendChild(head);

      var table = document.createElement("table");
      table.className = "datepicker-grid";
      table.setAttribute("role", "grid");
      var thead = table.createTHead().insertRow();
      (labels.days || []).forEach(function (name, i) {
        var th = document.createElement("th");
        th.scope = "col";
        th.textContent = name;
        if (labels.dayNames) th.title = labels.dayNames[i];
        thead.appendChild(th);
      });
      var body = table.createTBody();
      var selected = parse(input.value);
      var today = new Date();
      var offset = (shown.getDay() + 6) % 7; // Monday first
      var day = new Date(shown.getFullYear(), shown.getMonth(), 1 - offset);
      for (var w = 0; w < 6; w++) {
        var row = body.insertRow();
        for (var i = 0; i < 7; i++) {
          var cell = row.insertCell();
          if (day.getMonth() === shown.getMonth()) {
            var b = document.createElement("button");
            b.type = "button";
            b.className = "datepicker-day";
            b.textContent = day.getDate();
            b.setAttribute("data-date", format(day));
            b.setAttribute("aria-label", format(day));
            b.tabIndex = sameDay(day, focused) ? 0 : -1;
            if (sameDay(day, selected)) { b.classList.add("is-selected"); b.setAttribute("aria-pressed", "true"); }
            if (sameDay(day, today)) { b.classList.add("is-today"); b.setAttribute("aria-current", "date"); }
            (function (d) { b.addEventListener("click", function () { pick(d); }); })(new Date(day));
            cell.appendChild(b);
          }
          day.setDate(day.getDate() + 1);
        }
      }
      popup.appendChild(table);

      var foot = document.createElement("div");
      foot.className = "datepicker-foot";
      var todayButton = document.createElement("button");
      todayButton.type = "button";
      todayButton.className = "btn btn-sm btn-link";
      todayButton.textContent = labels.today || "";
      todayButton.addEventListener("click", function () { pick(new Date()); });
      var closeButton = document.createElement("button");
      closeButton.type = "button";
      closeButton.className = "btn btn-sm btn-link";
      closeButton.textContent = labels.close || "";
      closeButton.addEventListener("click", function () { close(true); });
      foot.appendChild(todayButton); foot.appendChild(closeButton);
      popup.appendChild(foot);
    }

    function focusDay() {
      var el = popup.querySelector('[data-date="' + format(focused) + '"]');
      if (el) el.focus();
    }

    function move(days, months) {
      if (months) {
        var last = new Date(focused.getFullYear(), focused.getMonth() + months + 1, 0).getDate();
        focused = new Date(focused.getFullYear(), focused.getMonth() + months, Math.min(focused.getDate(), last));
      } else {
        focused = new Date(focused.getFullYear(), focused.getMonth(), focused.getDate() + days);
      }
      shown = new Date(focused.getFullYear(), focused.getMonth(), 1);
      render();
      focusDay();
    }

    function open() {
      focused = parse(input.value) || new Date();
      shown = new Date(focused.getFullYear(), focused.getMonth(), 1);
      render();
      popup.hidden = false;
      button.setAttribute("aria-expanded", "true");
      focusDay();
    }

    button.addEventListener("click", function () { if (popup.hidden) open(); else close(true); });
    popup.addEventListener("keydown", function (e) {
      var keys = { ArrowLeft: [-1, 0], ArrowRight: [1, 0], ArrowUp: [-7, 0], ArrowDown: [7, 0], PageUp: [0, -1], PageDown: [0, 1] };
      if (e.key === "Escape") { e.preventDefault(); close(true); return; }
      if (keys[e.key] && e.target.classList.contains("datepicker-day")) {
        e.preventDefault();
        move(keys[e.key][0], keys[e.key][1]);
      }
    });
    document.addEventListener("click", function (e) {
      if (!popup.hidden && !wrap.contains(e.target)) close(false);
    });
  }

  function init() {
    Array.prototype.forEach.call(document.querySelectorAll("input[data-datepicker]"), function (input) {
      if (!input.hasAttribute("data-datepicker-ready")) {
        input.setAttribute("data-datepicker-ready", "");
        setup(input);
      }
    });
  }

  if (document.readyState === "loading") document.addEventListener("DOMContentLoaded", init);
  else init();
})();
