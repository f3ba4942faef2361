// Keys for the study card's actions, as Anki's: * bookmarks (or unbookmarks), - buries until tomorrow,
// @ or ! suspends. Each presses its button of the card-actions form, which posts and comes back to the
// study page. Keys typed into a text field, or with Ctrl, Alt or Meta, are left alone. Without
// JavaScript the buttons work as they are.
(function () {
  "use strict";
  var form = document.getElementById("card-actions");
  if (!form || form.dataset.keys) return;
  form.dataset.keys = "on";
  var sent = false;

  function typing(el) {
    if (!el || !el.tagName) return false;
    var tag = el.tagName;
    if (tag === "TEXTAREA" || tag === "SELECT" || el.isContentEditable) return true;
    return tag === "INPUT" && el.type !== "radio" && el.type !== "checkbox";
  }

  function buttonFor(key) {
    var buttons = form.querySelectorAll("button[data-key]");
    for (var i = 0; i < buttons.length; i++) {
      if (buttons[i].dataset.key.split(" ").indexOf(key) >= 0) return buttons[i];
    }
    return null;
  }

  document.addEventListener("keydown", function (event) {
    if (event.ctrlKey || event.metaKey || event.altKey || event.isComposing || typing(event.target)) return;
    var button = buttonFor(event.key);
    if (!button) return;
    event.preventDefault();
    if (sent || button.disabled) return;
    sent = true;
    if (form.requestSubmit) form.requestSubmit(button);
    else button.click();
  });
})();
