// Small behaviours of every page (no library beyond the vendored Bootstrap and htmx).
(function () {
  "use strict";

  // The language menu: its items are plain buttons (a page's own submit button stays the first one in the
  // document); choosing one posts the language to Django's set_language.
  document.addEventListener("click", function (event) {
    var item = event.target.closest("[data-pv-language]");
    if (!item) return;
    var form = item.closest("form");
    form.elements.language.value = item.value;
    form.submit();
  });
})();
