// The answer editor of typed questions (study and exam pages): a plain <textarea data-editor> or
// <input data-editor> that this script makes friendlier to type code into.
//   Tab inserts two spaces (with several lines selected: indents each), Shift+Tab outdents the line(s);
//   Escape leaves the field (keyboard users are never trapped in it): the page's own keys work again, and
//   Tab moves on from there;
//   Ctrl+Enter or Cmd+Enter submits the form (the study page: the answer; the exam: save and go on);
//   what is typed is kept in sessionStorage per showing of a question (data-draft-key), so an accidental
//   reload keeps it, and so does an undo of the answer (the same showing is asked again). A page that
//   shows the learner's own text from the server (data-restore absent) keeps that instead.
// Without JavaScript the field is an ordinary one and the form's buttons submit it.
(function () {
  "use strict";
  var INDENT = "  ";

  function store() {
    try {
      return window.sessionStorage;
    } catch (e) {
      return null; // storage disabled: no drafts
    }
  }

  function submit(form) {
    if (!form || form.dataset.sending) return;
    form.dataset.sending = "1";
    if (form.requestSubmit) form.requestSubmit();
    else form.submit();
  }

  // Replace the selection with text, keeping the browser's undo history where it can.
  function insert(field, text, start, end) {
    field.setSelectionRange(start, end);
    var done = false;
    try {
      done = document.execCommand("insertText", false, text);
    } catch (e) {
      done = false;
    }
    if (!done) {
      field.setRangeText(text, start, end, "end");
      field.dispatchEvent(new Event("input", { bubbles: true }));
    }
  }

  // Start of the line that holds position `at`.
  function lineStart(value, at) {
    return value.lastIndexOf("\n", at - 1) + 1;
  }

  function indent(field) {
    var value = field.value, start = field.selectionStart, end = field.selectionEnd;
    if (value.slice(start, end).indexOf("\n") < 0) {
      insert(field, INDENT, start, end);
      return;
    }
    var from = lineStart(value, start);
    var block = value.slice(from, end);
    var lines = block.split("\n");
    var changed = lines.map(function (line, i) {
      return line || i === 0 ? INDENT + line : line;
    }).join("\n");
    insert(field, changed, from, end);
    field.setSelectionRange(start + INDENT.length, from + changed.length);
  }

  function outdent(field) {
    var value = field.value, start = field.selectionStart, end = field.selectionEnd;
    var from = lineStart(value, start);
    var block = value.slice(from, end);
    var removedFirst = 0;
    var changed = block.split("\n").map(function (line, i) {
      var spaces = /^ {1,2}/.exec(line);
      var cut = spaces ? spaces[0].length : line.charAt(0) === "\t" ? 1 : 0;
      if (i === 0) removedFirst = cut;
      return line.slice(cut);
    }).join("\n");
    if (changed === block) return;
    insert(field, changed, from, end);
    var caret = Math.max(from, start - removedFirst);
    field.setSelectionRange(caret, start === end ? caret : from + changed.length);
  }

  function setUp(field) {
    var form = field.form;
    var key = field.dataset.draftKey ? "opsprep-draft:" + field.dataset.draftKey : "";
    var drafts = key ? store() : null;

    if (drafts && field.dataset.restore === "draft") {
      var kept = drafts.getItem(key);
      if (kept !== null && kept !== field.value) {
        field.value = kept;
        var note = document.getElementById(field.id + "-draft");
        if (note) note.hidden = false;
      }
    }

    field.addEventListener("keydown", function (event) {
      if (event.isComposing) return;
      if (event.key === "Escape") {
        event.preventDefault();
        field.blur(); // Tab then moves on from the field, as sequential navigation starts where the focus was
        return;
      }
      if (event.key === "Enter" && (event.ctrlKey || event.metaKey)) {
        event.preventDefault();
        submit(form);
        return;
      }
      if (event.key === "Tab" && field.tagName === "TEXTAREA" && !event.altKey && !event.ctrlKey && !event.metaKey) {
        event.preventDefault();
        if (event.shiftKey) outdent(field);
        else indent(field);
      }
    });
    if (drafts) {
      field.addEventListener("input", function () {
        try {
          drafts.setItem(key, field.value);
        } catch (e) {
          // storage full: the draft is simply not kept
        }
      });
    }
  }

  document.querySelectorAll("[data-editor]").forEach(setUp);
})();
