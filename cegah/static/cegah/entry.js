// The data-entry grid (no inline scripts: CSP). Cells save themselves through HTMX
// attributes; this script only reflects the server's answer on the input (aria-invalid,
// the red border), says so when a save could not reach the server, and takes the other
// person's value when a conflict is settled their way. The input itself is never
// replaced, so what the user typed stays while a save is on its way.
(function () {
  "use strict";

  function inputFor(state) {
    var id = state && state.getAttribute("data-for");
    return id ? document.getElementById(id) : null;
  }

  function markInvalid(input, invalid) {
    input.classList.toggle("is-invalid", invalid);
    if (invalid) {
      input.setAttribute("aria-invalid", "true");
    } else {
      input.removeAttribute("aria-invalid");
    }
  }

  document.addEventListener("htmx:afterSwap", function (event) {
    var target = event.detail && event.detail.target;
    if (!target || !target.querySelector) { return; }
    var state = target.querySelector("[data-cell-state]");
    var input = inputFor(state);
    if (!input) { return; }
    var answer = state.getAttribute("data-cell-state");
    markInvalid(input, answer === "error" || answer === "conflict");
  });

  // While a cell shows a conflict over what it holds, that value was sent already: leaving
  // the input (to click one of the conflict's buttons, say) would send it again, and the
  // answer would replace the buttons under the pointer. Only a different value is sent.
  document.addEventListener("htmx:beforeRequest", function (event) {
    var source = event.detail && event.detail.elt;
    if (!source || !source.classList || !source.classList.contains("entry-input")) { return; }
    var feedback = document.getElementById(source.getAttribute("aria-describedby"));
    var conflict = feedback && feedback.querySelector(".entry-conflict");
    if (conflict && conflict.getAttribute("data-mine") === source.value.trim()) {
      event.preventDefault();
    }
  });

  // "Use their value": their value into the input and the version it was stored with
  // into the cell, so the next save is checked against what the user now sees. Nothing
  // is sent: their value is stored already.
  document.addEventListener("click", function (event) {
    var button = event.target.closest && event.target.closest("[data-use-theirs]");
    if (!button) { return; }
    var input = document.getElementById(button.getAttribute("data-for"));
    var version = document.getElementById(button.getAttribute("data-version-for"));
    if (!input || !version) { return; }
    input.value = button.getAttribute("data-value");
    version.value = button.getAttribute("data-version");
    markInvalid(input, false);
    var feedback = button.closest(".entry-feedback");
    if (feedback) {
      var message = document.createElement("span");
      message.className = "text-secondary";
      message.setAttribute("role", "status");
      message.textContent = button.getAttribute("data-kept-message");
      feedback.replaceChildren(message);
    }
    input.focus();
  });

  function offline(event) {
    var source = event.detail && event.detail.elt;
    var grid = document.getElementById("entry-grid");
    if (!source || !grid || !grid.contains(source)) { return; }
    var targetSelector = source.getAttribute("hx-target");
    var target = targetSelector ? document.querySelector(targetSelector) : null;
    if (target) {
      var message = document.createElement("span");
      message.className = "text-danger";
      message.setAttribute("role", "alert");
      message.textContent = grid.getAttribute("data-offline-message") || "Not saved.";
      target.replaceChildren(message);
    }
  }
  document.addEventListener("htmx:sendError", offline);
  document.addEventListener("htmx:responseError", offline);
})();
