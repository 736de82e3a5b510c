// The municipality autocomplete (pestor/widgets.py): turns each
// <input data-municipality-autocomplete> into a combobox (Tom Select) that asks the server for
// the municipalities matching what the person types (data-url, JSON, at most 20) and submits the
// chosen one's slug. Without JavaScript the input stays a text field for the name, which the
// server resolves. Polish letters do not matter ("lodz" finds "Łódź"), and a live region tells
// screen reader users how many municipalities match.
(function () {
  "use strict";

  function gettext(text) { return window.gettext ? window.gettext(text) : text; }
  function ngettext(one, many, count) {
    return window.ngettext ? window.ngettext(one, many, count) : (count === 1 ? one : many);
  }
  function interpolate(format, values) {
    return window.interpolate ? window.interpolate(format, values) : format.replace("%s", values[0]);
  }

  // The same folding as pestor.text.fold: lower case, no diacritics, "ł" as "l".
  function fold(text) {
    return (text || "").toLowerCase().normalize("NFD").replace(/[\u0300-\u036f]/g, "")
      .replace(/ł/g, "l").replace(/[\s-]+/g, " ").trim();
  }

  // Options loaded for an earlier query stay in the list: show those that match this one, as
  // the server would have chosen them (every word in the name).
  function score(search) {
    var words = fold(search).split(" ").filter(Boolean);
    return function (item) {
      if (!item.value) { return 0; }
      var name = fold(item.name);
      for (var i = 0; i < words.length; i++) {
        if (name.indexOf(words[i]) === -1) { return 0; }
      }
      return name.indexOf(words[0] || "") === 0 ? 2 : 1;
    };
  }

  function escapeText(text) {
    var element = document.createElement("span");
    element.textContent = text;
    return element.innerHTML;
  }

  function enhance(input) {
    var select = document.createElement("select");
    select.id = input.id;
    select.name = input.name;
    ["aria-describedby", "aria-invalid", "required"].forEach(function (name) {
      if (input.hasAttribute(name)) { select.setAttribute(name, input.getAttribute(name)); }
    });
    select.add(new Option(gettext("any municipality"), ""));
    if (input.dataset.value) {
      var chosen = new Option(input.dataset.name, input.dataset.value, true, true);
      chosen.setAttribute("data-data", JSON.stringify({
        value: input.dataset.value, name: input.dataset.name, detail: input.dataset.detail || "",
      }));
      select.add(chosen);
    }
    input.replaceWith(select);

    var status = document.createElement("div");
    status.className = "visually-hidden";
    status.setAttribute("role", "status");
    status.setAttribute("aria-live", "polite");
    var url = input.dataset.url;

    var picker = new TomSelect(select, {
      dataAttr: "data",
      valueField: "value",
      labelField: "name",
      searchField: [],
      maxOptions: 20,
      loadThrottle: 200,
      allowEmptyOption: true,
      hidePlaceholder: false,
      closeAfterSelect: true,
      selectOnTab: false,
      score: score,
      shouldLoad: function (query) { return fold(query).length >= 2; },
      load: function (query, callback) {
        fetch(url + "?q=" + encodeURIComponent(query), { headers: { Accept: "application/json" } })
          .then(function (response) { return response.ok ? response.json() : { results: [] }; })
          .then(function (data) { callback(data.results); })
          .catch(function () { callback(); });
      },
      render: {
        option: function (item, escape) {
          if (!item.value) { return "<div>" + escape(item.name || item.text) + "</div>"; }
          return '<div class="municipality-option"><span class="municipality-name">' +
            escape(item.name) + '</span> <span class="municipality-detail">' +
            escape(item.detail || "") + "</span></div>";
        },
        item: function (item, escape) {
          return "<div>" + escape(item.name || item.text) + "</div>";
        },
        no_results: function () {
          return '<div class="no-results">' + escapeText(gettext("No municipality of this name")) +
            "</div>";
        },
        loading: function () {
          return '<div class="spinner">' + escapeText(gettext("Searching…")) + "</div>";
        },
      },
    });

    var control = picker.control_input;
    // As in the CPV picker: the label names Tom Select's input; the select underneath (hidden,
    // submitted with the form) is hidden from screen readers too, so that they meet one combobox.
    var label = document.querySelector("label[for='" + control.id + "']");
    if (label && label.id) { select.setAttribute("aria-labelledby", label.id); }
    select.setAttribute("aria-hidden", "true");
    if (select.hasAttribute("aria-describedby")) {
      control.setAttribute("aria-describedby", select.getAttribute("aria-describedby"));
    }
    if (select.hasAttribute("aria-invalid")) {
      control.setAttribute("aria-invalid", select.getAttribute("aria-invalid"));
    }
    picker.wrapper.appendChild(status);

    function announce() {
      var query = picker.lastQuery || "";
      if (!picker.isOpen || fold(query).length < 2) { status.textContent = ""; return; }
      if (picker.loading) { return; }
      var count = picker.currentResults ? picker.currentResults.items.length : 0;
      status.setAttribute("data-query", query);
      status.textContent = count === 0 ? gettext("No municipality of this name") :
        interpolate(ngettext("%s municipality", "%s municipalities", count), [count]);
    }
    picker.on("load", function () { window.setTimeout(announce, 0); });
    picker.on("type", function () { window.setTimeout(announce, 0); });
    picker.on("dropdown_close", announce);
    return picker;
  }

  document.addEventListener("DOMContentLoaded", function () {
    if (typeof TomSelect === "undefined") { return; }
    var inputs = document.querySelectorAll("input[data-municipality-autocomplete]");
    for (var i = 0; i < inputs.length; i++) { enhance(inputs[i]); }
  });
})();
