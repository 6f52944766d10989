// Today's hourly broadcast board refreshes itself every minute (no inline script: CSP).
(function () {
  "use strict";
  var board = document.getElementById("broadcast-board");
  if (!board || !board.dataset.refresh) {
    return;
  }
  var url = board.dataset.refresh;
  window.setInterval(function () {
    if (document.hidden) {
      return;
    }
    fetch(url, { credentials: "same-origin", headers: { "X-Requested-With": "fetch" } })
      .then(function (response) {
        return response.ok ? response.text() : null;
      })
      .then(function (html) {
        if (html !== null) {
          board.innerHTML = html;
        }
      })
      .catch(function () {
        // Offline for a moment: the next minute tries again.
      });
  }, 60000);
})();
