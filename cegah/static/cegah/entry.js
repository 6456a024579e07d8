// The data-entry grid (no inline scripts: CSP). Cells save themselves through HTMX
// attributes; this script only reflects the server's answer on the input (aria-invalid,
// the red border) and says so when a save could not reach the server. The input itself
// is never replaced, so what the user typed stays while a save is on its way.
(function () {
  "use strict";

  function inputFor(state) {
    var id = state && state.getAttribute("data-for");
    return id ? document.getElementById(id) : null;
  }

  document.addEventListener("htmx:afterSwap", function (event) {
    var target = event.detail && event.detail.target;
    if (!target || !target.querySelector) { return; }
    var state = target.querySelector("[data-cell-state]");
    var input = inputFor(state);
    if (!input) { return; }
    var invalid = state.getAttribute("data-cell-state") === "error";
    input.classList.toggle("is-invalid", invalid);
    if (invalid) {
      input.setAttribute("aria-invalid", "true");
    } else {
      input.removeAttribute("aria-invalid");
    }
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
