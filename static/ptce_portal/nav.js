// The main navigation is a <details> menu: closed on a phone (the summary is its button, with
// or without JavaScript), always open on a wide screen. Browsers that cannot show the content
// of a closed <details> by CSS (::details-content) get it opened here.
(function () {
  "use strict";
  var menu = document.querySelector("[data-nav-menu]");
  if (!menu || !window.matchMedia) return;
  var wide = window.matchMedia("(min-width: 52.01rem)");
  function follow() {
    if (wide.matches) menu.open = true;
  }
  follow();
  wide.addEventListener("change", function () {
    menu.open = wide.matches;
  });
})();
