// The CPV picker: turns each <select data-cpv-picker> into a searchable combobox (Tom Select)
// over the code tree. Without JavaScript the select works as it is. Options show their place in
// the tree (indented under their parents; in search results, the parents' names), searching
// ignores Polish letters and word endings ("sprzątanie" finds "Usługi sprzątania") and matches
// code prefixes, and a live region tells screen reader users how many codes match.
(function () {
  "use strict";

  function gettext(text) { return window.gettext ? window.gettext(text) : text; }
  function ngettext(one, many, count) {
    return window.ngettext ? window.ngettext(one, many, count) : (count === 1 ? one : many);
  }
  function interpolate(format, values) {
    return window.interpolate ? window.interpolate(format, values) : format.replace("%s", values[0]);
  }

  function fold(text) {
    return (text || "").toLowerCase().normalize("NFD").replace(/[\u0300-\u036f]/g, "")
      .replace(/ł/g, "l").replace(/\u00a0/g, " ");
  }

  // A crude stem: Polish words change their endings, so a longer word matches by its beginning.
  function stems(query) {
    return fold(query).split(/[\s,;]+/).filter(Boolean).map(function (word) {
      return word.length >= 5 && !/^\d/.test(word) ? word.slice(0, -2) : word;
    });
  }

  function score(search) {
    var words = stems(search);
    return function (item) {
      if (!words.length) { return 1; }
      var code = (item.code || item.value || "").replace("-", "");
      var name = fold((item.code || "") + " " + (item.name || item.text));
      var path = fold(item.path);
      var total = 0;
      for (var i = 0; i < words.length; i++) {
        var word = words[i];
        // A code prefix or a word of the code's own name counts more than one of its parents'.
        if (/^\d/.test(word) && code.indexOf(word.replace("-", "")) === 0) { total += 2; }
        else if (name.indexOf(word) !== -1) { total += 2; }
        else if (path.indexOf(word) !== -1) { total += 1; }
        else { return 0; }
      }
      return total;
    };
  }

  function levelClass(item) {
    var level = parseInt(item.level, 10) || 2;
    return "cpv-level-" + Math.min(Math.max(level - 2, 0), 6);
  }

  function enhance(select) {
    var status = document.createElement("div");
    status.className = "visually-hidden";
    status.setAttribute("role", "status");
    status.setAttribute("aria-live", "polite");
    var multiple = select.multiple;
    var describedBy = select.getAttribute("aria-describedby");
    var invalid = select.getAttribute("aria-invalid");

    var picker = new TomSelect(select, {
      dataAttr: "data",
      valueField: "value",
      labelField: "text",
      searchField: ["text", "path"],
      maxOptions: null,
      refreshThrottle: 100,
      allowEmptyOption: !multiple,
      hidePlaceholder: false,
      closeAfterSelect: !multiple,
      clearAfterSelect: true,
      selectOnTab: false,
      plugins: multiple ? { remove_button: { title: gettext("Remove this category") } } : {},
      score: score,
      render: {
        option: function (item, escape) {
          var path = item.path ? '<span class="cpv-path">' + escape(item.path) + "</span>" : "";
          if (!item.code) { return '<div class="cpv-option">' + escape(item.text) + "</div>"; }
          return '<div class="cpv-option ' + levelClass(item) + '">' + path +
            '<span class="cpv-name"><span class="cpv-code">' + escape(item.code) + "</span> " +
            escape(item.name) + "</span></div>";
        },
        item: function (item, escape) {
          if (!item.code) { return "<div>" + escape(item.text) + "</div>"; }
          return "<div>" + escape(item.code + " " + item.name) + "</div>";
        },
        no_results: function () {
          return '<div class="no-results">' + escape_text(gettext("No results")) + "</div>";
        },
      },
    });

    var control = picker.control_input;
    // Tom Select points the label at its own input. The select it keeps (visually hidden, out of
    // the tab order, submitted with the form) is hidden from screen readers too, so that they
    // meet one combobox, and stays named by the same label.
    var label = document.querySelector("label[for='" + control.id + "']");
    if (label && label.id) { select.setAttribute("aria-labelledby", label.id); }
    select.setAttribute("aria-hidden", "true");
    if (describedBy) { control.setAttribute("aria-describedby", describedBy); }
    if (invalid) { control.setAttribute("aria-invalid", invalid); }
    picker.wrapper.appendChild(status);

    function announce() {
      if (!picker.isOpen) { status.textContent = ""; return; }
      var count = picker.currentResults ? picker.currentResults.items.length : 0;
      // Which search the message counts (what tests wait for).
      status.setAttribute("data-query", picker.currentResults ? picker.currentResults.query : "");
      status.textContent = count === 0 ? gettext("No results") :
        interpolate(ngettext("%s result", "%s results", count), [count]);
    }
    picker.on("type", function () { window.setTimeout(announce, 0); });
    picker.on("dropdown_open", function () { window.setTimeout(announce, 0); });
    picker.on("dropdown_close", announce);
    return picker;
  }

  function escape_text(text) {
    var element = document.createElement("span");
    element.textContent = text;
    return element.innerHTML;
  }

  document.addEventListener("DOMContentLoaded", function () {
    if (typeof TomSelect === "undefined") { return; }
    var selects = document.querySelectorAll("select[data-cpv-picker]");
    for (var i = 0; i < selects.length; i++) { enhance(selects[i]); }
  });
})();
