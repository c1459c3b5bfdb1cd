// Fetches the WASM once the page has painted and the browser is idle (2 s at most), with the
// chunk files the page named, then hydrates: `DeferredHydrationScripts` in hydration.rs.
function (js, wasm, preloads) {
  function start() {
    const named = document.querySelector('meta[name="wasm-chunks"]');
    for (const href of preloads.concat(named ? named.content.split(" ") : [])) {
      const link = document.createElement("link");
      if (href.endsWith(".js")) {
        link.rel = "modulepreload";
      } else {
        link.rel = "preload";
        link.as = "fetch";
        link.type = "application/wasm";
        // As the loader's own `fetch`, so that the browser reuses what it preloaded.
        link.crossOrigin = "anonymous";
      }
      link.href = href;
      document.head.append(link);
    }
    import(js)
      .then((mod) => mod.default({ module_or_path: wasm }).then(() => mod.hydrate()));
  }
  const whenIdle = () =>
    "requestIdleCallback" in window ? requestIdleCallback(start, { timeout: 2000 }) : setTimeout(start, 0);
  // Once the browser reports the first contentful paint; where it cannot, two frames on.
  if ("PerformanceObserver" in window && (PerformanceObserver.supportedEntryTypes || []).includes("paint")) {
    new PerformanceObserver((list, observer) => {
      if (list.getEntriesByName("first-contentful-paint").length === 0) return;
      observer.disconnect();
      whenIdle();
    }).observe({ type: "paint", buffered: true });
  } else {
    requestAnimationFrame(() => requestAnimationFrame(whenIdle));
  }
}
