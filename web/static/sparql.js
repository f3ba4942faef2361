// The query page: Ctrl+Enter (Cmd+Enter) runs the query; Prism (vendored) colours the editor as you type.
(function () {
  "use strict";
  var form = document.getElementById("query-form");
  var editor = document.getElementById("query");
  var code = document.getElementById("query-highlight");
  if (!form || !editor) return;

  editor.addEventListener("keydown", function (event) {
    if (event.key === "Enter" && (event.ctrlKey || event.metaKey)) {
      event.preventDefault();
      form.requestSubmit ? form.requestSubmit() : form.submit();
    }
  });

  if (!code || !window.Prism || !Prism.languages.sparql) return;
  var box = editor.parentElement;
  function paint() {
    // A trailing newline keeps the last line's height when the text ends with an empty line.
    code.innerHTML = Prism.highlight(editor.value + "\n", Prism.languages.sparql, "sparql");
    sync();
  }
  function sync() {
    code.parentElement.scrollTop = editor.scrollTop;
    code.parentElement.scrollLeft = editor.scrollLeft;
  }
  editor.addEventListener("input", paint);
  editor.addEventListener("scroll", sync);
  box.classList.add("highlighting");
  paint();
})();
