// The decision form shows only the fields that belong to the chosen decision. Without
// JavaScript every field stays visible, each with a help text that says when it is needed.
(function () {
  "use strict";
  var form = document.querySelector("[data-decision-form]");
  if (!form) return;
  var blocks = form.querySelectorAll("[data-for-outcomes]");
  function chosen() {
    var checked = form.querySelector("input[name='outcome']:checked");
    return checked ? checked.value : "";
  }
  function update() {
    var outcome = chosen();
    blocks.forEach(function (block) {
      var fits = block.getAttribute("data-for-outcomes").split(" ").indexOf(outcome) !== -1;
      block.hidden = !fits;
    });
  }
  form.addEventListener("change", function (event) {
    if (event.target && event.target.name === "outcome") update();
  });
  update();
})();
