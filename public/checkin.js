// Check-in on a phone with a bad network (loaded on every page and by the offline page):
// - registers the service worker (/sw.js) that serves the offline check-in page;
// - on that page, keeps the scanned token and the time of the scan on the phone;
// - whenever the app is open and online, sends what is kept to the server, which accepts a
//   scan made while the code was valid, if sent within 24 hours.
// - on the check-in page (/v/checkin), adds the phone's position when the browser has it,
//   and confirms at once;
// - on a page with the volunteer's scanner, has the service worker keep the scanner for
//   offline use.
(function () {
  "use strict";
  if (window.zdCheckin) return;
  var KEY = "zd-pending-checkins";

  function pending() {
    try { return JSON.parse(localStorage.getItem(KEY) || "[]"); } catch (e) { return []; }
  }
  function keep(list) { localStorage.setItem(KEY, JSON.stringify(list)); }

  function position() {
    return new Promise(function (resolve) {
      if (!navigator.geolocation) return resolve(null);
      navigator.geolocation.getCurrentPosition(
        function (p) { resolve({ lat: p.coords.latitude, lon: p.coords.longitude, accuracy: p.coords.accuracy }); },
        function () { resolve(null); },
        { enableHighAccuracy: true, timeout: 3000, maximumAge: 60000 });
    });
  }

  // A toast after the page's own content (added once the app has hydrated, so it is not
  // part of what the server rendered).
  function notice(text) {
    var el = document.createElement("p");
    el.className = "banner-ok";
    el.style.cssText = "position:fixed;left:1rem;right:1rem;top:4rem;z-index:20";
    el.setAttribute("role", "status");
    el.setAttribute("data-testid", "checkin-synced");
    el.textContent = text;
    document.body.appendChild(el);
    setTimeout(function () { el.remove(); }, 8000);
  }

  // Sends each kept scan; a scan the server answered (accepted or refused for good) is
  // dropped, one that could not be sent is kept for next time.
  var syncing = false;
  function sync() {
    if (syncing || !navigator.onLine) return;
    var list = pending();
    if (!list.length) return;
    syncing = true;
    var left = [];
    var sent = 0;
    list.reduce(function (chain, item) {
      return chain.then(function () {
        var body = new URLSearchParams({ token: item.token, scanned_at: String(item.scanned_at),
          lat: item.lat == null ? "" : String(item.lat), lon: item.lon == null ? "" : String(item.lon),
          accuracy: item.accuracy == null ? "" : String(item.accuracy) });
        return fetch("/api/points/check", { method: "POST", body: body, credentials: "same-origin",
          headers: { "Accept": "application/json" } })
          .then(function (r) {
            if (r.ok) sent += 1;
            else if (r.status === 401 || r.status >= 500) left.push(item);
          })
          .catch(function () { left.push(item); });
      });
    }, Promise.resolve()).then(function () {
      keep(left.concat(pending().slice(list.length)));
      syncing = false;
      if (sent) notice(document.documentElement.lang === "en" ? "Your offline check-in was sent." : "离线签到已同步。");
    });
  }

  // The offline page: keep the scan with its time.
  function recordOffline() {
    var token = new URLSearchParams(location.search).get("t");
    if (!token) return;
    var item = { token: token, scanned_at: Math.floor(Date.now() / 1000) };
    var list = pending();
    if (!list.some(function (p) { return p.token === token; })) {
      list.push(item);
      keep(list);
    }
    position().then(function (p) {
      if (!p) return;
      var all = pending();
      all.forEach(function (i) { if (i.token === token) { i.lat = p.lat; i.lon = p.lon; i.accuracy = p.accuracy; } });
      keep(all);
    });
  }

  // The online check-in page: add the position, then confirm once the app has hydrated.
  function confirmCheckin(form) {
    if (form.dataset.zdSent) return;
    form.dataset.zdSent = "1";
    position().then(function (p) {
      if (p) {
        form.elements.lat.value = p.lat;
        form.elements.lon.value = p.lon;
        form.elements.accuracy.value = p.accuracy;
      }
      form.requestSubmit();
    });
  }
  function whenHydrated(then) {
    if (document.body && document.body.hasAttribute("data-hydrated")) return then();
    var seen = new MutationObserver(function () {
      if (document.body.hasAttribute("data-hydrated")) { seen.disconnect(); then(); }
    });
    seen.observe(document.body, { attributes: true });
  }
  // A page with the volunteer's scanner: have the service worker store its decoder, so the
  // scanner works at a venue with no network.
  var scannerKept = false;
  function keepScanner() {
    if (scannerKept || !("serviceWorker" in navigator) || !document.querySelector('[data-zd-scan="@go"]')) return;
    scannerKept = true;
    navigator.serviceWorker.ready.then(function (r) { r.active && r.active.postMessage("keep-scanner"); });
  }
  function scanPage() {
    var form = document.querySelector("form[data-zd-checkin]");
    if (form) whenHydrated(function () { confirmCheckin(form); });
    keepScanner();
  }

  function start() {
    if (document.querySelector("[data-zd-offline-checkin]")) return recordOffline();
    scanPage();
    new MutationObserver(scanPage).observe(document.body, { childList: true, subtree: true });
    whenHydrated(sync);
    window.addEventListener("online", function () { whenHydrated(sync); });
  }
  if ("serviceWorker" in navigator) navigator.serviceWorker.register("/sw.js").catch(function () {});
  if (document.readyState === "loading") document.addEventListener("DOMContentLoaded", start);
  else start();
  window.zdCheckin = { sync: sync, pending: pending };
})();
