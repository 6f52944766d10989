// Progressive enhancement for the contact list: when a filter changes, fetch only the
// results (the "results" template partial) and swap them in. Without JavaScript the
// form's submit button does the same with a full page.
(function () {
  "use strict";
  var form = document.getElementById("contact-filters");
  if (!form || !window.fetch || !window.URLSearchParams) {
    return;
  }
  var pending = null;

  function query() {
    var params = new URLSearchParams();
    new FormData(form).forEach(function (value, name) {
      if (value !== "") {
        params.append(name, value);
      }
    });
    return params.toString();
  }

  function refresh() {
    var qs = query();
    var url = form.action + (qs ? "?" + qs : "");
    if (pending) {
      pending.abort();
    }
    pending = new AbortController();
    fetch(url, {
      headers: { "X-Lingting-Fragment": "results" },
      credentials: "same-origin",
      signal: pending.signal,
    })
      .then(function (response) {
        if (!response.ok) {
          throw new Error(response.status);
        }
        return response.text();
      })
      .then(function (html) {
        var current = document.getElementById("results");
        var holder = document.createElement("div");
        holder.innerHTML = html;
        var fresh = holder.querySelector("#results");
        if (current && fresh) {
          current.replaceWith(fresh);
          window.history.replaceState(null, "", url);
        }
      })
      .catch(function (error) {
        if (error.name !== "AbortError") {
          form.submit();
        }
      });
  }

  form.addEventListener("change", refresh);
})();
