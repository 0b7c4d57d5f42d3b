/* Waakvlam's only script of its own (CSP: script-src 'self', nothing inline).
   After a failed submit, move the focus to the error summary so screen-reader and keyboard users start
   there, as NL Design System's form guidance asks. On a phone, fold the main menu behind a "Menu"
   button (the stylesheet collapses it only when this script has marked the page with "js").
   Everything works without it. */
(function () {
  "use strict";
  document.documentElement.classList.add("js");
  function collapsibleNav() {
    var nav = document.querySelector("[data-collapsible-nav]");
    var toggle = nav && nav.querySelector(".main-nav__toggle");
    if (!toggle) {
      return;
    }
    toggle.addEventListener("click", function () {
      var open = toggle.getAttribute("aria-expanded") !== "true";
      toggle.setAttribute("aria-expanded", open ? "true" : "false");
      nav.classList.toggle("main-nav--open", open);
    });
  }
  function focusErrorSummary() {
    var summary = document.querySelector("[data-error-summary]");
    if (summary) {
      summary.focus();
    }
  }
  function start() {
    collapsibleNav();
    focusErrorSummary();
  }
  if (document.readyState === "loading") {
    document.addEventListener("DOMContentLoaded", start);
  } else {
    start();
  }
})();
