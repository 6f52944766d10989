// On a phone the main navigation folds behind one button (菜单); this opens and closes it.
// Without the script the button does nothing and the desktop menus still work.
(function () {
  "use strict";
  const toggle = document.getElementById("nav-toggle");
  const topbar = toggle && toggle.closest(".topbar");
  if (!topbar) return;
  toggle.addEventListener("click", function () {
    const open = topbar.classList.toggle("nav-open");
    toggle.setAttribute("aria-expanded", open ? "true" : "false");
  });
})();
