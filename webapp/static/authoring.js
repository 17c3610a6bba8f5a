// Lang Portal authoring: the kana input (wanakana: romaji typed becomes kana) and
// Escape to cancel an inline rename. A static, deferred file; the forms work without it.
(function () {
  "use strict";

  function bindKana(root) {
    if (!window.wanakana) return;
    root.querySelectorAll("input[data-kana-input]:not([data-kana-bound])").forEach(function (input) {
      wanakana.bind(input, { IMEMode: true });
      input.setAttribute("data-kana-bound", "");
    });
  }

  document.addEventListener("keydown", function (e) {
    if (e.key !== "Escape") return;
    var form = e.target.closest && e.target.closest("form[data-escape-cancels]");
    var cancel = form && form.querySelector("[data-cancel]");
    if (!cancel) return;
    e.preventDefault();
    cancel.click();
  });

  document.addEventListener("htmx:after:swap", function () { bindKana(document); });
  if (document.readyState === "loading") {
    document.addEventListener("DOMContentLoaded", function () { bindKana(document); });
  } else {
    bindKana(document);
  }
})();
