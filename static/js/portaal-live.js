// Mijn Eenplan, "Wie heeft mijn gegevens gezien": new logboek lines appear without a reload.
// Server-Sent Events first; when the browser has no EventSource, or the stream keeps failing,
// it asks every few seconds instead (polling). The server sends each line as escaped HTML.
(function () {
  "use strict";
  var list = document.getElementById("logregels");
  if (!list || !list.dataset.live) { return; }
  var last = parseInt(list.dataset.laatste || "0", 10) || 0;
  var status = document.getElementById("live-status");
  var failures = 0;
  var pollTimer = null;

  function add(seq, html) {
    if (seq <= 0 || document.getElementById("regel-" + seq)) { return; }
    list.insertAdjacentHTML("afterbegin", html);
    var empty = document.getElementById("geen-regels");
    if (empty) { empty.remove(); }
    if (seq > last) { last = seq; }
    if (status) { status.textContent = "Er is een nieuwe regel bijgekomen (bovenaan de lijst)."; }
  }

  function poll() {
    fetch(list.dataset.poll + "?na=" + last, { credentials: "same-origin", headers: { "Accept": "application/json" } })
      .then(function (r) { return r.ok ? r.json() : null; })
      .then(function (body) {
        if (body) { body.regels.forEach(function (r) { add(r.seq, r.html); }); }
      })
      .catch(function () { /* try again at the next tick */ });
  }

  function startPolling() {
    if (pollTimer === null) { pollTimer = window.setInterval(poll, 5000); poll(); }
  }

  if (!("EventSource" in window)) { startPolling(); return; }
  var source = new EventSource(list.dataset.live + "?na=" + last, { withCredentials: true });
  source.addEventListener("regel", function (event) {
    failures = 0;
    var data = JSON.parse(event.data);
    add(data.seq, data.html);
  });
  source.addEventListener("open", function () { failures = 0; });
  source.addEventListener("error", function () {
    failures += 1;
    if (failures >= 3) { source.close(); startPolling(); }
  });
  list.dataset.ready = "1";
}());
