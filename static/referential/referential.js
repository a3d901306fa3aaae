// Small conveniences for the referential; every page works without this file.
(function () {
  "use strict";
  document.querySelectorAll(".js-print").forEach(function (button) {
    button.hidden = false;
    button.addEventListener("click", function () { window.print(); });
  });

  var form = document.querySelector("form.answer-form[data-autosave-url]");
  if (!form || !window.fetch) return;
  var url = form.dataset.autosaveUrl;
  var csrf = form.querySelector("input[name=csrfmiddlewaretoken]").value;
  var progress = document.querySelector("[data-progress]");
  var TYPING_DELAY = 800; // ms of quiet typing before a comment is saved
  var submitting = false;

  // Per question: what the server holds ("choice|comment") and a pending timer.
  function state(fieldset) {
    var checked = fieldset.querySelector("input[type=radio]:checked");
    var comment = fieldset.querySelector("textarea");
    return { choice: checked ? checked.value : "", comment: comment ? comment.value : "" };
  }
  function key(s) { return s.choice + "\u0000" + s.comment.trim(); }
  function isDirty(fieldset) { return fieldset.dataset.saved !== key(state(fieldset)); }
  function body(fieldset, withToken) {
    var s = state(fieldset);
    var data = new URLSearchParams();
    if (withToken) data.append("csrfmiddlewaretoken", csrf);
    data.append("code", fieldset.dataset.code);
    data.append("choice", s.choice);
    data.append("comment", s.comment);
    return data;
  }

  function save(fieldset) {
    clearTimeout(fieldset.saveTimer);
    if (!isDirty(fieldset)) return;
    var sent = key(state(fieldset));
    var status = fieldset.querySelector(".save-status");
    status.classList.remove("error");
    status.textContent = form.dataset.msgSaving;
    fetch(url, {
      method: "POST",
      headers: { "X-CSRFToken": csrf, "Content-Type": "application/x-www-form-urlencoded" },
      body: body(fieldset, false).toString(),
      credentials: "same-origin",
    })
      .then(function (response) { return response.json().then(function (data) { return [response.ok, data]; }); })
      .then(function (result) {
        var ok = result[0], data = result[1];
        if (ok && data.ok) {
          fieldset.dataset.saved = sent;
          status.textContent = isDirty(fieldset) ? form.dataset.msgSaving : form.dataset.msgSaved;
          if (state(fieldset).choice) {
            fieldset.classList.remove("missing");
            var badge = fieldset.querySelector(".missing-badge");
            if (badge) badge.remove();
          }
          if (progress) {
            var bar = progress.querySelector("progress");
            var text = progress.querySelector(".progress-text");
            if (bar) { bar.value = data.answered; bar.textContent = data.answered + "/" + data.total; }
            if (text) { text.textContent = data.answered + "/" + data.total; }
          }
        } else {
          status.classList.add("error");
          status.textContent = data.error || form.dataset.msgFailed;
        }
      })
      .catch(function () {
        status.classList.add("error");
        status.textContent = form.dataset.msgFailed;
      });
  }

  var fieldsets = form.querySelectorAll("fieldset.question:not([disabled])");
  fieldsets.forEach(function (fieldset) {
    fieldset.dataset.saved = key(state(fieldset));
    fieldset.querySelectorAll("input[type=radio]").forEach(function (input) {
      input.addEventListener("change", function () { save(fieldset); });
    });
    var comment = fieldset.querySelector("textarea");
    if (!comment) return;
    // Saved as typed: after a short pause, and when the field is left.
    comment.addEventListener("input", function () {
      clearTimeout(fieldset.saveTimer);
      fieldset.saveTimer = setTimeout(function () { save(fieldset); }, TYPING_DELAY);
    });
    comment.addEventListener("change", function () { save(fieldset); });
  });

  function unsaved() {
    return Array.prototype.filter.call(fieldsets, isDirty);
  }
  form.addEventListener("submit", function () { submitting = true; });
  // Unsaved text: ask before leaving…
  window.addEventListener("beforeunload", function (event) {
    if (submitting || !unsaved().length) return;
    event.preventDefault();
    event.returnValue = form.dataset.msgUnsaved;
    return form.dataset.msgUnsaved;
  });
  // …and when the page goes anyway (tab closed, phone switching apps), send what is left.
  function flush() {
    if (submitting || !navigator.sendBeacon) return;
    unsaved().forEach(function (fieldset) {
      if (navigator.sendBeacon(url, body(fieldset, true))) {
        fieldset.dataset.saved = key(state(fieldset));
      }
    });
  }
  window.addEventListener("pagehide", flush);
  document.addEventListener("visibilitychange", function () {
    if (document.visibilityState === "hidden") flush();
  });
})();
