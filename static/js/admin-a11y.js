/* Accessibility fixes for Django's admin.
 * - SelectFilter2 puts aria-label on a bare <span> (search icon), which ARIA forbids
 *   (axe: aria-prohibited-attr); give it the img role its label describes.
 * - Tabular inlines label their inputs only by the column header (axe: label,
 *   select-name); name each input after its column. */
(function () {
  "use strict";
  function fix(root) {
    Array.prototype.forEach.call(root.querySelectorAll("span[aria-label]:not([role])"), function (el) {
      el.setAttribute("role", "img");
    });
    Array.prototype.forEach.call(root.querySelectorAll(".tabular table"), function (table) {
      var heads = table.tHead ? table.tHead.rows[0].cells : [];
      var byName = {}, deleteLabel = "";
      Array.prototype.forEach.call(heads, function (th) {
        var m = /(?:^|\s)column-(\S+)/.exec(th.className);
        if (m) byName[m[1]] = th.textContent.trim();
        else if (th.textContent.trim()) deleteLabel = th.textContent.trim();
      });
      Array.prototype.forEach.call(table.querySelectorAll("tbody td"), function (td) {
        var m = /(?:^|\s)field-(\S+)/.exec(td.className);
        var name = m ? byName[m[1]] : (td.classList.contains("delete") ? deleteLabel : "");
        if (!name) return;
        Array.prototype.forEach.call(td.querySelectorAll("input:not([type=hidden]), select, textarea"), function (input) {
          if (!(input.labels && input.labels.length) && !input.hasAttribute("aria-label")) input.setAttribute("aria-label", name);
        });
      });
    });
  }
  function start() {
    fix(document);
    new MutationObserver(function () { fix(document); }).observe(document.body, { childList: true, subtree: true });
  }
  if (document.readyState === "loading") document.addEventListener("DOMContentLoaded", start);
  else start();
})();
