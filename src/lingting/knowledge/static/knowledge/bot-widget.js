// Lingting's FAQ bot on a center's own page: one script tag, served by Lingting.
//   <script src="https://LINGTING/static/knowledge/bot-widget.js" defer></script>
// A button in the corner opens the chat in a frame from the same Lingting (set
// LINGTING_BOT_EMBEDDERS to the sites allowed to frame it).
(function () {
  "use strict";
  const script = document.currentScript;
  const origin = new URL(script.src).origin;
  const title = script.dataset.title || "在线客服";
  const button = document.createElement("button");
  button.type = "button";
  button.textContent = title;
  button.setAttribute("aria-expanded", "false");
  button.style.cssText = "position:fixed;right:16px;bottom:16px;z-index:2147483000;height:44px;" +
    "padding:0 18px;border:0;border-radius:22px;background:#1f6feb;color:#fff;font-size:15px;" +
    "box-shadow:0 2px 8px rgba(0,0,0,.2);cursor:pointer";
  let frame = null;
  button.addEventListener("click", function () {
    if (!frame) {
      frame = document.createElement("iframe");
      frame.src = origin + "/bot/";
      frame.title = title;
      frame.id = "lingting-bot";
      frame.style.cssText = "position:fixed;right:16px;bottom:72px;z-index:2147483000;" +
        "width:min(380px,calc(100vw - 32px));height:min(600px,calc(100vh - 96px));" +
        "border:1px solid #d0d7de;border-radius:10px;background:#fff;box-shadow:0 4px 16px rgba(0,0,0,.2)";
      document.body.appendChild(frame);
    } else {
      frame.hidden = !frame.hidden;
    }
    button.setAttribute("aria-expanded", String(!frame.hidden));
  });
  document.body.appendChild(button);
})();
