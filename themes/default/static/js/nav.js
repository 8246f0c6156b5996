// Touchstone default theme. On a phone the menu is one line that
// scrolls sideways (site.css): bring the current page's entry into view,
// moving the menu only, never the page.
(function () {
  "use strict";
  function show() {
    var menu = document.querySelector(".site-header .menu");
    var current = menu && menu.querySelector('[aria-current="page"]');
    if (!current || menu.scrollWidth <= menu.clientWidth) return;
    var m = menu.getBoundingClientRect();
    var c = current.getBoundingClientRect();
    // Centred; an entry wider than the menu shows from its start.
    menu.scrollLeft += c.left - m.left - Math.max(0, (m.width - c.width) / 2);
  }
  if (document.readyState === "loading") {
    document.addEventListener("DOMContentLoaded", show);
  } else {
    show();
  }
})();
