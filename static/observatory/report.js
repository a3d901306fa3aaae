// Autosave of an observatory report (the form works without this file: its buttons save the
// draft and submit). Every change is sent, after a short pause, to the form's autosave URL;
// the server checks it as the form does and stores nothing bad.
(function () {
  "use strict";
  var form = document.querySelector("form.observatory-report[data-autosave-url]");
  if (!form || !window.fetch || !window.FormData) return;
  var url = form.dataset.autosaveUrl;
  var csrf = form.querySelector("input[name=csrfmiddlewaretoken]").value;
  var status = form.querySelector("[data-save-status]");
  var DELAY = 800; // ms of quiet before a change is saved
  var timer = null;
  var submitting = false;
  var inFlight = false; // one save at a time: a change made meanwhile is sent after it

  function body() {
    var data = new URLSearchParams();
    new FormData(form).forEach(function (value, name) {
      if (name !== "action") data.append(name, value);
    });
    return data;
  }
  var saved = body().toString();
  function isDirty() { return body().toString() !== saved; }

  function save() {
    clearTimeout(timer);
    if (!isDirty()) return;
    if (inFlight) { later(); return; }
    inFlight = true;
    var sent = body();
    status.classList.remove("error");
    status.textContent = form.dataset.msgSaving;
    fetch(url, {
      method: "POST",
      headers: { "X-CSRFToken": csrf, "Content-Type": "application/x-www-form-urlencoded" },
      body: sent.toString(),
      credentials: "same-origin",
    })
      .then(function (response) {
        return response.json().then(function (data) { return [response.ok, data]; });
      })
      .then(function (result) {
        var ok = result[0], data = result[1];
        if (ok && data.ok) {
          saved = sent.toString();
          status.textContent = isDirty()
            ? form.dataset.msgSaving
            : form.dataset.msgSaved + " (" + data.saved_at + ")";
        } else {
          status.classList.add("error");
          status.textContent = data.error || form.dataset.msgFailed;
        }
      })
      .catch(function () {
        status.classList.add("error");
        status.textContent = form.dataset.msgFailed;
      })
      .then(function () { inFlight = false; });
  }

  function later() {
    clearTimeout(timer);
    timer = setTimeout(save, DELAY);
  }
  form.addEventListener("input", later);
  form.addEventListener("change", later);
  form.addEventListener("submit", function () { submitting = true; clearTimeout(timer); });
  window.addEventListener("beforeunload", function (event) {
    if (submitting || !isDirty()) return;
    event.preventDefault();
    event.returnValue = form.dataset.msgFailed;
    return form.dataset.msgFailed;
  });
  window.addEventListener("pagehide", function () {
    if (submitting || !isDirty() || !navigator.sendBeacon) return;
    var data = body();
    navigator.sendBeacon(url, data);
  });
})();
