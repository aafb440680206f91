// The tracking code's receipt on the tracking page: copy the code, print the page. Without
// script both buttons stay hidden; the code is plain selectable text and the PDF is a link.
(() => {
  "use strict";

  function selectCode() {
    const code = document.getElementById("vorgangsnummer");
    if (!code) return;
    const range = document.createRange();
    range.selectNodeContents(code);
    const selection = window.getSelection();
    selection.removeAllRanges();
    selection.addRange(range);
  }

  function copyByCommand(text) {
    const field = document.createElement("textarea");
    field.value = text;
    field.setAttribute("readonly", "");
    field.className = "beirat-hp";
    document.body.appendChild(field);
    field.select();
    let done = false;
    try {
      done = document.execCommand("copy");
    } catch (error) {
      done = false;
    }
    field.remove();
    return done;
  }

  const status = document.querySelector("[data-copy-status]");
  function say(text) {
    if (!status) return;
    status.textContent = "";
    window.setTimeout(() => { status.textContent = text; }, 50);
  }

  document.querySelectorAll("[data-copy-code]").forEach((button) => {
    button.hidden = false;
    button.addEventListener("click", () => {
      const code = button.dataset.copyCode;
      const copied = () => say(button.dataset.copied);
      const failed = () => {
        if (copyByCommand(code)) {
          copied();
        } else {
          selectCode();
          say(button.dataset.notCopied);
        }
      };
      if (navigator.clipboard && window.isSecureContext) {
        navigator.clipboard.writeText(code).then(copied, failed);
      } else {
        failed();
      }
    });
  });

  document.querySelectorAll("[data-print]").forEach((button) => {
    button.hidden = false;
    button.addEventListener("click", () => window.print());
  });
})();
