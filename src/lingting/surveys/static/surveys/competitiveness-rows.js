// The wave form's "添加一行": a blank operator row from the page's <template>, numbered as
// the next form of the formset (Django's __prefix__), and the formset told it has one more.
// Without this script the form still offers one spare row at each save.
(function () {
  "use strict";
  const add = document.getElementById("wave-row-add");
  const template = document.getElementById("wave-row-template");
  const body = document.getElementById("wave-rows-body");
  const total = document.getElementById("id_op-TOTAL_FORMS");
  if (!add || !template || !body || !total) return;
  add.hidden = false;
  add.addEventListener("click", function () {
    const index = Number(total.value);
    const row = template.content.firstElementChild.cloneNode(true);
    row.querySelectorAll("input").forEach(function (input) {
      ["name", "id"].forEach(function (attribute) {
        const value = input.getAttribute(attribute);
        if (value) input.setAttribute(attribute, value.replace("__prefix__", String(index)));
      });
    });
    body.appendChild(row);
    total.value = String(index + 1);
    const first = row.querySelector("input");
    if (first) first.focus();
  });
})();
