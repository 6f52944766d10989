// The detection page lists the agents below target at once; each card's diagnosis (months
// of the agent's QA findings) is asked for after the page, one request per card. Without
// scripts, or when a request fails, the card's link opens the diagnosis on its own page.
"use strict";

document.querySelectorAll("[data-diagnosis]").forEach(async (slot) => {
  const url = new URL(slot.dataset.diagnosis, window.location.href);
  url.searchParams.set("fragment", "1");
  try {
    const response = await fetch(url, { credentials: "same-origin" });
    if (!response.ok) {
      throw new Error(`HTTP ${response.status}`);
    }
    slot.innerHTML = await response.text();
  } catch {
    slot.querySelector(".diag-state").textContent = slot.dataset.failed;
  }
});
