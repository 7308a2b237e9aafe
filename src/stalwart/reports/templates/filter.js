/* Status filter: the only script in the report. Without it every check stays visible. */
(function () {
  "use strict";
  var buttons = Array.prototype.slice.call(document.querySelectorAll("[data-filter]"));
  var items = Array.prototype.slice.call(document.querySelectorAll("[data-check-status]"));
  var reset = document.querySelector("[data-filter-reset]");
  var active = null;
  function apply() {
    items.forEach(function (el) {
      el.hidden = active !== null && el.getAttribute("data-check-status") !== active;
    });
    buttons.forEach(function (b) {
      b.setAttribute("aria-pressed", String(b.getAttribute("data-filter") === active));
    });
    if (reset) { reset.hidden = active === null; }
  }
  buttons.forEach(function (b) {
    if (b.getAttribute("data-count") === "0") { return; }
    b.disabled = false;
    b.title = "Show only these checks";
    b.addEventListener("click", function () {
      var wanted = b.getAttribute("data-filter");
      active = active === wanted ? null : wanted;
      apply();
    });
  });
  if (reset) {
    reset.addEventListener("click", function () { active = null; apply(); });
  }
})();
