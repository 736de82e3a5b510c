// The remote autocomplete (pestor/widgets.py): turns each <input data-autocomplete> into a
// combobox (Tom Select) that asks the server for what matches the typed text (data-url, JSON, at
// most 20) and submits the chosen values; data-multiple makes it a multiple choice, each value
// sent under the input's name. Without JavaScript the input stays a text field for names or codes
// (several separated by semicolons), which the server resolves. Polish letters do not matter
// ("lodz" finds "Łódź"), and a live region tells screen reader users how many things match.
// data-autocomplete names the kind of thing: municipalities, or CPV codes (which show their code
// and the names of the codes above them).
(function () {
  "use strict";

  function gettext(text) { return window.gettext ? window.gettext(text) : text; }
  function ngettext(one, many, count) {
    return window.ngettext ? window.ngettext(one, many, count) : (count === 1 ? one : many);
  }
  function interpolate(format, values) {
    return window.interpolate ? window.interpolate(format, values) : format.replace("%s", values[0]);
  }

  var KINDS = {
    municipality: {
      noResults: function () { return gettext("No municipality of this name"); },
      found: function (count) {
        return interpolate(ngettext("%s municipality", "%s municipalities", count), [count]);
      },
    },
    cpv: {
      noResults: function () { return gettext("No results"); },
      found: function (count) {
        return interpolate(ngettext("%s result", "%s results", count), [count]);
      },
    },
  };

  // The same folding as pestor.text.fold: lower case, no diacritics, "ł" as "l".
  function fold(text) {
    return (text || "").toLowerCase().normalize("NFD").replace(/[\u0300-\u036f]/g, "")
      .replace(/ł/g, "l").replace(/[\s-]+/g, " ").trim();
  }

  // Options loaded for an earlier query stay in the list: show those that match this one, as
  // the server chose them (every word in the code, the name or its detail; the server also
  // accepts other endings of a Polish word, so longer words are compared by their beginning).
  function score(search) {
    var words = fold(search).split(" ").filter(Boolean).map(function (word) {
      return word.length >= 5 && !/^\d/.test(word) ? word.slice(0, -2) : word;
    });
    return function (item) {
      if (!item.value) { return 0; }
      var name = fold(item.name);
      var text = fold((item.code || "") + " " + item.name + " " + (item.detail || ""));
      for (var i = 0; i < words.length; i++) {
        if (text.indexOf(words[i]) === -1) { return 0; }
      }
      return name.indexOf(words[0] || "") === 0 || fold(item.code).indexOf(words[0] || "") === 0
        ? 2 : 1;
    };
  }

  function escapeText(text) {
    var element = document.createElement("span");
    element.textContent = text;
    return element.innerHTML;
  }

  function chosenOption(choice) {
    var option = new Option(choice.name, choice.value, true, true);
    option.setAttribute("data-data", JSON.stringify(choice));
    return option;
  }

  function enhance(input) {
    var kind = KINDS[input.dataset.autocomplete] || KINDS.cpv;
    var multiple = input.hasAttribute("data-multiple");
    var select = document.createElement("select");
    select.id = input.id;
    select.name = input.name;
    select.multiple = multiple;
    ["aria-describedby", "aria-invalid", "required"].forEach(function (name) {
      if (input.hasAttribute(name)) { select.setAttribute(name, input.getAttribute(name)); }
    });
    if (!multiple) { select.add(new Option(input.dataset.emptyLabel || "", "")); }
    JSON.parse(input.dataset.chosen || "[]").forEach(function (choice) {
      select.add(chosenOption(choice));
    });
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
      allowEmptyOption: !multiple,
      hidePlaceholder: false,
      closeAfterSelect: !multiple,
      clearAfterSelect: true,
      selectOnTab: false,
      plugins: multiple ? { remove_button: { title: gettext("Remove") } } : {},
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
          var code = item.code ? '<span class="autocomplete-code">' + escape(item.code) +
            "</span> " : "";
          return '<div class="autocomplete-option"><span class="autocomplete-name">' + code +
            escape(item.name) + '</span> <span class="autocomplete-detail">' +
            escape(item.detail || "") + "</span></div>";
        },
        item: function (item, escape) {
          var code = item.code ? item.code + " " : "";
          return "<div>" + escape(code + (item.name || item.text)) + "</div>";
        },
        no_results: function () {
          return '<div class="no-results">' + escapeText(kind.noResults()) + "</div>";
        },
        loading: function () {
          return '<div class="spinner">' + escapeText(gettext("Searching…")) + "</div>";
        },
      },
    });

    var control = picker.control_input;
    // The label names Tom Select's input; the select underneath (hidden, submitted with the
    // form) is hidden from screen readers too, so that they meet one combobox.
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
      status.textContent = count === 0 ? kind.noResults() : kind.found(count);
    }
    picker.on("load", function () { window.setTimeout(announce, 0); });
    picker.on("type", function () { window.setTimeout(announce, 0); });
    picker.on("dropdown_close", announce);
    return picker;
  }

  document.addEventListener("DOMContentLoaded", function () {
    if (typeof TomSelect === "undefined") { return; }
    var inputs = document.querySelectorAll("input[data-autocomplete]");
    for (var i = 0; i < inputs.length; i++) { enhance(inputs[i]); }
  });
})();
