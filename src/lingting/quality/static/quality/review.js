// The review page without the mouse: J/K move between items, 1/2/3 answer the current
// one, N turns the selected transcript words into a finding, Ctrl+Enter submits.
// An item whose answer differs from the automatic result asks for a reason.
(function () {
  "use strict";
  const form = document.getElementById("review-form");
  if (!form) return;
  const items = Array.from(form.querySelectorAll(".review-item"));
  const findings = document.getElementById("findings");
  const template = document.getElementById("finding-template");
  let current = 0;

  function answerOf(item) {
    const checked = item.querySelector("input[type=radio]:checked");
    return checked ? checked.value : "";
  }

  function refresh(item) {
    const answer = answerOf(item);
    const overturned = item.dataset.auto !== "" && answer !== "" && answer !== item.dataset.auto;
    item.classList.toggle("is-fail", answer === "fail");
    item.classList.toggle("is-overturned", overturned);
    const reason = item.querySelector(".field-reason input");
    if (reason) reason.required = overturned;
  }

  function focusItem(index) {
    if (!items.length) return;
    current = Math.max(0, Math.min(items.length - 1, index));
    items.forEach((item, i) => item.classList.toggle("is-current", i === current));
    const item = items[current];
    (item.querySelector("input[type=radio]:checked") || item.querySelector("input[type=radio]")).focus();
    item.scrollIntoView({ block: "nearest" });
  }

  function answer(value) {
    const item = items[current];
    const radio = item && item.querySelector(`input[type=radio][value="${value}"]`);
    if (!radio) return;
    radio.checked = true;
    refresh(item);
    if (item.classList.contains("is-overturned")) {
      item.querySelector(".field-reason input").focus();
    } else {
      focusItem(current + 1);
    }
  }

  // The character offset of a selection boundary inside a turn's bubble (a boundary may
  // sit in a text node or between elements): masked numbers keep their length, so
  // offsets in the shown text are offsets in the stored text.
  function offsetIn(bubble, node, offset) {
    const before = document.createRange();
    before.setStart(bubble, 0);
    before.setEnd(node, offset);
    return before.toString().length;
  }

  function bubbleOf(node) {
    const element = node.nodeType === Node.ELEMENT_NODE ? node : node.parentElement;
    return element ? element.closest(".bubble") : null;
  }

  function selectedSpan() {
    const selection = window.getSelection();
    if (!selection || selection.isCollapsed) return null;
    const range = selection.getRangeAt(0);
    const bubble = bubbleOf(range.startContainer);
    if (!bubble) return null;
    const from = offsetIn(bubble, range.startContainer, range.startOffset);
    // A selection running past its turn (a triple click) quotes that turn to its end:
    // a finding quotes one turn.
    const length = bubble.textContent.length;
    const to = bubble.contains(range.endContainer)
      ? offsetIn(bubble, range.endContainer, range.endOffset)
      : length;
    if (Math.min(to, length) <= from) return null;
    const end = Math.min(to, length);
    return { turn: bubble.dataset.turn, start: from, end: end, text: bubble.textContent.slice(from, end) };
  }

  function addFinding() {
    const row = template.content.firstElementChild.cloneNode(true);
    const span = selectedSpan();
    if (span) {
      row.querySelector("[name=finding_turn]").value = span.turn;
      row.querySelector("[name=finding_start]").value = span.start;
      row.querySelector("[name=finding_end]").value = span.end;
      row.querySelector(".finding-quote").textContent = span.text;
    } else {
      row.querySelector(".finding-quote").remove();
    }
    const item = items[current];
    if (item) row.querySelector("[name=finding_item]").value = item.dataset.item;
    row.querySelector(".remove-finding").addEventListener("click", () => row.remove());
    findings.appendChild(row);
    row.querySelector("[name=finding_note]").focus();
  }

  items.forEach((item, index) => {
    refresh(item);
    item.addEventListener("change", () => refresh(item));
    item.addEventListener("focusin", () => {
      current = index;
      items.forEach((other, i) => other.classList.toggle("is-current", i === index));
    });
  });
  document.getElementById("add-finding").addEventListener("click", addFinding);

  document.addEventListener("keydown", (event) => {
    if ((event.ctrlKey || event.metaKey) && event.key === "Enter") {
      event.preventDefault();
      form.requestSubmit();
      return;
    }
    const typing = event.target.matches("input[type=text], input[type=number], textarea, select");
    if (typing || event.altKey || event.ctrlKey || event.metaKey) return;
    const actions = {
      j: () => focusItem(current + 1),
      k: () => focusItem(current - 1),
      1: () => answer("pass"),
      2: () => answer("fail"),
      3: () => answer("na"),
      n: addFinding,
    };
    const action = actions[event.key.toLowerCase()];
    if (action) {
      event.preventDefault();
      action();
    }
  });
})();
