//! How a page's WASM reaches it.
//!
//! The server's HTML is the whole page: its links and forms work before the WASM has come,
//! and without it. A page's interactive parts are islands (`#[island]`); the page names the
//! bundle of islands it needs ([`hydrate_as_islands`]), and a page that names none fetches
//! no WASM at all. No byte of the WASM is fetched before the first paint: on a slow phone
//! network the HTML and CSS have the line to themselves, and the page becomes interactive a
//! moment later. (Leptos's `HydrationScripts`, even with `defer`, preloads the WASM from the
//! `<head>`; Lighthouse then counts it as part of what the first paint waited for: see the
//! README's figures.)
//!
//! A bundle is a feature of frontend/Cargo.toml: its WASM has that group of pages' islands
//! and what they reach, nothing else. cargo-leptos builds one of them as the site's own WASM
//! in `/pkg` ([`SITE_BUNDLE`]); `./zd` builds the others into the site's `islands/`.

use leptos::prelude::*;

/// The bundle cargo-leptos builds as the site's WASM: `lib-features` in the workspace's
/// Cargo.toml. The map list's, as the home page's: the page most people open first, and the
/// one `./zd dev` rebuilds on every change.
pub const SITE_BUNDLE: &str = "map";

/// In the shell's `<head>`: once the page has painted and the browser is idle (2 s at most),
/// loads the WASM of the bundle the page named and hydrates its islands (`hydration.js`).
#[cfg(feature = "ssr")]
#[component]
pub fn DeferredHydrationScripts(options: LeptosOptions) -> impl IntoView {
    let loader = files::of_this_build(&options).loader.as_str();
    view! { <script type="module" nonce=use_nonce()>{loader}</script> }
}

/// Marks the page as one of server HTML and `bundle`'s islands: the loader then fetches that
/// bundle's own WASM and hydrates each `<leptos-island>`. A page loads only its own group's
/// islands. Without the bundles' builds (`cargo leptos` alone builds only [`SITE_BUNDLE`]),
/// the other pages stay plain HTML. Islands are not nested.
///
/// Called wherever the page renders; only the server's rendering marks anything.
pub fn hydrate_as_islands(bundle: &'static str) {
    #[cfg(feature = "ssr")]
    if let Some(files) = files::known().and_then(|files| files.islands.get(bundle)) {
        use leptos_meta::Meta;
        // `to_html` on a leptos_meta component hands it to the page's `<head>`.
        let _ = view! { <Meta name="wasm-islands" content=files.clone() /> }.to_html();
    }
    #[cfg(not(feature = "ssr"))]
    let _ = bundle;
}

/// A part of the server's page at another address, for a page of islands to show in place
/// of its own (the map list's results for a new search): the page is not loaded anew, so the
/// islands keep their state and the reader the focus. The part is server HTML without
/// islands; nothing in it is hydrated.
#[cfg(feature = "hydrate")]
pub struct ServerPart {
    id: &'static str,
    html: String,
}

#[cfg(feature = "hydrate")]
impl ServerPart {
    /// The element `id` of the page at `href`, as the server renders it.
    pub async fn fetch(href: &str, id: &'static str) -> Result<ServerPart, ()> {
        use wasm_bindgen::JsCast;
        use wasm_bindgen_futures::JsFuture;
        let response: web_sys::Response = JsFuture::from(window().fetch_with_str(href))
            .await
            .map_err(drop)?
            .unchecked_into();
        if !response.ok() {
            return Err(());
        }
        let text = JsFuture::from(response.text().map_err(drop)?)
            .await
            .map_err(drop)?
            .as_string()
            .ok_or(())?;
        // Parsed inert: a template runs no script and loads nothing.
        let template: web_sys::HtmlTemplateElement = document()
            .create_element("template")
            .map_err(drop)?
            .unchecked_into();
        template.set_inner_html(&text);
        let part = template.content().get_element_by_id(id).ok_or(())?;
        Ok(ServerPart {
            id,
            html: part.inner_html(),
        })
    }

    /// Shows the part in place of the page's own, and makes `href` the page's address in
    /// place of the current one in the history.
    pub fn show(self, href: &str) {
        if let Some(element) = document().get_element_by_id(self.id) {
            element.set_inner_html(&self.html);
        }
        if let Ok(history) = window().history() {
            let _ = history.replace_state_with_url(&wasm_bindgen::JsValue::NULL, "", Some(href));
        }
    }

    /// Marks the page's element `id` as being brought up to date (`aria-busy`).
    pub fn mark_busy(id: &str, busy: bool) {
        if let Some(element) = document().get_element_by_id(id) {
            let _ = element.set_attribute("aria-busy", if busy { "true" } else { "false" });
        }
    }
}

/// The names of this build's WASM files: the site's own (`cargo leptos`, hashed in release
/// builds by the hash file beside the server's binary, by the same rules as Leptos's own
/// `HydrationScripts`), and the other bundles' (the site's `islands/islands.txt`, from `./zd`).
#[cfg(feature = "ssr")]
mod files {
    use leptos::config::LeptosOptions;
    use std::collections::HashMap;
    use std::sync::OnceLock;

    pub struct WasmFiles {
        /// The inline script that fetches a page's bundle and hydrates its islands.
        pub loader: String,
        /// Each bundle's JS and WASM, space-separated, as far as they were built.
        pub islands: HashMap<String, String>,
    }

    static FILES: OnceLock<WasmFiles> = OnceLock::new();

    pub fn of_this_build(options: &LeptosOptions) -> &'static WasmFiles {
        FILES.get_or_init(|| read(options))
    }

    /// Known once the first page's shell has rendered, before its routes do.
    pub fn known() -> Option<&'static WasmFiles> {
        FILES.get()
    }

    fn read(options: &LeptosOptions) -> WasmFiles {
        let hashes: HashMap<String, String> = options
            .hash_files
            .then(|| {
                let exe = std::env::current_exe().ok()?;
                std::fs::read_to_string(exe.parent()?.join(&*options.hash_file)).ok()
            })
            .flatten()
            .unwrap_or_default()
            .lines()
            .filter_map(|line| line.split_once(':'))
            .map(|(file, hash)| (file.trim().to_string(), hash.trim().to_string()))
            .collect();
        let hashed = |stem: &str, file: &str| match hashes.get(file) {
            Some(hash) => format!("{stem}.{hash}"),
            None => stem.to_string(),
        };
        let pkg = format!("/{}", options.site_pkg_dir);
        let output = &options.output_name;
        let wasm_stem =
            if hashes.contains_key("wasm") || option_env!("LEPTOS_OUTPUT_NAME").is_some() {
                output.to_string()
            } else {
                format!("{output}_bg")
            };
        let js = format!("{pkg}/{}.js", hashed(output, "js"));
        let wasm = format!("{pkg}/{}.wasm", hashed(&wasm_stem, "wasm"));
        // One line per bundle: its name, its JS, its WASM.
        let mut islands: HashMap<String, String> = std::fs::read_to_string(
            std::path::Path::new(&*options.site_root).join("islands/islands.txt"),
        )
        .unwrap_or_default()
        .lines()
        .filter_map(|line| line.trim().split_once(' '))
        .map(|(bundle, files)| (bundle.to_string(), files.to_string()))
        .collect();
        islands.insert(super::SITE_BUNDLE.to_string(), format!("{js} {wasm}"));
        // The script's comments stay in the source.
        let script: Vec<&str> = include_str!("hydration.js")
            .lines()
            .filter(|line| !line.trim_start().starts_with("//"))
            .collect();
        let loader = format!("({})();", script.join("\n"));
        WasmFiles { loader, islands }
    }
}
