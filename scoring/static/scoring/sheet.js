// The score sheet's running total, updated as the member types. The server computes the same
// total on every save (the page works without this script); this only saves a round trip.
(function () {
  "use strict";
  const form = document.querySelector("[data-score-sheet]");
  if (!form) return;
  const output = form.querySelector("[data-running-total]");
  const locale = document.documentElement.lang || "pl";
  const format = new Intl.NumberFormat(locale, { maximumFractionDigits: 2 });

  function update() {
    let total = 0;
    form.querySelectorAll("fieldset.criterion").forEach((fieldset) => {
      const input = fieldset.querySelector("[data-points]");
      const notApplicable = fieldset.querySelector("[data-not-applicable]");
      if (notApplicable && notApplicable.checked) return;
      const value = Number.parseFloat((input.value || "").replace(/\s/g, "").replace(",", "."));
      const max = Number.parseFloat(input.dataset.maxPoints);
      const weight = Number.parseFloat(input.dataset.weight || "1");
      if (Number.isFinite(value) && value >= 0 && value <= max) total += value * weight;
    });
    output.textContent = format.format(Math.round(total * 100) / 100);
  }

  update();
  form.addEventListener("input", update);
  form.addEventListener("change", update);
})();
