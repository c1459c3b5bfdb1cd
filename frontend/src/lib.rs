//! The WASM entry point of a page made of server HTML and islands, built once per bundle
//! (a feature of this crate). No app, no router: the loader (`app/src/hydration.js`) calls
//! `hydrate`, then hydrates each `<leptos-island>` with the function its `data-component`
//! names, which the app exports for every `#[island]` of the bundle. Only what those
//! functions reach is in this WASM.

// Nothing here names the app, and a crate nothing names is not linked: its islands' exports
// would be missing.
extern crate app;

#[wasm_bindgen::prelude::wasm_bindgen]
pub fn hydrate() {
    console_error_panic_hook::set_once();
    leptos::mount::hydrate_islands();
    // Without a router, a server function's redirect (sign-in's, to /me) loads the page:
    // for `ActionForm`, `ui::send_form` and an island's own `Action` alike.
    let _ = leptos::server_fn::redirect::set_redirect_hook(|to: &str| {
        let _ = leptos::prelude::window().location().set_href(to);
    });
}
