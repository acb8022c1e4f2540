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

/* A chooser above a record's form (templates/includes/_choose_first.html) narrows what the
 * form's selects list. Without scripts it reloads the page with its choice, and whatever was
 * typed in the form is lost; with them, the page for that choice is fetched and only the
 * selects' options are taken from it, each keeping its choice when still listed. The address
 * takes the choice too, so the form posts to it as it would after a reload. */
(function () {
  "use strict";
  function relist(chooser, page) {
    Array.prototype.forEach.call(document.querySelectorAll('form[method="post"] select[id]'), function (select) {
      var fresh = page.getElementById(select.id);
      if (!fresh || fresh.tagName !== "SELECT") return;
      var chosen = Array.prototype.map.call(select.selectedOptions, function (option) { return option.value; });
      select.innerHTML = fresh.innerHTML;
      Array.prototype.forEach.call(select.options, function (option) {
        option.selected = chosen.indexOf(option.value) !== -1;
      });
      if (!select.multiple && select.selectedIndex === -1 && select.options.length) select.selectedIndex = 0;
    });
    // The chooser's own message (a commune refused) as the server drew it.
    var freshChooser = page.getElementById(chooser.id);
    Array.prototype.forEach.call(chooser.querySelectorAll(".text-danger"), function (el) { el.remove(); });
    if (freshChooser) {
      Array.prototype.forEach.call(freshChooser.querySelectorAll(".text-danger"), function (el) {
        var help = chooser.querySelector(".form-text");
        help.parentNode.insertBefore(document.importNode(el, true), help);
      });
    }
  }
  Array.prototype.forEach.call(document.querySelectorAll("form[data-choose-first]"), function (chooser) {
    chooser.addEventListener("submit", function (event) {
      if (!window.fetch || !window.DOMParser || !window.URLSearchParams) return;
      event.preventDefault();
      var query = new URLSearchParams(new FormData(chooser)).toString();
      var address = window.location.pathname + (query ? "?" + query : "");
      var status = chooser.querySelector("[data-relisted]");
      if (status) status.textContent = ""; // so that the same words are heard again
      chooser.setAttribute("aria-busy", "true");
      fetch(address, { credentials: "same-origin" })
        .then(function (response) {
          if (!response.ok) throw new Error(response.status);
          return response.text();
        })
        .then(function (html) {
          relist(chooser, new DOMParser().parseFromString(html, "text/html"));
          window.history.replaceState(null, "", address);
          chooser.removeAttribute("aria-busy");
          // Screen readers hear what a reload would have shown them (WCAG 4.1.3).
          if (status) status.textContent = status.getAttribute("data-relisted");
        })
        .catch(function () { chooser.submit(); }); // as without scripts
    });
  });
})();
