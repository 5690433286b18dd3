/* Public e-appeal form: the co-signer rows are shown only for a collective appeal. Without JavaScript
 * they are always visible and the server checks that the flag and the rows agree. */
(function () {
  "use strict";
  function setup() {
    var box = document.getElementById("id_is_collective");
    var rows = document.querySelector("[data-cosigners]");
    if (!box || !rows) return;
    function filled() {
      return Array.prototype.some.call(rows.querySelectorAll("input[type=text]"), function (i) { return i.value.trim() !== ""; });
    }
    function sync() { rows.hidden = !box.checked && !filled(); }
    box.addEventListener("change", sync);
    sync();
  }
  if (document.readyState === "loading") document.addEventListener("DOMContentLoaded", setup); else setup();
})();

/* Share links: the «copy link» button (shown only when the Clipboard API exists). No third-party code. */
(function () {
  "use strict";
  function setup() {
    if (!navigator.clipboard) return;
    Array.prototype.forEach.call(document.querySelectorAll("[data-copy-link]"), function (button) {
      if (button.dataset.ready) return;
      button.dataset.ready = "1";
      button.hidden = false;
      button.addEventListener("click", function () {
        navigator.clipboard.writeText(button.dataset.copyLink).then(function () {
          var status = button.closest(".share") && button.closest(".share").querySelector("[data-copy-status]");
          if (status) status.textContent = button.dataset.copied;
          button.textContent = button.dataset.copied;
        });
      });
    });
  }
  if (document.readyState === "loading") document.addEventListener("DOMContentLoaded", setup); else setup();
})();
