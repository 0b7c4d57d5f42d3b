/* Waakvlam's only script of its own (CSP: script-src 'self', nothing inline).
   After a failed submit, move the focus to the error summary so screen-reader and keyboard users start
   there, as NL Design System's form guidance asks. Everything works without it. */
(function () {
  "use strict";
  function focusErrorSummary() {
    var summary = document.querySelector("[data-error-summary]");
    if (summary) {
      summary.focus();
    }
  }
  if (document.readyState === "loading") {
    document.addEventListener("DOMContentLoaded", focusErrorSummary);
  } else {
    focusErrorSummary();
  }
})();
