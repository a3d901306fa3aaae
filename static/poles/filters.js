// The pole filters: the department boxes follow the chosen region, and empty fields are
// left out of the address. Without this file the server does both once the form is sent.
(function () {
  "use strict";
  document.querySelectorAll("form.pole-filters").forEach(function (form) {
    var region = form.querySelector("select[name=region]");
    var boxes = form.querySelectorAll(".filter-departments input[data-region]");

    function follow() {
      var chosen = region ? region.value : "";
      boxes.forEach(function (box) {
        var item = box.closest("div") || box.parentNode;
        item.hidden = Boolean(chosen) && box.dataset.region !== chosen && !box.checked;
      });
    }
    if (region && boxes.length) {
      region.addEventListener("change", follow);
      follow();
    }

    form.addEventListener("submit", function () {
      form.querySelectorAll("input, select").forEach(function (field) {
        var empty = (field.type === "search" || field.type === "text" || field.tagName === "SELECT")
          && !field.value.trim();
        if (empty && field.name) field.disabled = true;
      });
      // Fields come back usable if the page is shown again from the back-forward cache.
      window.addEventListener("pageshow", function () {
        form.querySelectorAll("[disabled]").forEach(function (field) { field.disabled = false; });
      }, { once: true });
    });
  });
})();
