// The card filters of the report and of the notebook view, one copy for both: `root` holds the
// filter controls (#f-category, #f-flag, #f-setting, #f-changed, #f-diff, #shown) and the cards.
// An expression: report.py and notebook.py append `(rootElement);`.
(function (root) {
  "use strict";
  if (!root) { return; }
  var cards = Array.prototype.slice.call(root.querySelectorAll("article.card"));
  var q = function (sel) { return root.querySelector(sel); };
  var cat = q("#f-category"), flag = q("#f-flag"), setting = q("#f-setting"), changed = q("#f-changed");
  var diff = q("#f-diff"), shown = q("#shown");
  function hasFlag(card, name) {
    var flags = card.getAttribute("data-flags");
    if (name === "__any__") { return flags !== ""; }
    if (name === "__none__") { return flags === ""; }
    if (name === "__gained__") { return card.getAttribute("data-gained") !== ""; }
    return (" " + flags + " ").indexOf(" " + name + " ") >= 0;
  }
  function apply() {
    var n = 0;
    cards.forEach(function (card) {
      var ok = (!cat || !cat.value || card.getAttribute("data-category") === cat.value)
        && (!flag || !flag.value || hasFlag(card, flag.value))
        && (!setting || !setting.value || card.getAttribute("data-setting") === setting.value)
        && (!changed || !changed.checked || card.getAttribute("data-changed") === "1");
      card.hidden = !ok;
      if (ok) { n += 1; }
    });
    if (shown) { shown.textContent = n + " of " + cards.length + " shown"; }
  }
  [cat, flag, setting, changed].forEach(function (el) { if (el) { el.addEventListener("change", apply); } });
  if (diff) { diff.addEventListener("change", function () { root.classList.toggle("nodiff", !diff.checked); }); }
  apply();
})
