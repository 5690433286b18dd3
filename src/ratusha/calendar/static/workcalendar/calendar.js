/* Calendar page: after htmx replaces the calculator, move focus to its result (or to the error summary)
 * so that keyboard and screen-reader users land on what changed. Without JS the page reloads instead. */
(function () {
  "use strict";
  document.addEventListener("htmx:afterSettle", function (event) {
    var target = event.detail && event.detail.target;
    if (!target || target.id !== "calculator") return;
    var card = document.getElementById("calculator");
    var focus = card && (card.querySelector("#error-summary") || card.querySelector(".cal-result"));
    if (focus) {
      focus.setAttribute("tabindex", "-1");
      focus.focus();
    }
  });
})();
