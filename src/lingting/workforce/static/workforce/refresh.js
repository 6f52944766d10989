// A page's live part (the element with data-refresh, the URL of its partial: the intraday
// figures, the hourly broadcast board) refreshes itself every minute without a full reload:
// no inline script (CSP). Skipped while the tab is hidden; a failed fetch leaves the figures
// as they were until the next minute.
(function () {
  "use strict";
  var live = document.querySelector("[data-refresh]");
  if (!live) {
    return;
  }
  var url = live.dataset.refresh;
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
          live.innerHTML = html;
        }
      })
      .catch(function () {
        // Offline for a moment: the next minute tries again.
      });
  }, 60000);
})();
