// Small behaviours of every page (no library beyond the vendored Bootstrap and htmx). Words shown to people
// come from the page (data-pv-* attributes on <body>, translated by the template), never from this file.
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

  // An htmx request that went well empties the element its trigger names in data-pv-clear-after (the
  // procedure picker's results once one is chosen). Here rather than in hx-on: the Content-Security-Policy
  // allows no inline script, and hx-on is one.
  document.addEventListener("htmx:afterRequest", function (event) {
    var trigger = event.target.closest && event.target.closest("[data-pv-clear-after]");
    if (!trigger || !event.detail.successful) return;
    var target = document.getElementById(trigger.getAttribute("data-pv-clear-after"));
    if (target) target.replaceChildren();
  });

  // Dates as people in Vietnam write them: dd/mm/yyyy (and dd/mm/yyyy hh:mm), in both languages.
  // A browser draws <input type="date"> in the format of its own interface language, so a Chrome in English
  // shows mm/dd/yyyy on a Vietnamese page whatever the page's lang says. Each date input is therefore
  // shown as a text field in dd/mm/yyyy beside a calendar button; the original input stays in the form,
  // hidden, and still sends yyyy-mm-dd (the server and the URLs do not change). Typing yyyy-mm-dd works too.
  var pad = function (n) { return (n < 10 ? "0" : "") + n; };

  function toText(iso, withTime) {
    var m = /^(\d{4})-(\d{2})-(\d{2})(?:T(\d{2}):(\d{2}))?/.exec(iso || "");
    if (!m) return "";
    return m[3] + "/" + m[2] + "/" + m[1] + (withTime && m[4] ? " " + m[4] + ":" + m[5] : "");
  }

  function toIso(text, withTime) {
    var s = (text || "").trim();
    if (!s) return "";
    var m = /^(\d{1,2})[\/.\-](\d{1,2})[\/.\-](\d{4})(?:[ ,T]+(\d{1,2})[:hg](\d{2}))?$/.exec(s) ||
            /^(\d{4})-(\d{1,2})-(\d{1,2})(?:[ T](\d{1,2}):(\d{2}))?$/.exec(s);
    if (!m) return null;
    var day, month, year;
    if (m[1].length === 4) { year = +m[1]; month = +m[2]; day = +m[3]; } else { day = +m[1]; month = +m[2]; year = +m[3]; }
    var check = new Date(Date.UTC(year, month - 1, day));
    if (check.getUTCFullYear() !== year || check.getUTCMonth() !== month - 1 || check.getUTCDate() !== day) return null;
    var iso = year + "-" + pad(month) + "-" + pad(day);
    if (!withTime) return iso;
    var hour = m[4] === undefined ? 0 : +m[4], minute = m[5] === undefined ? 0 : +m[5];
    if (hour > 23 || minute > 59) return null;
    return iso + "T" + pad(hour) + ":" + pad(minute);
  }

  function enhance(native) {
    if (native.dataset.pvDate) return;
    native.dataset.pvDate = "1";
    var withTime = native.type === "datetime-local";
    var body = document.body.dataset;
    var text = document.createElement("input");
    text.type = "text";
    text.className = native.className;
    text.inputMode = "numeric";
    text.autocomplete = "off";
    text.placeholder = withTime ? body.pvDatetimeFormat || "dd/mm/yyyy hh:mm" : body.pvDateFormat || "dd/mm/yyyy";
    text.required = native.required;
    text.disabled = native.disabled;
    text.value = toText(native.value, withTime);
    text.dataset.pvDateText = withTime ? "datetime" : "date";
    // The label and the tests name the field by its id: the visible field takes it over.
    if (native.id) { text.id = native.id; native.id = native.id + "-iso"; }
    ["aria-describedby", "aria-invalid", "title"].forEach(function (name) {
      if (native.hasAttribute(name)) text.setAttribute(name, native.getAttribute(name));
    });
    native.required = false;
    native.tabIndex = -1;
    native.setAttribute("aria-hidden", "true");
    native.classList.add("pv-date-native");

    var button = document.createElement("button");
    button.type = "button";
    button.className = "btn btn-outline-secondary" + (native.classList.contains("form-control-sm") ? " btn-sm" : "");
    button.setAttribute("aria-label", body.pvDatePick || "Chọn ngày");
    button.title = body.pvDatePick || "Chọn ngày";
    button.innerHTML = '<i class="bi bi-calendar3" aria-hidden="true"></i>';

    var group = document.createElement("div");
    group.className = "input-group flex-nowrap pv-date" + (native.classList.contains("form-control-sm") ? " input-group-sm" : "");
    native.parentNode.insertBefore(group, native);
    group.appendChild(text);
    group.appendChild(button);
    group.appendChild(native);

    // Typing: the hidden field follows at once, before the event reaches the form (htmx filters listen there).
    text.addEventListener("input", function () {
      var iso = toIso(text.value, withTime);
      native.value = iso || "";
      text.setCustomValidity(iso === null ? (body.pvDateInvalid || "dd/mm/yyyy") : "");
    });
    text.addEventListener("change", function () {
      var iso = toIso(text.value, withTime);
      if (iso) text.value = toText(iso, withTime);
    });
    // The calendar: the browser's own picker on the hidden field; its choice is written back as dd/mm/yyyy.
    button.addEventListener("click", function () {
      try { native.showPicker(); } catch (e) { text.focus(); }
    });
    native.addEventListener("change", function () {
      text.value = toText(native.value, withTime);
      text.setCustomValidity("");
    });
  }

  // A long list to choose from (a province's cadres, its agencies): a search box above it hides the options
  // that do not match every word typed, without accents or case ("nguyen van" finds "Nguyễn Văn"); the chosen
  // options and the empty choice stay. The box's label comes from the select's data-pv-filter.
  function plain(s) {
    return s.normalize("NFD").replace(/[\u0300-\u036f]/g, "").replace(/đ/g, "d").replace(/Đ/g, "D").toLowerCase();
  }

  function filterable(select) {
    if (select.dataset.pvFiltered) return;
    select.dataset.pvFiltered = "1";
    var box = document.createElement("input");
    box.type = "search";
    box.className = "form-control form-control-sm mb-1";
    box.placeholder = select.getAttribute("data-pv-filter");
    box.setAttribute("aria-label", select.getAttribute("data-pv-filter"));
    if (select.id) {
      box.id = select.id + "-filter";
      box.setAttribute("aria-controls", select.id);
    }
    var texts = Array.prototype.map.call(select.options, function (o) { return plain(o.text); });
    box.addEventListener("input", function () {
      var words = plain(box.value).split(/\s+/).filter(Boolean);
      Array.prototype.forEach.call(select.options, function (o, i) {
        o.hidden = !(!o.value || o.selected || words.every(function (w) { return texts[i].indexOf(w) !== -1; }));
      });
    });
    // Enter in the box filters; it does not send the form.
    box.addEventListener("keydown", function (event) { if (event.key === "Enter") event.preventDefault(); });
    select.parentNode.insertBefore(box, select);
  }

  function enhanceAll(root) {
    (root || document).querySelectorAll('input[type="date"], input[type="datetime-local"]').forEach(enhance);
    (root || document).querySelectorAll("select[data-pv-filter]").forEach(filterable);
  }
  enhanceAll(document);
  // Parts of pages swapped in by htmx (action forms, filtered lists) get the same fields.
  document.addEventListener("htmx:load", function (event) { enhanceAll(event.target); });
})();
