//! Preload links for the WASM chunks a page needs, written by the server.
//!
//! While a page renders on the server, Leptos notes each `#[lazy]` function it runs
//! (`PrefetchLazyFn`), and `HydrationScripts` reads which chunk files each one needs from
//! the manifest `cargo leptos --split` writes (`WasmSplitManifest`). leptos_integration_utils
//! 0.8.9 turns the two into `<link rel="preload">` once the page has rendered, but looks both
//! up outside the page's reactive owner, so it finds them only now and then: most pages came
//! without the links, and the browser learnt of their chunks only when the main WASM asked,
//! a round trip late. Called from inside a route, where both are found, this adds the links
//! to the page's `<head>`. The chunks' loader, which the main JS imports, is preloaded on
//! every page.

use leptos::prelude::*;
use leptos::WasmSplitManifest;

/// `<link rel="modulepreload">` for the chunks' loader, in the shell's `<head>` after
/// `HydrationScripts` (which reads the manifest); nothing in builds without `--split`.
#[component]
pub fn SplitLoaderPreload() -> impl IntoView {
    use_context::<WasmSplitManifest>()
        .and_then(|manifest| {
            manifest
                .0
                .try_with_value(|(pkg_dir, _, split_js)| format!("{pkg_dir}/{split_js}"))
        })
        .map(|href| view! { <link rel="modulepreload" href=href /> })
}

#[cfg(feature = "ssr")]
pub fn preload_fetched_chunks() {
    use leptos::PrefetchLazyFn;
    use leptos_meta::Link;
    use std::collections::BTreeSet;

    let (Some(fetched), Some(manifest)) = (
        use_context::<PrefetchLazyFn>(),
        use_context::<WasmSplitManifest>(),
    ) else {
        return;
    };
    let Some(fetched) = fetched.0.try_read_value() else {
        return;
    };
    let Some(manifest) = manifest.0.try_read_value() else {
        return;
    };
    let (pkg_dir, chunks_of, _) = &*manifest;
    let chunks: BTreeSet<&String> = fetched
        .iter()
        .filter_map(|lazy_fn| chunks_of.get(*lazy_fn))
        .flatten()
        .collect();
    if chunks.is_empty() {
        return;
    }
    // `to_html` on a leptos_meta component hands it to the page's `<head>`. `crossorigin`
    // makes each preload match the loader's plain `fetch`, so the browser reuses it.
    for chunk in chunks {
        let _ = view! {
            <Link rel="preload" href=format!("{pkg_dir}/{chunk}.wasm") as_="fetch"
                type_="application/wasm" crossorigin="anonymous" />
        }
        .to_html();
    }
}
