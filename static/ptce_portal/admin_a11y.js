/* Names for the admin's form controls that Django leaves unnamed (loaded on every admin page
   by templates/admin/base_site.html; no inline script: the portal's CSP).
   - A field in a table (tabular inlines, a change list's editable column) has its column's
     heading for a name: Django prints the heading, not a <label>.
   - Select2 (autocomplete fields): the box, its text and its search field are named after
     the field's label.
   - The filter widget's magnifier icon (SelectFilter2.js) carries an aria-label on a <span>
     with no role: it becomes an image.
   - A tabular inline's box that scrolls sideways can be focused (scrolled with the keyboard). */
"use strict";
(function () {
  function labelText(control) {
    var id = control.id;
    var label = id && document.querySelector('label[for="' + id + '"]');
    return label ? label.textContent.replace(/\s+/g, " ").replace(/\s*:\s*$/, "").trim() : "";
  }

  function unnamed(control) {
    return !control.hasAttribute("aria-label") && !control.hasAttribute("aria-labelledby") &&
      !(control.labels && control.labels.length);
  }

  function nameTableFields(root) {
    root.querySelectorAll("table td input, table td select, table td textarea").forEach(function (control) {
      if (control.type === "hidden" || !unnamed(control)) return;
      var cell = control.closest("td");
      var table = cell.closest("table");
      var headings = table.tHead ? table.tHead.rows[0].cells : [];
      var heading = headings[cell.cellIndex];
      var text = heading ? heading.textContent.replace(/\s+/g, " ").trim() : "";
      if (text) control.setAttribute("aria-label", text);
    });
  }

  function nameSelect2(root) {
    root.querySelectorAll("select.admin-autocomplete").forEach(function (select) {
      var text = labelText(select);
      var container = select.nextElementSibling;
      if (!text || !container || !container.classList.contains("select2")) return;
      var boxes = '[role="combobox"], [role="textbox"], .select2-search__field';
      container.querySelectorAll(boxes).forEach(function (box) {
        box.setAttribute("aria-label", text);
        box.removeAttribute("aria-labelledby");
      });
    });
  }

  function fixIcons(root) {
    root.querySelectorAll("span.help-tooltip[aria-label]:not([role])").forEach(function (icon) {
      icon.setAttribute("role", "img");
    });
  }

  function focusableScrollBoxes(root) {
    root.querySelectorAll(".inline-related.tabular div.wrapper").forEach(function (box) {
      if (box.hasAttribute("tabindex")) return;
      box.setAttribute("tabindex", "0");
      box.setAttribute("role", "group");
      var heading = box.closest("fieldset") && box.closest("fieldset").querySelector("h2");
      if (heading && heading.id) box.setAttribute("aria-labelledby", heading.id);
    });
  }

  function run() {
    nameTableFields(document);
    fixIcons(document);
    focusableScrollBoxes(document);
    nameSelect2(document);
  }

  document.addEventListener("DOMContentLoaded", run);
  // Select2 and the filter widgets are built in jQuery's ready handlers and on "load": name them
  // after those (this deferred script registers last).
  if (window.django && window.django.jQuery) window.django.jQuery(run);
  window.addEventListener("load", run);
  document.addEventListener("formset:added", run);
})();
