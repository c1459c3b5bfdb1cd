// The service worker: keeps check-in working where the venue has no network.
// - A check-in link (/v/checkin?t=…) opened offline gets a stored page that records the scan
//   on the phone; /checkin.js sends it when the network is back.
// - The activity list (/volunteer) opened offline gets a stored page with the app's own
//   scanner, which opens the check-in link it reads (and so records it as above). Its QR
//   decoder (about 1 MB) is stored only for volunteers: a page with the scanner asks for it.
// Nothing else is cached: every other page always comes fresh from the server.
"use strict";
const CACHE = "zd-offline-v2";
const OFFLINE_FILES = ["/offline-checkin.html", "/offline-scan.html", "/checkin.js", "/scan.js", "/favicon.svg"];
const SCANNER_FILES = ["/vendor/barcode-detector/ponyfill.js", "/vendor/barcode-detector/zxing_reader.wasm"];
const OFFLINE_PAGES = { "/v/checkin": "/offline-checkin.html", "/volunteer": "/offline-scan.html" };

self.addEventListener("install", (event) => {
  event.waitUntil(caches.open(CACHE).then((cache) => cache.addAll(OFFLINE_FILES)).then(() => self.skipWaiting()));
});

self.addEventListener("activate", (event) => {
  event.waitUntil(
    caches.keys()
      .then((keys) => Promise.all(keys.filter((k) => k !== CACHE).map((k) => caches.delete(k))))
      .then(() => self.clients.claim()),
  );
});

// "keep-scanner": store the scanner's decoder, once.
self.addEventListener("message", (event) => {
  if (event.data !== "keep-scanner") return;
  event.waitUntil(caches.open(CACHE).then((cache) =>
    Promise.all(SCANNER_FILES.map((file) => cache.match(file).then((kept) => kept || cache.add(file))))));
});

self.addEventListener("fetch", (event) => {
  const request = event.request;
  const url = new URL(request.url);
  if (url.origin !== self.location.origin || request.method !== "GET") return;
  const offlinePage = request.mode === "navigate" && OFFLINE_PAGES[url.pathname];
  if (offlinePage) {
    event.respondWith(fetch(request).catch(() => caches.match(offlinePage)));
  } else if (OFFLINE_FILES.includes(url.pathname) || SCANNER_FILES.includes(url.pathname)) {
    event.respondWith(fetch(request).catch(() => caches.match(url.pathname)));
  }
});
