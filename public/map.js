// Draws the resource map from what the Rust app renders into the page:
//   <div data-zd-map data-geojson="/api/places.geojson?…" data-circle="lat,lon,metres" data-tiles="url">
// The markers come from the GeoJSON feed (cacheable, shared by every phone with the same
// filters), fetched only when the map is on screen.
// Leaflet (served from /vendor, copied from npm by ./zd) loads only when such an element is
// on screen. Without tiles the markers, the subdistrict outline and Suzhou Creek still show.
(function () {
  "use strict";
  if (window.zdMap) return;

  var leaflet = null;
  var outline = null;

  function load(tag, attributes) {
    return new Promise(function (resolve, reject) {
      var el = document.createElement(tag);
      Object.keys(attributes).forEach(function (k) { el[k] = attributes[k]; });
      el.onload = resolve;
      el.onerror = reject;
      document.head.appendChild(el);
    });
  }

  function loadLeaflet() {
    if (!leaflet) {
      leaflet = Promise.all([
        load("link", { rel: "stylesheet", href: "/vendor/leaflet/leaflet.css" }),
        load("link", { rel: "stylesheet", href: "/vendor/leaflet.markercluster/MarkerCluster.css" }),
        load("link", { rel: "stylesheet", href: "/vendor/leaflet.markercluster/MarkerCluster.Default.css" }),
        load("script", { src: "/vendor/leaflet/leaflet.js" }),
      ]).then(function () {
        return load("script", { src: "/vendor/leaflet.markercluster/leaflet.markercluster.js" });
      });
    }
    return leaflet;
  }

  function loadOutline() {
    if (!outline) {
      outline = fetch("/geo/changshou.geojson")
        .then(function (r) { return r.ok ? r.json() : null; })
        .catch(function () { return null; });
    }
    return outline;
  }

  function escapeHtml(text) {
    return String(text).replace(/[&<>"']/g, function (c) {
      return { "&": "&amp;", "<": "&lt;", ">": "&gt;", '"': "&quot;", "'": "&#39;" }[c];
    });
  }

  // The feed's features as markers: { id, name, kind, lat, lon, open }.
  function loadMarkers(url) {
    return fetch(url)
      .then(function (r) { return r.ok ? r.json() : { features: [] }; })
      .catch(function () { return { features: [] }; })
      .then(function (collection) {
        return collection.features.map(function (f) {
          return {
            id: f.id,
            name: f.properties.name,
            kind: f.properties.kinds[0] || "building",
            lat: f.geometry.coordinates[1],
            lon: f.geometry.coordinates[0],
            open: f.properties.open_now,
          };
        });
      });
  }

  function draw(el, geo, markers) {
    var state = el.zdMapState;
    if (!state) {
      var map = L.map(el, { zoomControl: true });
      if (el.dataset.tiles) {
        L.tileLayer(el.dataset.tiles, {
          maxZoom: 19,
          attribution: '&copy; <a href="https://www.openstreetmap.org/copyright">OpenStreetMap</a>',
        }).addTo(map);
      }
      if (geo) {
        L.geoJSON(geo, {
          interactive: false,
          style: function (f) {
            return f.properties.kind === "creek"
              ? { color: "#0369a1", weight: 6, opacity: 0.6, className: "zd-creek" }
              : { color: "#475569", weight: 2, dashArray: "6 4", fillOpacity: 0.04, className: "zd-outline" };
          },
        }).addTo(map);
      }
      state = el.zdMapState = { map: map, markers: null, circle: null };
    }
    var map = state.map;
    if (state.markers) map.removeLayer(state.markers);
    var group = L.markerClusterGroup
      ? L.markerClusterGroup({ showCoverageOnHover: false, maxClusterRadius: 36 })
      : L.layerGroup();
    markers.forEach(function (m) {
      var icon = L.divIcon({
        className: "zd-marker zd-marker-" + m.kind + (m.open === false ? " zd-marker-closed" : ""),
        iconSize: [20, 20],
      });
      var marker = L.marker([m.lat, m.lon], { icon: icon, title: m.name, alt: m.name, keyboard: true });
      marker.bindPopup('<a href="/places/' + m.id + '">' + escapeHtml(m.name) + "</a>");
      group.addLayer(marker);
    });
    group.addTo(map);
    state.markers = group;

    if (state.circle) map.removeLayer(state.circle);
    state.circle = null;
    var c = (el.dataset.circle || "").split(",").map(Number);
    if (c.length === 3 && c.every(isFinite)) {
      // Set the view first: a circle can only measure itself on a map that has one.
      map.fitBounds(L.latLng(c[0], c[1]).toBounds(c[2] * 2));
      state.circle = L.circle([c[0], c[1]], {
        radius: c[2], color: "#b91c1c", weight: 2, fillOpacity: 0.08, className: "zd-circle",
      }).addTo(map);
    } else if (markers.length) {
      map.fitBounds(markers.map(function (m) { return [m.lat, m.lon]; }), { padding: [24, 24], maxZoom: 17 });
    } else {
      map.setView([31.2418, 121.4395], 15);
    }
    el.dataset.zdDrawn = String(markers.length);
  }

  function scan() {
    document.querySelectorAll("[data-zd-map]").forEach(function (el) {
      if (el.offsetParent === null) return; // not on screen: nothing to load
      var key = (el.dataset.geojson || "") + "|" + (el.dataset.circle || "");
      if (el.zdMapKey === key) return;
      el.zdMapKey = key;
      Promise.all([loadLeaflet(), loadOutline(), loadMarkers(el.dataset.geojson)]).then(function (r) {
        if (el.zdMapKey === key) draw(el, r[1], r[2]); // a newer filter may have replaced it
      });
    });
  }

  var queued = false;
  function queueScan() {
    if (queued) return;
    queued = true;
    requestAnimationFrame(function () { queued = false; scan(); });
  }

  window.zdMap = { scan: scan };
  new MutationObserver(queueScan).observe(document.documentElement, {
    childList: true, subtree: true, attributes: true, attributeFilter: ["data-geojson", "data-circle"],
  });
  if (document.readyState === "loading") document.addEventListener("DOMContentLoaded", scan);
  else scan();
})();
