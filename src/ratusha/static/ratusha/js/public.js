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
