// A live count of characters for long texts (textarea[data-max-chars]). The field has no
// maxlength: a browser would cut pasted text without a word. The count says how much is left
// or how much is too much; the server refuses too long a text and keeps all of it in the form.
// Characters are counted as the server counts them (code points; a line break is one).
(() => {
  "use strict";
  const format = new Intl.NumberFormat(document.documentElement.lang || "de");

  function attach(field) {
    const limit = Number(field.dataset.maxChars);
    if (!limit) return;
    const counter = document.createElement("p");
    counter.id = field.id + "_counter";
    counter.className = "kern-body kern-body--small beirat-counter";
    const announcer = document.createElement("p");
    announcer.className = "kern-sr-only";
    announcer.setAttribute("aria-live", "polite");
    field.insertAdjacentElement("afterend", counter);
    counter.insertAdjacentElement("afterend", announcer);
    const described = (field.getAttribute("aria-describedby") || "").split(" ").filter(Boolean);
    described.push(counter.id);
    field.setAttribute("aria-describedby", described.join(" "));

    let timer = 0;
    function update(announce) {
      const count = Array.from(field.value).length;
      const over = count - limit;
      const shown = over > 0 ? over : limit - count;
      // One character or more: the page gives both texts (English says "1 character").
      const template = over > 0
        ? (shown === 1 && field.dataset.tooManyOne) || field.dataset.tooMany
        : (shown === 1 && field.dataset.remainingOne) || field.dataset.remaining;
      const text = template
        .replace("%(count)s", format.format(shown))
        .replace("%(limit)s", format.format(limit));
      counter.textContent = text;
      counter.classList.toggle("beirat-counter--over", over > 0);
      if (over > 0) {
        field.setAttribute("aria-invalid", "true");
      } else if (!field.classList.contains("kern-form-input__input--error")) {
        field.removeAttribute("aria-invalid");
      }
      if (announce) {
        window.clearTimeout(timer);
        timer = window.setTimeout(() => { announcer.textContent = text; }, 1000);
      }
    }
    field.addEventListener("input", () => update(true));
    update(false);
  }

  document.querySelectorAll("textarea[data-max-chars]").forEach(attach);
})();
