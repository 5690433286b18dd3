/* Ratusha office: small progressive enhancements. Everything works without this file. */
(function () {
  "use strict";
  var uk = (document.documentElement.lang || "uk").indexOf("en") !== 0;
  var T = uk ? { pick: "Обрати дату в календарі", sending: "Зачекайте…" }
             : { pick: "Choose a date in the calendar", sending: "Please wait…" };

  function pad(n) { return (n < 10 ? "0" : "") + n; }

  /* ДД.ММ.РРРР from what people type: 05032026, 5.3.2026, 05/03/2026, 2026-03-05. */
  function normaliseDate(value) {
    var v = (value || "").trim(), m;
    if ((m = /^(\d{2})(\d{2})(\d{4})$/.exec(v))) return m[1] + "." + m[2] + "." + m[3];
    if ((m = /^(\d{1,2})[.\/\-,](\d{1,2})[.\/\-,](\d{4})$/.exec(v))) return pad(+m[1]) + "." + pad(+m[2]) + "." + m[3];
    if ((m = /^(\d{4})-(\d{2})-(\d{2})$/.exec(v))) return m[3] + "." + m[2] + "." + m[1];
    return value;
  }
  function toIso(value) {
    var m = /^(\d{2})\.(\d{2})\.(\d{4})$/.exec(normaliseDate(value));
    return m ? m[3] + "-" + m[2] + "-" + m[1] : "";
  }

  function enhanceDate(input) {
    if (input.dataset.enhanced) return;
    input.dataset.enhanced = "1";
    input.addEventListener("blur", function () { input.value = normaliseDate(input.value); });
    var probe = document.createElement("input");
    probe.type = "date";
    if (probe.type !== "date") return; /* no native picker: the text field is enough */
    var wrap = document.createElement("span");
    wrap.className = "date-wrap";
    input.parentNode.insertBefore(wrap, input);
    wrap.appendChild(input);
    probe.className = "date-native";
    probe.tabIndex = -1;
    probe.setAttribute("aria-hidden", "true");
    var button = document.createElement("button");
    button.type = "button";
    button.className = "btn btn--secondary date-btn";
    var label = document.querySelector('label[for="' + input.id + '"]');
    button.setAttribute("aria-label", T.pick + (label ? ": " + label.textContent.replace("*", "").trim() : ""));
    button.innerHTML = '<svg class="icon" aria-hidden="true" focusable="false" viewBox="0 0 24 24" fill="none" stroke="currentColor" stroke-width="2" stroke-linecap="round"><rect x="3" y="5" width="18" height="16" rx="2"/><path d="M3 10h18M8 3v4M16 3v4"/></svg>';
    wrap.appendChild(button);
    wrap.appendChild(probe);
    button.addEventListener("click", function () {
      probe.value = toIso(input.value);
      try { probe.showPicker(); } catch (e) { probe.focus(); }
    });
    probe.addEventListener("change", function () {
      var m = /^(\d{4})-(\d{2})-(\d{2})$/.exec(probe.value);
      if (m) {
        input.value = m[3] + "." + m[2] + "." + m[1];
        input.dispatchEvent(new Event("change", { bubbles: true }));
      }
      input.focus();
    });
  }

  function enhance(root) {
    root.querySelectorAll("input[data-date]").forEach(enhanceDate);
  }

  /* One click registers one document: block a second submit while the first is on its way. */
  document.addEventListener("submit", function (event) {
    var form = event.target;
    if (!form.matches("[data-register-form]")) return;
    if (form.dataset.sending) { event.preventDefault(); return; }
    form.dataset.sending = "1";
    var button = form.querySelector('button[type="submit"]');
    if (button) { button.setAttribute("aria-disabled", "true"); button.dataset.label = button.innerHTML; button.textContent = T.sending; }
  });
  window.addEventListener("pageshow", function () {
    document.querySelectorAll("form[data-sending]").forEach(function (form) {
      delete form.dataset.sending;
      var button = form.querySelector('button[type="submit"]');
      if (button && button.dataset.label) { button.innerHTML = button.dataset.label; button.removeAttribute("aria-disabled"); }
    });
  });

  /* Focus the error summary after a failed submit so screen readers announce it. */
  function focusErrors() {
    var summary = document.getElementById("error-summary") || document.getElementById("duplicate-warning");
    if (summary) { summary.setAttribute("tabindex", "-1"); summary.focus(); }
  }

  document.addEventListener("DOMContentLoaded", function () {
    enhance(document);
    focusErrors();
  });
  document.addEventListener("htmx:afterSwap", function (event) { enhance(event.target); });
})();
