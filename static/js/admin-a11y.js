/* Accessibility fixes for widgets Django's admin builds in JavaScript.
 * SelectFilter2 puts aria-label on a bare <span> (search icon), which ARIA forbids
 * (axe: aria-prohibited-attr); give it the img role its label describes. */
(function () {
  "use strict";
  function fix(root) {
    Array.prototype.forEach.call(root.querySelectorAll("span[aria-label]:not([role])"), function (el) {
      el.setAttribute("role", "img");
    });
  }
  function start() {
    fix(document);
    new MutationObserver(function () { fix(document); }).observe(document.body, { childList: true, subtree: true });
  }
  if (document.readyState === "loading") document.addEventListener("DOMContentLoaded", start);
  else start();
})();
