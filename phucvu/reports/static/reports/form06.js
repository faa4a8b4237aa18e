// Form 06 by agency: a unit's row unfolds to the units under it. The first unfolding fetches their rows
// (htmx, `hx-trigger="click once"` on the button); after that the button only shows or hides them.
(function () {
  "use strict";
  var table = document.getElementById("form06");
  if (!table) return;

  function children(ref) { return table.querySelectorAll('tr[data-pv-parent="' + ref + '"]'); }

  function show(ref, visible) {
    children(ref).forEach(function (row) {
      row.hidden = !visible;
      var button = row.querySelector("[data-pv-fold]");
      // Hiding hides every row below; showing brings back the rows of units that were left unfolded open.
      if (button && button.dataset.loaded && (!visible || button.getAttribute("aria-expanded") === "true")) {
        show(button.dataset.pvFold, visible);
      }
    });
  }

  table.addEventListener("click", function (event) {
    var button = event.target.closest("[data-pv-fold]");
    if (!button) return;
    var open = button.getAttribute("aria-expanded") !== "true";
    button.setAttribute("aria-expanded", open ? "true" : "false");
    if (button.dataset.loaded) show(button.dataset.pvFold, open);
  });
  table.addEventListener("htmx:afterRequest", function (event) {
    var button = event.detail.elt;
    if (button && button.dataset && button.dataset.pvFold && event.detail.successful) button.dataset.loaded = "1";
  });
})();
