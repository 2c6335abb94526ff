// The plenary view: bring the paragraph under discussion into view, and move the highlight with
// the keyboard (→ / Page Down: next, ← / Page Up: previous) by following the page's own links.
(function () {
  "use strict";

  function scrollToCurrent() {
    var current = document.querySelector(".plenary__paragraph--current");
    if (current) {
      current.scrollIntoView({ block: "center" });
    }
  }

  function follow(which) {
    var link = document.querySelector('[data-plenary="' + which + '"]');
    if (link) {
      window.location.assign(link.href);
    }
  }

  document.addEventListener("keydown", function (event) {
    if (event.altKey || event.ctrlKey || event.metaKey) {
      return;
    }
    var target = event.target;
    if (target && /^(INPUT|TEXTAREA|SELECT)$/.test(target.tagName)) {
      return;
    }
    if (event.key === "ArrowRight" || event.key === "PageDown" || event.key === "j") {
      event.preventDefault();
      follow("next");
    } else if (event.key === "ArrowLeft" || event.key === "PageUp" || event.key === "k") {
      event.preventDefault();
      follow("prev");
    }
  });

  if (document.readyState === "loading") {
    document.addEventListener("DOMContentLoaded", scrollToCurrent);
  } else {
    scrollToCurrent();
  }
})();
