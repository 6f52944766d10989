// Fill each [data-knowledge-src] panel with the articles that answer what the customer
// said (a fragment from /knowledge/contact/<id>/articles/); the page never waits for it.
(function () {
  "use strict";
  document.querySelectorAll("[data-knowledge-src]").forEach(function (panel) {
    const body = panel.querySelector(".knowledge-results") || panel;
    fetch(panel.dataset.knowledgeSrc, { credentials: "same-origin" })
      .then(function (answer) {
        if (!answer.ok) throw new Error(String(answer.status));
        return answer.text();
      })
      .then(function (html) {
        body.innerHTML = html; // the server's own escaped template
      })
      .catch(function () {
        body.textContent = panel.dataset.failed || "";
      });
  });
})();
