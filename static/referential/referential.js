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

  function save(fieldset) {
    var code = fieldset.dataset.code;
    var checked = fieldset.querySelector("input[type=radio]:checked");
    var comment = fieldset.querySelector("textarea");
    var status = fieldset.querySelector(".save-status");
    var body = new URLSearchParams();
    body.append("code", code);
    body.append("choice", checked ? checked.value : "");
    body.append("comment", comment ? comment.value : "");
    status.classList.remove("error");
    status.textContent = form.dataset.msgSaving;
    fetch(url, {
      method: "POST",
      headers: { "X-CSRFToken": csrf, "Content-Type": "application/x-www-form-urlencoded" },
      body: body.toString(),
      credentials: "same-origin",
    })
      .then(function (response) { return response.json().then(function (data) { return [response.ok, data]; }); })
      .then(function (result) {
        var ok = result[0], data = result[1];
        if (ok && data.ok) {
          status.textContent = form.dataset.msgSaved;
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

  form.querySelectorAll("fieldset.question").forEach(function (fieldset) {
    fieldset.querySelectorAll("input[type=radio]").forEach(function (input) {
      input.addEventListener("change", function () { save(fieldset); });
    });
    var comment = fieldset.querySelector("textarea");
    if (comment) comment.addEventListener("change", function () { save(fieldset); });
  });
})();
