// Live status for the dashboard: poll the JSON view named by <body data-poll> every two
// seconds; update status badges in place, reload the page when a job appears or (job page)
// when the job's status changes, so that its result and logs are drawn by the server.
(function () {
  "use strict";
  var body = document.body;
  var url = body.getAttribute("data-poll");
  if (!url) { return; }
  function badges(id) {
    return document.querySelectorAll('.status[data-job-id="' + CSS.escape(id) + '"]');
  }
  function update(job) {
    badges(job.id).forEach(function (el) {
      if (el.getAttribute("data-status") !== job.status) {
        el.setAttribute("data-status", job.status);
        el.textContent = job.status;
      }
    });
  }
  function poll() {
    fetch(url, { credentials: "same-origin", cache: "no-store" })
      .then(function (r) {
        if (r.status === 401) { window.location.assign("/ui/login"); return null; }
        return r.ok ? r.json() : null;
      })
      .then(function (data) {
        if (!data) { return; }
        if (data.jobs) {
          var known = {};
          document.querySelectorAll("tr.job-row").forEach(function (row) {
            known[row.getAttribute("data-job-id")] = true;
          });
          var fresh = data.jobs.some(function (job) { return !known[job.id]; });
          if (fresh) { window.location.reload(); return; }
          data.jobs.forEach(update);
        } else if (data.status && data.status !== body.getAttribute("data-status")) {
          window.location.reload();
          return;
        }
      })
      .catch(function () {})
      .then(function () { window.setTimeout(poll, 2000); });
  }
  window.setTimeout(poll, 2000);
})();
