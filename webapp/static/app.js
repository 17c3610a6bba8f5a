// Lang Portal: the few behaviours htmx does not cover. A static, deferred file (the CSP
// forbids inline scripts and eval), and every page works without it.
(function () {
  "use strict";

  // (a) Flashcard shortcuts: click the button the widget rendered with data-shortcut.
  var SHORTCUTS = {
    " ": "reveal", Enter: "reveal",
    "1": "wrong", ArrowLeft: "wrong",
    "2": "right", ArrowRight: "right",
    u: "undo", U: "undo"
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

  // (d) Answers are never lost: every answer form (data-answer-form) is sent from here.
  // The answer first goes into a small outbox in localStorage, with a client_id made
  // here, then is posted; it leaves the outbox only once the portal has answered. A
  // failed post (server down, offline) stays, the page says so, and it is retried with
  // the same client_id (the portal records it once), also on the next visit, and by a
  // beacon when the tab closes. The card moves on only when the portal has the answer.
  var OUTBOX_KEY = "lang-portal-outbox-v1";
  var retryTimer = null;
  var retryDelay = 2000;
  var sending = {};

  function loadOutbox() {
    try { return JSON.parse(localStorage.getItem(OUTBOX_KEY) || "[]"); } catch (err) { return []; }
  }
  function saveOutbox(items) {
    try { localStorage.setItem(OUTBOX_KEY, JSON.stringify(items)); } catch (err) { /* private mode: memory only */ }
  }
  function dropFromOutbox(id) {
    saveOutbox(loadOutbox().filter(function (item) { return item.id !== id; }));
  }
  function newClientId() {
    if (window.crypto && crypto.randomUUID) return crypto.randomUUID();
    var bytes = new Uint8Array(16);
    crypto.getRandomValues(bytes);
    return Array.prototype.map.call(bytes, function (b) { return (b + 256).toString(16).slice(1); }).join("");
  }
  function csrfToken() {
    var meta = document.querySelector('meta[name="csrf-token"]');
    return meta ? meta.content : "";
  }

  function showStatus(text) {
    var box = document.querySelector("[data-outbox-status]");
    if (!box) return;
    box.textContent = text;
    box.hidden = !text;
  }
  function describePending() {
    var count = loadOutbox().length;
    if (!count) { showStatus(""); return; }
    showStatus((count === 1 ? "1 answer is" : count + " answers are") +
      " not saved yet: the portal cannot be reached. They are kept on this device and sent again" +
      " automatically (next try in " + Math.round(retryDelay / 1000) + " s).");
  }

  function swapCard(targetId, html) {
    var old = document.getElementById(targetId);
    if (!old) return;
    var holder = document.createElement("div");
    holder.innerHTML = html;
    var fresh = holder.querySelector("#" + targetId);
    if (!fresh) return;
    old.replaceWith(fresh);
    if (window.htmx) htmx.process(fresh);
    init(fresh);
    var focus = fresh.querySelector("[autofocus]");
    if (focus) focus.focus();
  }

  function scheduleRetry() {
    if (retryTimer) return;
    retryTimer = setTimeout(function () {
      retryTimer = null;
      flushOutbox();
    }, retryDelay);
    describePending();
    retryDelay = Math.min(retryDelay * 2, 30000);
  }

  function post(item) {
    return fetch(item.url, {
      method: "POST",
      body: item.body,
      credentials: "same-origin",
      headers: {
        "Content-Type": "application/x-www-form-urlencoded",
        "HX-Request": "true",
        "HX-Request-Type": "partial",
        "HX-Target": "section#" + item.target,
        "X-CSRF-Token": csrfToken()
      }
    });
  }

  function send(item) {
    if (sending[item.id]) return Promise.resolve();
    sending[item.id] = true;
    var card = document.getElementById(item.target);
    var here = card && item.page === location.pathname;
    if (here) card.setAttribute("aria-busy", "true");
    return post(item).then(function (response) {
      if (response.status >= 500) throw new Error("server error " + response.status);
      dropFromOutbox(item.id);
      retryDelay = 2000;
      return response.text().then(function (html) {
        if (response.status >= 400 && response.status !== 422) {
          showStatus("The portal refused an answer (" + response.status + "). Reload the page to go on.");
        } else {
          describePending();
        }
        if (here) swapCard(item.target, html);
      });
    }).catch(function () {
      scheduleRetry();
    }).finally(function () {
      delete sending[item.id];
      var current = document.getElementById(item.target);
      if (current) current.removeAttribute("aria-busy");
    });
  }

  function flushOutbox() {
    loadOutbox().forEach(send);
  }

  function queueForm(form, submitter) {
    var data = new FormData(form);
    if (submitter && submitter.name) data.set(submitter.name, submitter.value);
    if (!data.get("client_id")) data.set("client_id", newClientId());
    var card = form.closest("[data-flashcard]");
    var item = {
      id: data.get("client_id"),
      url: form.getAttribute("action"),
      page: location.pathname,
      target: card ? card.id : "",
      body: new URLSearchParams(data).toString(),
      at: Date.now()
    };
    var items = loadOutbox().filter(function (other) { return other.id !== item.id; });
    items.push(item);
    saveOutbox(items);
    form.setAttribute("data-sent", "");
    return item;
  }

  function undo(form) {
    var pending = loadOutbox();
    if (pending.length) {
      // Not saved yet, so nothing to undo on the portal: cancel it here instead.
      var last = pending[pending.length - 1];
      dropFromOutbox(last.id);
      describePending();
      showStatus("Your last answer had not been sent; it is cancelled.");
      return;
    }
    var card = form.closest("[data-flashcard]");
    var item = { url: form.getAttribute("action"), body: new URLSearchParams(new FormData(form)).toString(),
                 target: card ? card.id : "" };
    post(item).then(function (response) {
      return response.text().then(function (html) {
        if (response.status >= 500) throw new Error("server error");
        showStatus(response.status === 409 ? "There is no answer to undo." : "");
        if (response.status < 400) swapCard(item.target, html);
      });
    }).catch(function () {
      showStatus("Could not undo: the portal cannot be reached. Nothing changed; try again.");
    });
  }

  // Capture phase, and stopped here: htmx (listening on the form) never sees these.
  document.addEventListener("submit", function (e) {
    var form = e.target;
    var isUndo = form.matches("[data-undo-form]");
    if (!isUndo && !form.matches("[data-answer-form]")) return;
    e.preventDefault();
    e.stopPropagation();
    if (isUndo) { undo(form); return; }
    if (form.hasAttribute("data-sent")) return;  // a second Enter while the first is on its way
    send(queueForm(form, e.submitter));
  }, true);

  window.addEventListener("online", flushOutbox);
  // Closing the tab: hand what is still waiting to the browser to deliver. Items stay in
  // the outbox until the portal has answered one of these tries (it records each id once).
  window.addEventListener("pagehide", function () {
    // A near miss left unsettled counts as a miss: the rule the page shows.
    document.querySelectorAll("form[data-default-answer]:not([data-sent])").forEach(function (form) {
      queueForm(form, form.querySelector("[data-default]"));
    });
    if (!navigator.sendBeacon) return;
    loadOutbox().forEach(function (item) {
      navigator.sendBeacon(item.url, new Blob([item.body], { type: "application/x-www-form-urlencoded" }));
    });
  });

  // (e) Kana input: romaji becomes kana as the learner types (plain romaji works without JS).
  function bindKana(root) {
    if (!window.wanakana) return;
    root.querySelectorAll("input[data-kana-input]:not([data-kana-bound])").forEach(function (input) {
      wanakana.bind(input, { IMEMode: true });
      input.setAttribute("data-kana-bound", "");
    });
  }

  function init(root) {
    root.querySelectorAll("select[data-choice]").forEach(syncChoice);
    // One id per answer, made here (the server's value only serves forms sent without JS).
    root.querySelectorAll("input[data-client-id]:not([data-client-made])").forEach(function (input) {
      input.value = newClientId();
      input.setAttribute("data-client-made", "");
    });
    bindKana(root);
    // The time zone field starts at the browser's zone until the learner picks one.
    root.querySelectorAll("input[data-browser-timezone]").forEach(function (input) {
      var zone = "";
      try { zone = Intl.DateTimeFormat().resolvedOptions().timeZone || ""; } catch (err) { zone = ""; }
      if (!input.value && zone) input.value = zone;
    });
    if (history.length > 1) {
      root.querySelectorAll("[data-history-back]").forEach(function (b) { b.hidden = false; });
    }
  }

  init(document);
  if (loadOutbox().length) flushOutbox();
  document.addEventListener("htmx:after:swap", function () { init(document); });
  // Back/forward may restore the page from the bfcache with the old button state.
  window.addEventListener("pageshow", function () { init(document); });
})();
