/* Draws the insight page's map and trend chart from their JSON data islands (CSP: no inline script).
   The figures are static pictures (no hover-only information, no toolbar): every value is also in the
   table next to the chart, which keyboard and screen-reader users read instead. */
(function () {
  "use strict";
  function draw() {
    if (typeof window.Plotly === "undefined") {
      return;
    }
    document.querySelectorAll("[data-plot]").forEach(function (target) {
      var island = document.getElementById(target.getAttribute("data-plot"));
      if (!island) {
        return;
      }
      var figure = JSON.parse(island.textContent);
      window.Plotly.newPlot(target, figure.data, figure.layout, {
        staticPlot: true,
        displayModeBar: false,
        responsive: true
      });
    });
  }
  if (document.readyState === "loading") {
    document.addEventListener("DOMContentLoaded", draw);
  } else {
    draw();
  }
})();
