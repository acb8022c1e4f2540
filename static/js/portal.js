/* Small enhancements on every page (loaded by templates/base.html). No inline script (CSP).
 * Tables wider than the screen scroll inside their .table-responsive box; keyboard users
 * must be able to scroll it too (WCAG 2.1.1, axe: scrollable-region-focusable), so a box
 * that overflows becomes focusable and is named after its table's heading. */
(function () {
  "use strict";
  function label(box) {
    var table = box.querySelector("table");
    if (table && table.caption) return table.caption.textContent.trim();
    var section = box.closest("section[aria-labelledby]");
    if (section) {
      var heading = document.getElementById(section.getAttribute("aria-labelledby"));
      if (heading) return heading.textContent.trim();
    }
    for (var el = box.previousElementSibling; el; el = el.previousElementSibling) {
      if (/^H[1-6]$/.test(el.tagName)) return el.textContent.trim();
    }
    var h1 = document.querySelector("main h1");
    return h1 ? h1.textContent.trim() : "";
  }
  function update() {
    Array.prototype.forEach.call(document.querySelectorAll(".table-responsive"), function (box) {
      if (box.scrollWidth > box.clientWidth + 1) {
        if (!box.hasAttribute("tabindex")) {
          box.setAttribute("data-scroll-region", "auto");
          box.setAttribute("tabindex", "0");
          box.setAttribute("role", "region");
          if (!box.hasAttribute("aria-label")) box.setAttribute("aria-label", label(box));
        }
      } else if (box.getAttribute("data-scroll-region") === "auto") {
        ["data-scroll-region", "tabindex", "role", "aria-label"].forEach(function (a) { box.removeAttribute(a); });
      }
    });
  }
  if (document.readyState === "loading") document.addEventListener("DOMContentLoaded", update);
  else update();
  window.addEventListener("resize", update);
})();
