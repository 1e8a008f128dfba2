// Mijn Eenplan, "Wie heeft mijn gegevens gezien" and "Met wie is wat uitgewisseld": new lines
// appear without a reload, and so do older lines whose "visible from" date has passed.
// Server-Sent Events first; when the browser has no EventSource, the server refuses the stream
// (429: too many open), or the stream keeps failing, it asks every few seconds instead
// (polling). The server sends each line as escaped HTML.
(function () {
  "use strict";
  var list = document.getElementById("logregels");
  if (!list || !list.dataset.live) { return; }
  var last = parseInt(list.dataset.laatste || "0", 10) || 0;
  var dag = list.dataset.dag || "";
  var status = document.getElementById("live-status");
  var failures = 0;
  var pollTimer = null;

  function add(seq, html) {
    if (seq <= 0 || document.getElementById("regel-" + seq)) { return; }
    // In its place by number: a line that became visible later may be older than the top one.
    var before = null;
    var items = list.querySelectorAll("li[data-seq]");
    for (var i = 0; i < items.length; i += 1) {
      if (parseInt(items[i].dataset.seq, 10) < seq) { before = items[i]; break; }
    }
    if (before) { before.insertAdjacentHTML("beforebegin", html); } else if (items.length) {
      list.insertAdjacentHTML("beforeend", html);
    } else { list.insertAdjacentHTML("afterbegin", html); }
    var empty = document.getElementById("geen-regels");
    if (empty) { empty.remove(); }
    if (seq > last) { last = seq; }
    // The text comes from the page, in its language (data-nieuw, docs/vertalen.md).
    if (status) { status.textContent = status.dataset.nieuw || "Er is een nieuwe regel bijgekomen."; }
  }

  function poll() {
    fetch(list.dataset.poll + "?na=" + last + (dag ? "&dag=" + dag : ""),
      { credentials: "same-origin", headers: { "Accept": "application/json" } })
      .then(function (r) { return r.ok ? r.json() : null; })
      .then(function (body) {
        if (body) {
          body.regels.forEach(function (r) { add(r.seq, r.html); });
          if (body.laatste > last) { last = body.laatste; }
          if (body.dag) { dag = body.dag; }
        }
      })
      .catch(function () { /* try again at the next tick */ });
  }

  function startPolling() {
    if (pollTimer === null) { pollTimer = window.setInterval(poll, 5000); poll(); }
    list.dataset.polling = "1";
  }

  if (!("EventSource" in window)) { startPolling(); list.dataset.ready = "1"; return; }
  var source = new EventSource(list.dataset.live + "?na=" + last + (dag ? "&dag=" + dag : ""),
    { withCredentials: true });
  source.addEventListener("regel", function (event) {
    failures = 0;
    var data = JSON.parse(event.data);
    add(data.seq, data.html);
    var id = (event.lastEventId || "").split("_");
    if (id.length === 2) { dag = id[1]; }
  });
  source.addEventListener("open", function () { failures = 0; });
  source.addEventListener("error", function () {
    failures += 1;
    // CLOSED: the server said no (e.g. 429, too many open streams); the browser will not retry.
    if (source.readyState === EventSource.CLOSED || failures >= 3) {
      source.close();
      startPolling();
    }
  });
  list.dataset.ready = "1";
}());
