/* «Обмін: операції»: the «Копіювати» buttons next to our participant cards. The buttons are hidden
 * until this script shows them (without JS the card stays selectable text and a download link). */
(function () {
  "use strict";

  function announce(button, text) {
    var status = button.parentNode && button.parentNode.querySelector(".ops-copy-status");
    if (status) status.textContent = text;
  }

  function selectText(node) {
    var range = document.createRange();
    range.selectNodeContents(node);
    var selection = window.getSelection();
    selection.removeAllRanges();
    selection.addRange(range);
  }

  function copyFallback(node) {
    selectText(node);
    try {
      return document.execCommand("copy");
    } catch (e) {
      return false;
    }
  }

  function init() {
    var buttons = document.querySelectorAll("button[data-copy]");
    Array.prototype.forEach.call(buttons, function (button) {
      var target = document.getElementById(button.getAttribute("data-copy"));
      if (!target) return;
      button.hidden = false;
      button.addEventListener("click", function () {
        var text = target.textContent;
        var done = function () { announce(button, button.getAttribute("data-copied")); };
        var failed = function () {
          if (copyFallback(target)) done();
          else announce(button, button.getAttribute("data-copy-failed"));
        };
        if (navigator.clipboard && window.isSecureContext) {
          navigator.clipboard.writeText(text).then(done, failed);
        } else {
          failed();
        }
      });
    });
  }

  if (document.readyState === "loading") document.addEventListener("DOMContentLoaded", init);
  else init();
})();
