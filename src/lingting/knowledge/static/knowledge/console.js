// The agent console: the queue refreshes itself, a conversation shows the customer's new
// messages as they come (polled), and "use this article" puts its answer in the reply box
// (the reply then records which article answered, for faq-train).
(function () {
  "use strict";
  const log = document.getElementById("console-log");
  if (log) {
    let last = Number(log.dataset.last || 0);
    const state = document.getElementById("chat-state");
    function add(message) {
      if (document.getElementById("m-" + message.id)) return;
      const item = document.createElement("li");
      item.id = "m-" + message.id;
      item.className = "msg msg-" + message.sender;
      const who = document.createElement("span");
      who.className = "who";
      who.textContent = message.who || message.sender;
      const text = document.createElement("span");
      text.className = "text";
      text.textContent = message.text;
      item.append(who, text);
      log.appendChild(item);
      last = Math.max(last, message.id);
    }
    setInterval(function () {
      fetch(log.dataset.src + "?after=" + last, { credentials: "same-origin" })
        .then(function (answer) { return answer.ok ? answer.json() : null; })
        .then(function (body) {
          if (!body) return;
          body.messages.forEach(add);
          if (state && body.state === "closed") state.textContent = state.dataset.closed || body.state;
        });
    }, 2000);
  }
  document.querySelectorAll(".use-article").forEach(function (button) {
    button.addEventListener("click", function () {
      document.getElementById("reply-article").value = button.dataset.code;
      const text = document.getElementById("reply-text");
      text.value = button.dataset.text;
      text.focus();
    });
  });
  const queue = document.getElementById("console");
  if (queue) {
    // The lists are the server's: when the queue or the agent's own chats change, reload.
    const waiting = Number(document.getElementById("queue-count").textContent);
    const mine = document.querySelectorAll("#my-chats a").length;
    setInterval(function () {
      fetch(queue.dataset.queue, { credentials: "same-origin" })
        .then(function (answer) { return answer.ok ? answer.json() : null; })
        .then(function (body) {
          if (body && (body.waiting.length !== waiting || body.mine.length !== mine)) {
            window.location.reload();
          }
        });
    }, 3000);
  }
})();
