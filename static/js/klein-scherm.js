// Small screens (issue 19). Loaded as a file: the Content-Security-Policy allows no inline script.
// 1. The main menu is a <details> (works without JavaScript): closed behind a "Menu" button on
//    a phone, always open on a wide screen. This keeps it open when the screen is wide, for
//    browsers without ::details-content (see static/css/eenplan.css).
// 2. On a phone a table becomes a stack of cards (CSS); each cell gets its column's name as
//    data-label, which the CSS shows above the value. Without JavaScript the cards have no labels.
(function () {
  "use strict";
  var menu = document.querySelector("[data-ep-menu]");
  if (menu && window.matchMedia) {
    var wide = window.matchMedia("(min-width: 48em)");
    var sync = function () { if (wide.matches) menu.open = true; };
    sync();
    if (wide.addEventListener) wide.addEventListener("change", sync);
  }
  Array.prototype.forEach.call(document.querySelectorAll("table.utrecht-table"), function (table) {
    var heads = table.querySelectorAll("thead th");
    if (!heads.length) return;
    Array.prototype.forEach.call(table.querySelectorAll("tbody tr"), function (row) {
      Array.prototype.forEach.call(row.children, function (cell, i) {
        var label = heads[i] ? heads[i].textContent.trim() : "";
        if (label && !cell.hasAttribute("data-label")) cell.setAttribute("data-label", label);
      });
    });
  });
})();
