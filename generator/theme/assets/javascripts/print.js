/*
 * Printing (issue 4): a printed policy or decision tree must show everything, but CSS cannot
 * open a collapsed <details> in every browser. Before printing, open every closed <details>;
 * after printing, close again the ones this script opened. Print preview and "Save as PDF" fire
 * the same events; matchMedia("print") also catches printing without beforeprint (and emulated
 * print media in the browser tests). site.css also shows closed details' content in print for
 * browsers that support ::details-content, for when scripts are off.
 */
(function () {
  "use strict";

  var opened = [];

  function openAll() {
    document.querySelectorAll("details:not([open])").forEach(function (details) {
      details.open = true;
      opened.push(details);
    });
  }

  function restore() {
    opened.forEach(function (details) {
      details.open = false;
    });
    opened = [];
  }

  window.addEventListener("beforeprint", openAll);
  window.addEventListener("afterprint", restore);
  if (window.matchMedia) {
    var print = window.matchMedia("print");
    var onChange = function (event) {
      if (event.matches) openAll();
      else restore();
    };
    if (print.addEventListener) print.addEventListener("change", onChange);
    else if (print.addListener) print.addListener(onChange);
  }
})();
