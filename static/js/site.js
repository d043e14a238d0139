// Small enhancements that must never be required: every control also works without JavaScript.
(function () {
  "use strict";

  // Words for answers that did not come from the site (a proxy's 429, a gateway's 502).
  var STATUS_WORDS = {
    429: "Too many requests in a short time: wait a minute and try again. Nothing was changed.",
    413: "That was too large to send, so nothing was changed."
  };

  function controlOf(element) {
    return element.closest("form") || element;
  }

  function errorSlotAfter(control) {
    var next = control.nextElementSibling;
    return next && next.classList.contains("htmx-error") ? next : null;
  }

  function clearError(control) {
    var slot = errorSlotAfter(control);
    if (slot) slot.remove();
  }

  function serverMessage(xhr) {
    // The site's refusals are one fragment, <p class="htmx-error" role="alert">…</p>.
    var type = xhr.getResponseHeader("Content-Type") || "";
    if (type.indexOf("text/html") === 0) {
      var parsed = new DOMParser().parseFromString(xhr.responseText, "text/html");
      var own = parsed.querySelector(".htmx-error");
      if (own && own.textContent.trim()) return own.textContent.trim();
    }
    if (STATUS_WORDS[xhr.status]) return STATUS_WORDS[xhr.status];
    return "That did not work (error " + xhr.status + "), so nothing was changed. Try again in a moment.";
  }

  function showErrorNear(element, text) {
    var control = controlOf(element);
    var slot = errorSlotAfter(control);
    if (!slot) {
      slot = document.createElement("p");
      slot.className = "htmx-error";
      slot.setAttribute("role", "alert");
      control.insertAdjacentElement("afterend", slot);
    }
    slot.textContent = text;
  }

  // A refused action (4xx) keeps the page and what was typed: the server's message goes next
  // to the control. When the server redrew the control itself with the error (it then names
  // the swap with HX-Retarget or HX-Reswap), that part is swapped in instead.
  document.addEventListener("htmx:beforeSwap", function (event) {
    var xhr = event.detail.xhr;
    if (xhr.status < 400) return;
    var element = event.detail.requestConfig.elt;
    if (xhr.status < 500 && (xhr.getResponseHeader("HX-Retarget") || xhr.getResponseHeader("HX-Reswap"))) {
      event.detail.shouldSwap = true;
      event.detail.isError = false;
      return;
    }
    // Handled here, so htmx neither swaps it nor reports it again.
    event.detail.shouldSwap = false;
    event.detail.isError = false;
    if (xhr.status >= 500) {
      showErrorNear(element, "Something went wrong on our side, so nothing was changed. Try again in a moment.");
    } else {
      showErrorNear(element, serverMessage(xhr));
    }
  });

  // The roadmap draws only its current stage's steps; a stage the learner opened stays open
  // (and drawn) when the roadmap redraws itself after a change made inside it.
  document.addEventListener("htmx:configRequest", function (event) {
    if (event.detail.elt.id !== "roadmap-body") return;
    var opened = event.detail.elt.querySelector(".path-stage:not(.is-current) > details[open] .path-steps");
    if (opened) event.detail.parameters.stage = opened.id.replace("stage-steps-", "");
  });

  // A part redrawn after a change (it listens for progressChanged) is not replaced while a
  // control inside it still waits for its answer: replacing it would drop that answer and its
  // messages. The control's own answer announces the change again, so the part redraws then.
  document.addEventListener("htmx:beforeSwap", function (event) {
    var part = event.detail.requestConfig.elt;
    if (part === event.detail.target && part.matches("[data-hx-trigger*='progressChanged']")
        && part.querySelector(".htmx-request")) {
      event.detail.shouldSwap = false;
    }
  });

  document.addEventListener("htmx:sendError", function (event) {
    showErrorNear(event.detail.requestConfig.elt, "The site could not be reached, so nothing was changed. Check your connection and try again.");
  });

  document.addEventListener("htmx:beforeRequest", function (event) {
    clearError(controlOf(event.detail.elt));
  });
})();

// The browser's time zone, for forms that can use it: a hidden field at sign-up, and the
// profile's select while it still says UTC. Without JavaScript both stay UTC.
(function () {
  "use strict";
  var zone;
  try { zone = Intl.DateTimeFormat().resolvedOptions().timeZone; } catch (error) { return; }
  if (!zone) return;
  document.addEventListener("DOMContentLoaded", function () {
    document.querySelectorAll("input[data-browser-time-zone]").forEach(function (input) {
      input.value = zone;
    });
    document.querySelectorAll("select[data-preselect-browser-zone]").forEach(function (select) {
      if (select.value !== "UTC" || !select.querySelector('option[value="' + CSS.escape(zone) + '"]')) return;
      select.value = zone;
      var note = document.createElement("span");
      note.className = "helptext";
      note.textContent = "Your browser's time zone is chosen; save the profile to keep it.";
      select.insertAdjacentElement("afterend", note);
    });
  });
})();
