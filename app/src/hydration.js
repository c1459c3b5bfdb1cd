// Once the page has painted and the browser is idle (2 s at most), fetches the WASM of the
// bundle the page named and hydrates each of its islands: `DeferredHydrationScripts` in
// hydration.rs.
function () {
  const nextTask = () => new Promise((resolve) => setTimeout(resolve, 0));
  function start() {
    // A page of server HTML with no island needs no WASM at all: it is as hydrated as it gets.
    if (!document.querySelector("leptos-island")) return document.body.setAttribute("data-hydrated", "");
    // Islands on a page that named no bundle (one not built, as in `cargo leptos` alone): they
    // stay server HTML.
    const named = document.querySelector('meta[name="wasm-islands"]');
    if (!named || !named.content) return;
    const [js, wasm] = named.content.split(" ");
    // Instantiating the module and hydrating the islands are separate tasks, to keep each
    // short. Each island is hydrated by the function its `data-component` names.
    import(js)
      .then((mod) => mod.default({ module_or_path: wasm }).then(nextTask).then(() => {
        mod.hydrate();
        for (const island of document.querySelectorAll("leptos-island")) {
          mod[island.dataset.component](island);
        }
        document.body.setAttribute("data-hydrated", "");
      }));
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
