// Exam pages: the countdown, saving answers as they are picked (a typed answer: a moment after typing
// stops, and when the field is left), and keyboard shortcuts.
// The server owns the clock and the answers; without this script every button still works.
(function () {
  "use strict";

  var form = document.getElementById("exam-form");
  var status = form && form.querySelector(".save-status");
  var csrf = document.querySelector('meta[name="csrf-token"]');
  var pending = Promise.resolve();
  var leaving = false;
  var typedField = form && form.querySelector('[name="response"]');
  var typedTimer = null;
  var typedDirty = false;
  // how long after the last key press a typed answer is saved in the background
  var TYPED_SAVE_MS = 1500;

  function clock(seconds) {
    var s = Math.max(0, Math.ceil(seconds));
    var h = Math.floor(s / 3600), m = Math.floor((s % 3600) / 60), r = s % 60;
    var mm = h ? String(m).padStart(2, "0") : String(m);
    return (h ? h + ":" : "") + mm + ":" + String(r).padStart(2, "0");
  }

  // The server's time the page was shown: each save counts the time on screen since then, and moves it on.
  function shownAt(value) {
    document.querySelectorAll('input[name="shown_at"]').forEach(function (input) {
      input.value = value;
    });
  }

  // "Choose TWO" with one ticked is no answer yet: it is not saved until as many are ticked as asked (or none).
  function incomplete() {
    var wanted = Number(form.dataset.choose || 1);
    var ticked = form.querySelectorAll('input[name="choice"]:checked').length;
    return wanted > 1 && ticked > 0 && ticked !== wanted ? wanted : 0;
  }

  // Save the current answer in the background, so that a closed tab or the end of time loses nothing.
  function save() {
    if (!form) return pending;
    var headers = { Accept: "application/json" };
    if (csrf) headers["X-CSRFToken"] = csrf.content;
    if (status) status.textContent = "Saving…";
    pending = pending.then(function () {
      var data = new FormData(form); // read when sent: the answer and shown_at as they are by then
      data.set("action", "save");
      return fetch(form.dataset.saveUrl, { method: "POST", body: data, headers: headers, credentials: "same-origin" })
        .then(function (response) {
          return response.json().then(function (body) {
            if (response.status === 409 && body.location) {
              leaving = true;
              window.location.assign(body.location);
              return;
            }
            if (response.ok && body.shown_at) shownAt(body.shown_at);
            if (status) {
              status.textContent = response.ok
                ? "Saved"
                : "Not saved: " + (body.message || "use the buttons to save");
            }
          });
        })
        .catch(function () {
          if (status) status.textContent = "Not saved (offline?): use the buttons to save";
        });
    });
    return pending;
  }

  // A typed answer is saved once typing pauses and when the field is left; a blank one is not saved.
  function saveTyped() {
    clearTimeout(typedTimer);
    typedTimer = null;
    if (!typedDirty) return pending;
    typedDirty = false;
    if (!typedField.value.trim()) {
      if (status) status.textContent = "Type an answer to save it.";
      return pending;
    }
    return save();
  }

  if (typedField) {
    typedField.addEventListener("input", function () {
      typedDirty = true;
      if (status) status.textContent = "";
      clearTimeout(typedTimer);
      typedTimer = setTimeout(saveTyped, TYPED_SAVE_MS);
    });
    typedField.addEventListener("change", saveTyped);
    form.addEventListener("submit", function () {
      clearTimeout(typedTimer); // the form posts the text itself
      typedDirty = false;
    });
  }

  if (form) {
    form.addEventListener("change", function (event) {
      if (event.target.name !== "choice") return;
      var wanted = incomplete();
      if (wanted) {
        if (status) status.textContent = "Choose " + wanted + " to save this answer (or none).";
        return;
      }
      save();
    });
  }

  // The countdown shows the time the server gave; at zero it submits the exam (the server would anyway).
  var timer = document.getElementById("exam-timer");
  if (timer) {
    var value = timer.querySelector(".timer-value");
    var announce = document.getElementById("timer-announce");
    var endAt = performance.now() + Number(timer.dataset.remaining) * 1000;
    var warned = {};
    var tick = function () {
      var left = (endAt - performance.now()) / 1000;
      value.textContent = clock(left);
      timer.classList.toggle("timer-low", left <= 300);
      [600, 300, 60].forEach(function (mark) {
        if (left <= mark && left > mark - 5 && !warned[mark]) {
          warned[mark] = true;
          if (announce) announce.textContent = mark / 60 + (mark === 60 ? " minute" : " minutes") + " left.";
        }
      });
      if (left <= 0) {
        clearInterval(interval);
        if (leaving) return;
        leaving = true;
        value.textContent = "0:00";
        if (announce) announce.textContent = "Time is up: submitting the exam.";
        (typedField ? saveTyped() : pending).then(function () {
          document.getElementById(timer.dataset.finishForm).submit();
        });
      }
    };
    var interval = setInterval(tick, 250);
    tick();
  }

  // Keys: 1-9 or an option's letter pick it, N next, P previous, M flag, R review (Enter submits natively).
  document.addEventListener("keydown", function (event) {
    if (!form || event.altKey || event.ctrlKey || event.metaKey || event.defaultPrevented) return;
    var target = event.target;
    if (target.isContentEditable || /^(TEXTAREA|SELECT)$/.test(target.tagName)) return;
    if (target.tagName === "INPUT" && !/^(radio|checkbox)$/.test(target.type)) return;
    if (event.key === "Enter" && target === document.body) {
      event.preventDefault(); // nothing focused: Enter still saves and goes on
      form.querySelector(".default-submit").click();
      return;
    }
    var key = event.key.length === 1 ? event.key : "";
    var input = null;
    if (/^[1-9]$/.test(key)) {
      input = form.querySelector('input[name="choice"][data-key="' + key + '"]');
    } else if (/^[a-z]$/i.test(key)) {
      input = form.querySelector('input[name="choice"][value="' + key.toUpperCase() + '"]');
      if (!input) {
        var button = form.querySelector('[data-shortcut="' + key.toLowerCase() + '"]');
        if (button) {
          event.preventDefault();
          button.click();
        }
        return;
      }
    }
    if (!input) return;
    event.preventDefault();
    input.checked = input.type === "checkbox" ? !input.checked : true;
    input.focus();
    input.dispatchEvent(new Event("change", { bubbles: true }));
  });
})();
