// Forms sent back with errors: the error summary takes the focus, so that it is read first,
// and each of its links puts the focus in its field (not only scrolls to it).
(function () {
  "use strict";
  function focusField(event) {
    var target = document.getElementById(this.hash.slice(1));
    if (!target) return;
    event.preventDefault();
    var group = target.closest("fieldset, .field") || target;
    group.scrollIntoView();
    target.focus({ preventScroll: true });
  }
  function init() {
    var summary = document.querySelector("[data-error-summary]");
    if (!summary) return;
    summary.querySelectorAll("a[href^='#']").forEach(function (link) {
      link.addEventListener("click", focusField);
    });
    summary.focus();
  }
  if (document.readyState === "loading") {
    document.addEventListener("DOMContentLoaded", init);
  } else {
    init();
  }
})();
