// The segment editor's live count: the rules are sent as they are typed (after a pause),
// and the number of customers they pick, or the first bad line, is shown beside them.
(function () {
  "use strict";
  const form = document.getElementById("segment-form");
  const rules = document.getElementById("segment-rules");
  const count = document.getElementById("segment-count");
  const error = document.getElementById("segment-error");
  if (!form || !rules || !count || !error) return;
  let timer = null;
  let asked = 0;
  function ask() {
    const mine = ++asked;
    const url = form.dataset.countUrl + "?rules=" + encodeURIComponent(rules.value);
    fetch(url, { credentials: "same-origin" })
      .then(function (answer) {
        if (!answer.ok) throw new Error(String(answer.status));
        return answer.json();
      })
      .then(function (body) {
        if (mine !== asked) return; // a later question is on its way
        count.textContent = body.error ? "—" : String(body.count);
        error.textContent = body.error || "";
      })
      .catch(function () {
        if (mine === asked) count.textContent = "—";
      });
  }
  rules.addEventListener("input", function () {
    clearTimeout(timer);
    timer = setTimeout(ask, 300);
  });
  ask();
})();
