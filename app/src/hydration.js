// Fetches the WASM once the page has painted and the browser is idle (2 s at most), with the
// chunk files the page named, then hydrates: `DeferredHydrationScripts` in hydration.rs.
function (js, wasm, preloads) {
  // Each preload link costs the main thread about a millisecond (several on a slow phone),
  // and a page names some forty chunk files: a few links per task keep every task short.
  const LINKS_PER_TASK = 4;
  function preload(hrefs) {
    for (const href of hrefs.slice(0, LINKS_PER_TASK)) {
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
    if (hrefs.length > LINKS_PER_TASK) setTimeout(preload, 0, hrefs.slice(LINKS_PER_TASK));
  }
  // A page of server HTML and islands: its bundle's own WASM, each island hydrated by the
  // function its `data-component` names (`hydrate_as_islands` in hydration.rs).
  function startIslands(names) {
    // A page of server HTML with no island needs no WASM at all: it is as hydrated as it gets.
    if (!document.querySelector("leptos-island")) return document.body.setAttribute("data-hydrated", "");
    // Islands on a page that named no bundle (`server_html_only`): they stay server HTML.
    if (!names) return;
    const [islandsJs, islandsWasm] = names.split(" ");
    import(islandsJs)
      .then((mod) => mod.default({ module_or_path: islandsWasm }).then(nextTask).then(() => {
        mod.hydrate();
        for (const island of document.querySelectorAll("leptos-island")) {
          mod[island.dataset.component](island);
        }
        document.body.setAttribute("data-hydrated", "");
      }));
  }
  const nextTask = () => new Promise((resolve) => setTimeout(resolve, 0));
  function start() {
    const islands = document.querySelector('meta[name="wasm-islands"]');
    if (islands) return startIslands(islands.content);
    // Hydrated in full, a page with islands would fail; without their build it stays HTML.
    if (document.querySelector("leptos-island")) return;
    const named = document.querySelector('meta[name="wasm-chunks"]');
    preload(preloads.concat(named ? named.content.split(" ") : []));
    // Instantiating the module and hydrating the page are separate tasks, to keep each short.
    import(js)
      .then((mod) => mod.default({ module_or_path: wasm }).then(nextTask).then(() => mod.hydrate()));
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
