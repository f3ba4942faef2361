// Keyboard study: on a question, 1-9 or A-I pick an option (tick it, for "choose two"), Enter submits;
// on the feedback, 1-4 rate Again/Hard/Good/Easy and Space or Enter takes the default (Good, or Again
// after a wrong answer). On every study page U, Ctrl+Z or Cmd+Z undoes the session's last answer. Keys
// typed into a text field are left alone. Without JavaScript the forms and buttons work as they are.
(function () {
  "use strict";
  var answerForm = document.getElementById("answer-form");
  var rateForm = document.getElementById("rate-form");
  var undoForm = document.getElementById("undo-form");
  var endForm = document.getElementById("end-form");
  var started = performance.now();
  var sent = false;

  function typing(el) {
    if (!el || !el.tagName) return false;
    var tag = el.tagName;
    if (tag === "TEXTAREA" || tag === "SELECT" || el.isContentEditable) return true;
    return tag === "INPUT" && el.type !== "radio" && el.type !== "checkbox";
  }

  function activates(el) {
    // Enter and Space already act on these; leave them to the browser
    return el && (el.tagName === "BUTTON" || el.tagName === "A" || el.tagName === "SUMMARY");
  }

  function submit(form, button) {
    if (sent) return;
    sent = true;
    if (form.requestSubmit) form.requestSubmit(button || undefined);
    else if (button) button.click();
    else form.submit();
  }

  function isUndo(event) {
    var key = event.key;
    if (event.altKey || event.shiftKey) return false;
    if (event.ctrlKey || event.metaKey) return key === "z" || key === "Z";
    return key === "u" || key === "U";
  }

  if (answerForm) {
    answerForm.addEventListener("submit", function () {
      answerForm.elements.response_ms.value = String(Math.round(performance.now() - started));
    });
  }

  document.addEventListener("keydown", function (event) {
    if (event.isComposing || typing(event.target)) return;
    var inForm = event.target.closest ? event.target.closest("form") : null;
    var ours = [answerForm, rateForm, undoForm, endForm];
    if (inForm && ours.indexOf(inForm) < 0) return; // e.g. the problem report
    if (undoForm && isUndo(event)) {
      event.preventDefault();
      submit(undoForm);
      return;
    }
    if (event.ctrlKey || event.metaKey || event.altKey) return;
    var key = event.key;
    if (answerForm) {
      var inputs = Array.prototype.slice.call(answerForm.querySelectorAll('input[name="choice"]'));
      var index = -1;
      if (/^[1-9]$/.test(key)) index = Number(key) - 1;
      else if (/^[a-z]$/i.test(key)) {
        index = inputs.findIndex(function (input) { return input.value === key.toUpperCase(); });
      }
      if (index >= 0 && index < inputs.length) {
        event.preventDefault();
        var input = inputs[index];
        input.checked = input.type === "radio" ? true : !input.checked;
        input.focus();
        return;
      }
      if (key === "Enter" && !activates(event.target)) {
        event.preventDefault();
        submit(answerForm);
      }
      return;
    }
    if (rateForm) {
      var button = null;
      if (/^[1-4]$/.test(key)) {
        button = rateForm.querySelector('button[aria-keyshortcuts^="' + key + '"]');
      } else if ((key === " " || key === "Enter") && !activates(event.target)) {
        button = rateForm.querySelector('button[value="' + rateForm.dataset.defaultRating + '"]');
      }
      if (button) {
        event.preventDefault();
        if (!button.disabled) submit(rateForm, button);
      }
    }
  });

  // On the feedback, put focus on the verdict so that a screen reader starts there.
  var verdict = document.getElementById("verdict");
  if (verdict && rateForm) verdict.focus({ preventScroll: true });
})();
