// The progress of a document batch (registration/admin/job.html): polls the job's small JSON
// status until it is done or failed, and updates the progress bar, the count, the error and the
// download link. Without JavaScript the page still has a "Refresh" link.
(function () {
  "use strict";

  var root = document.querySelector("[data-document-job]");
  if (!root || root.hasAttribute("data-finished")) {
    return;
  }
  var url = root.getAttribute("data-status-url");
  var progress = root.querySelector("[data-job-progress]");
  var statusText = root.querySelector("[data-job-status]");
  var count = root.querySelector("[data-job-count]");
  var error = root.querySelector("[data-job-error]");
  var download = root.querySelector("[data-job-download]");
  var link = root.querySelector("[data-job-download-link]");
  var refresh = root.querySelector("[data-job-refresh]");
  var template = count.getAttribute("data-template");
  var delay = 1000;

  function show(state) {
    progress.max = state.total || 1;
    progress.value = state.done;
    progress.textContent = state.percent + "%";
    statusText.textContent = state.status_label;
    // The sentence comes translated from the server, with %(done)s and %(total)s to fill in.
    count.textContent = template
      .replace("%(done)s", String(state.done))
      .replace("%(total)s", String(state.total));
    if (state.error) {
      error.textContent = state.error;
      error.hidden = false;
    }
    if (state.download_url) {
      link.href = state.download_url;
      download.hidden = false;
      link.focus();
    }
    if (state.finished) {
      refresh.hidden = true;
    }
  }

  function poll() {
    fetch(url, { credentials: "same-origin", headers: { Accept: "application/json" } })
      .then(function (response) {
        if (!response.ok) {
          throw new Error(String(response.status));
        }
        return response.json();
      })
      .then(function (state) {
        show(state);
        if (!state.finished) {
          window.setTimeout(poll, delay);
        }
      })
      .catch(function () {
        delay = Math.min(delay * 2, 10000);
        window.setTimeout(poll, delay);
      });
  }

  window.setTimeout(poll, delay);
})();
