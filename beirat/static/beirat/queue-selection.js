// The queue's selection (form[data-selection]): "Alle auf dieser Seite auswählen" ticks or
// clears every row's box and shows a mixed state when only some are ticked; a line says how
// many are chosen. Without the script each row's box works on its own and the "alle" box and
// the count stay hidden: the server checks the selection either way.
(() => {
  "use strict";

  function attach(form) {
    const boxes = Array.from(form.querySelectorAll('input[type="checkbox"][name="auswahl"]'));
    const all = form.querySelector("[data-select-all]");
    const count = form.querySelector("[data-selection-count]");

    function update() {
      const ticked = boxes.filter((box) => box.checked).length;
      if (all) {
        all.checked = ticked > 0 && ticked === boxes.length;
        all.indeterminate = ticked > 0 && ticked < boxes.length;
      }
      if (count) {
        const text = ticked === 0 ? count.dataset.none
          : ticked === 1 ? count.dataset.one
          : count.dataset.many.replace("%(count)s", String(ticked));
        count.textContent = text;
      }
    }

    if (all) {
      all.closest("[hidden]")?.removeAttribute("hidden");
      all.addEventListener("change", () => {
        boxes.forEach((box) => { box.checked = all.checked; });
        update();
      });
    }
    if (count) count.removeAttribute("hidden");
    form.addEventListener("change", (event) => {
      if (event.target instanceof HTMLInputElement && event.target.name === "auswahl") update();
    });
    update();
  }

  document.querySelectorAll("form[data-selection]").forEach(attach);
})();
