// The customer's chat with the FAQ bot and, after a handoff, with a person. The
// conversation's token stays in this browser, so a reload finds every message again; new
// messages are polled every two seconds (no external service, no socket to keep).
(function () {
  "use strict";
  const root = document.getElementById("chat");
  if (!root) return;
  const api = root.dataset.api.replace(/start\/$/, "");
  const names = JSON.parse(root.dataset.names);
  const labels = document.getElementById("labels").content.firstElementChild.dataset;
  const log = document.getElementById("chat-log");
  const form = document.getElementById("chat-form");
  const text = document.getElementById("chat-text");
  const status = document.getElementById("chat-status");
  const callback = document.getElementById("callback-form");
  const restart = document.getElementById("chat-restart");
  const KEY = "lingting-chat";
  let token = localStorage.getItem(KEY);
  let last = 0;

  function request(path, data) {
    const options = { headers: { "X-Lingting-Chat": token || "new" }, credentials: "same-origin" };
    if (data) {
      options.method = "POST";
      options.body = new URLSearchParams(Object.assign({ after: String(last) }, data));
    }
    const url = api + path + (data ? "" : "?after=" + last);
    return fetch(url, options).then(function (answer) {
      return answer.json().then(function (body) { return { ok: answer.ok, status: answer.status, body: body }; },
        function () { return { ok: false, status: answer.status, body: {} }; });
    });
  }

  function add(message) {
    if (document.getElementById("m-" + message.id)) return;
    const item = document.createElement("li");
    item.id = "m-" + message.id;
    item.className = "msg msg-" + message.sender;
    const who = message.sender === "agent" ? message.who : names[message.sender];
    if (who) {
      const label = document.createElement("span");
      label.className = "who";
      label.textContent = who;
      item.appendChild(label);
    }
    const body = document.createElement("span");
    body.className = "text";
    body.textContent = message.text;
    item.appendChild(body);
    if (message.related && message.related.length) {
      const list = document.createElement("ul");
      list.className = "related";
      list.setAttribute("aria-label", labels.related);
      message.related.forEach(function (related) {
        const entry = document.createElement("li");
        const ask = document.createElement("button");
        ask.type = "button";
        ask.textContent = related.title;
        ask.addEventListener("click", function () { say(related.title); });
        entry.appendChild(ask);
        list.appendChild(entry);
      });
      item.appendChild(list);
    }
    log.appendChild(item);
    last = Math.max(last, message.id);
    log.scrollTop = log.scrollHeight;
  }

  function show(state) {
    (state.messages || []).forEach(add);
    if (state.state === "waiting") {
      status.textContent = state.position ? labels.waiting.replace("%(n)s", state.position) : labels.next;
    } else if (state.state === "human") {
      status.textContent = labels.human.replace("%(name)s", state.agent);
    } else if (state.state === "closed") {
      status.textContent = labels.closed;
    } else {
      status.textContent = "";
    }
    callback.hidden = !state.callback;
    const closed = state.state === "closed";
    form.hidden = closed || state.callback;
    restart.hidden = !closed;
  }

  function answered(result) {
    if (result.ok) show(result.body);
    else if (result.body.error) status.textContent = result.body.error;
    return result;
  }

  function say(words) {
    if (!words.trim()) return;
    request("say/", { text: words }).then(answered);
  }

  function start() {
    token = null;
    last = 0;
    log.textContent = "";
    request("start/", {}).then(function (result) {
      if (!result.ok) return;
      token = result.body.token;
      localStorage.setItem(KEY, token);
      show(result.body);
    });
  }

  function poll() {
    if (!token) return;
    request("messages/").then(function (result) {
      if (result.status === 404) start();
      else answered(result);
    }, function () { status.textContent = labels.failed; });
  }

  form.addEventListener("submit", function (event) {
    event.preventDefault();
    say(text.value);
    text.value = "";
  });
  callback.addEventListener("submit", function (event) {
    event.preventDefault();
    request("callback/", { phone: callback.phone.value, note: callback.note.value }).then(answered);
  });
  document.querySelectorAll("[data-say]").forEach(function (button) {
    button.addEventListener("click", function () { say(button.dataset.say); });
  });
  document.getElementById("chat-end").addEventListener("click", function () {
    request("end/", {}).then(answered);
  });
  restart.addEventListener("click", start);

  if (token) poll(); else start();
  setInterval(poll, 2000);
})();
