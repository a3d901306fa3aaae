// A table wider than the screen scrolls inside its .table-wrap (a phone): that region is made
// reachable by the keyboard and named after the table's caption, so that it can be scrolled
// without a mouse (WCAG 2.1.1). Regions that fit are left out of the tab order.
(function () {
  "use strict";
  function mark() {
    var wraps = document.querySelectorAll(".table-wrap");
    for (var i = 0; i < wraps.length; i++) {
      var wrap = wraps[i];
      var scrolls = wrap.scrollWidth > wrap.clientWidth + 1;
      if (scrolls && !wrap.hasAttribute("tabindex")) {
        var caption = wrap.querySelector("caption");
        wrap.setAttribute("tabindex", "0");
        wrap.setAttribute("role", "region");
        wrap.setAttribute("data-scroll-region", "");
        if (caption) wrap.setAttribute("aria-label", caption.textContent.replace(/\s+/g, " ").trim());
      } else if (!scrolls && wrap.hasAttribute("data-scroll-region")) {
        wrap.removeAttribute("tabindex");
        wrap.removeAttribute("role");
        wrap.removeAttribute("aria-label");
        wrap.removeAttribute("data-scroll-region");
      }
    }
  }
  var pending = null;
  mark();
  window.addEventListener("resize", function () {
    if (pending) window.clearTimeout(pending);
    pending = window.setTimeout(mark, 150);
  });
})();
