// The plenary view: bring the paragraph under discussion into view, move the highlight with the
// keyboard (→ / Page Down: next, ← / Page Up: previous) by following the page's own links, and
// follow the drafting committee: a small JSON document (revalidated by its ETag) is polled, and
// when the committee puts another paragraph on the projector the page shows that one.
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

  function followCommittee() {
    var root = document.querySelector(".plenary[data-state-url]");
    if (!root || !window.fetch) {
      return;
    }
    var known = root.getAttribute("data-committee-key") || "";
    var delay = 3000;

    function show(key) {
      window.location.replace(
        window.location.pathname + "?p=" + encodeURIComponent(key) + "#p" + encodeURIComponent(key)
      );
    }

    function poll() {
      if (document.hidden) {
        window.setTimeout(poll, delay);
        return;
      }
      window
        .fetch(root.getAttribute("data-state-url"), {
          cache: "no-cache",
          credentials: "same-origin",
          headers: { Accept: "application/json" },
        })
        .then(function (response) {
          return response.ok ? response.json() : null;
        })
        .then(function (state) {
          if (state && state.poll) {
            delay = Math.max(1, state.poll) * 1000;
          }
          var key = state && state.key !== null ? String(state.key) : "";
          if (state && key !== known) {
            known = key;
            if (key && key !== root.getAttribute("data-current")) {
              show(key);
              return;
            }
          }
          window.setTimeout(poll, delay);
        })
        .catch(function () {
          // The network or the server is down for a moment: try again later.
          window.setTimeout(poll, delay * 2);
        });
    }

    window.setTimeout(poll, delay);
  }

  followCommittee();

  if (document.readyState === "loading") {
    document.addEventListener("DOMContentLoaded", scrollToCurrent);
  } else {
    scrollToCurrent();
  }
})();
