// Lang Portal: the few behaviours htmx does not cover. A static, deferred file (the CSP
// forbids inline scripts and eval), and every page works without it.
(function () {
  "use strict";

  // (a) Flashcard shortcuts: click the button the widget rendered with data-shortcut.
  var SHORTCUTS = {
    " ": "reveal", Enter: "reveal",
    "1": "wrong", ArrowLeft: "wrong",
    "2": "right", ArrowRight: "right"
  };

  function isTyping(el) {
    return !!el && (el.isContentEditable || /^(INPUT|SELECT|TEXTAREA)$/.test(el.tagName));
  }

  document.addEventListener("keydown", function (e) {
    if (e.defaultPrevented || e.repeat || e.altKey || e.ctrlKey || e.metaKey) return;
    var action = SHORTCUTS[e.key];
    if (!action) return;
    var active = document.activeElement;
    if (isTyping(active)) return;
    // Space/Enter on a focused link or button already activates it: don't do it twice.
    if ((e.key === " " || e.key === "Enter") && active && active.closest("a[href], button, summary")) return;
    var widget = document.querySelector("[data-flashcard]");
    var button = widget && widget.querySelector('[data-shortcut="' + action + '"]');
    if (!button || button.disabled) return;
    e.preventDefault();
    button.click();
  });

  // (b) Copy a share link: <button data-copy="#share-url">.
  function announce(button, text) {
    var status = button.parentNode.querySelector("[data-copy-status]");
    if (status) status.textContent = text;
    if (!button.dataset.label) button.dataset.label = button.textContent;
    button.textContent = text;
    clearTimeout(button._copyTimer);
    button._copyTimer = setTimeout(function () {
      button.textContent = button.dataset.label;
      if (status) status.textContent = "";
    }, 2000);
  }

  function copyFrom(button) {
    var input = document.querySelector(button.getAttribute("data-copy"));
    if (!input) return;
    var fallback = function () {
      input.focus();
      input.select();
      var ok = false;
      try { ok = document.execCommand("copy"); } catch (err) { ok = false; }
      announce(button, ok ? "Copied" : "Press Ctrl+C to copy");
    };
    if (navigator.clipboard && window.isSecureContext) {
      navigator.clipboard.writeText(input.value).then(function () { announce(button, "Copied"); }, fallback);
    } else {
      fallback();
    }
  }

  document.addEventListener("click", function (e) {
    var copy = e.target.closest("[data-copy]");
    if (copy) { e.preventDefault(); copyFrom(copy); return; }
    if (e.target.closest("[data-history-back]")) { e.preventDefault(); history.back(); }
  });

  // (c) "Launch now" stays disabled until a group is chosen (rendered enabled for no-JS).
  function syncChoice(select) {
    var form = select.form;
    var button = form && form.querySelector("[data-requires-choice]");
    if (button) button.disabled = !select.value;
  }

  document.addEventListener("change", function (e) {
    if (e.target.matches && e.target.matches("select[data-choice]")) syncChoice(e.target);
  });

  function init(root) {
    root.querySelectorAll("select[data-choice]").forEach(syncChoice);
    if (history.length > 1) {
      root.querySelectorAll("[data-history-back]").forEach(function (b) { b.hidden = false; });
    }
  }

  init(document);
  document.addEventListener("htmx:after:swap", function () { init(document); });
  // Back/forward may restore the page from the bfcache with the old button state.
  window.addEventListener("pageshow", function () { init(document); });
})();
