// A new agenda item takes its subject from the chosen paper (select[data-subject-field], each
// option with data-subject). Only an empty subject, or one this script filled in, is replaced:
// what the clerk typed stays. Without JavaScript the server does the same for an empty subject.
(() => {
  "use strict";

  function attach(select) {
    const field = document.getElementById(select.dataset.subjectField);
    if (!field) return;
    let filled = "";
    const takeSubject = () => {
      const option = select.options[select.selectedIndex];
      const subject = (option && option.dataset.subject) || "";
      if (field.value.trim() === "" || field.value === filled) {
        field.value = subject;
        filled = subject;
      }
    };
    select.addEventListener("change", takeSubject);
    // A paper chosen before this script ran (a quick hand, or the browser restoring the form
    // after "back") gets its subject too.
    if (select.value) takeSubject();
  }

  document.querySelectorAll("select[data-subject-field]").forEach(attach);
})();
