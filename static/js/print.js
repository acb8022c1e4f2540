/* The print view's "In" button (templates/print_base.html): opens the browser's print
 * dialog. A file of its own: the CSP allows no inline script. */
(function () {
  "use strict";
  document.addEventListener("DOMContentLoaded", function () {
    Array.prototype.forEach.call(document.querySelectorAll("[data-print]"), function (button) {
      button.addEventListener("click", function () { window.print(); });
    });
  });
})();
