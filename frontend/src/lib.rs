//! The WASM entry point: hydrates the server-rendered page, once the code of its (lazily
//! loaded) route has arrived.

#[wasm_bindgen::prelude::wasm_bindgen]
pub fn hydrate() {
    use leptos::prelude::document;

    console_error_panic_hook::set_once();
    // What `leptos::mount::hydrate_lazy` does, plus one step: `<body data-hydrated>` is set
    // only once the whole page, its route's chunk included, has hydrated. `checkin.js` and
    // the browser tests wait for it; an effect in `App` would run before a lazy route's
    // chunk has arrived, while its forms are still plain HTML. (`hydrate_from_async` sets
    // Leptos's executor up on wasm-bindgen's, which runs this future.) Until then, links
    // load from the server, as they did before the WASM came.
    wasm_bindgen_futures::spawn_local(async {
        let links = app::hydration::links_load_from_the_server();
        let body = document().body().expect("a page has a body");
        let page = leptos::mount::hydrate_from_async(body, app::App).await;
        page.forget();
        drop(links);
        if let Some(body) = document().body() {
            let _ = body.set_attribute("data-hydrated", "");
        }
    });
}
