// The service worker: keeps check-in working where the venue has no network. A check-in
// link (/v/checkin?t=…) opened offline gets a stored page that records the scan on the
// phone; /checkin.js sends it when the network is back. Nothing else is cached: every other
// page always comes fresh from the server.
"use strict";
const CACHE = "zd-offline-v1";
const OFFLINE_FILES = ["/offline-checkin.html", "/checkin.js", "/favicon.svg"];

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

self.addEventListener("fetch", (event) => {
  const request = event.request;
  const url = new URL(request.url);
  if (url.origin !== self.location.origin || request.method !== "GET") return;
  if (request.mode === "navigate" && url.pathname === "/v/checkin") {
    event.respondWith(fetch(request).catch(() => caches.match("/offline-checkin.html")));
  } else if (OFFLINE_FILES.includes(url.pathname)) {
    event.respondWith(fetch(request).catch(() => caches.match(url.pathname)));
  }
});
