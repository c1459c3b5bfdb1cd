//! How a page's WASM reaches it, and what the page does when it cannot.
//!
//! The server's HTML is the whole page: its links and forms work before the WASM has come,
//! and without it. So no byte of the WASM is fetched before the first paint: on a slow phone
//! network the HTML and CSS have the line to themselves, and the page becomes interactive a
//! moment later. (Leptos's `HydrationScripts`, even with `defer`, preloads the WASM from the
//! `<head>`; Lighthouse then counts it as part of what the first paint waited for: see the
//! README's figures.)
//!
//! Each capability's pages are one WASM chunk (its `pages.rs`, marked by [`pages_chunk!`]).
//! The server names the chunks a page needs in a `<meta>`, and the loader fetches them beside
//! the main WASM. A chunk that cannot be fetched (the network is down, or the page is being
//! left) is an `Err` rather than a panic: while the page hydrates, the server's page is
//! simply left as it is; on a later navigation the page says so and offers to load again.

use crate::i18n::{t, Key};
use leptos::prelude::*;
use leptos::tachys::{
    html::attribute::{any_attribute::AnyAttribute, Attribute},
    hydration::Cursor,
    ssr::StreamBuilder,
    view::{
        add_attr::AddAnyAttr,
        any_view::{AnyViewState, AnyViewWithAttrs},
        Position, PositionState, Render, RenderHtml,
    },
};

/// Marks a capability's `render` function as its own WASM chunk, as Leptos's `#[lazy]` does,
/// but fallibly: in the app's WASM (feature `split`), `render(page).await` fetches the chunk
/// and returns `Err(ChunkMissing)` if it cannot; `__preload_render().await` only fetches it.
/// On the server `render(page)` is a plain call that notes the chunk for the page's `<meta>`.
macro_rules! pages_chunk {
    ($chunk:ident, $(#[$attr:meta])* pub fn render($page:ident: Page) -> AnyView $body:block) => {
        #[cfg_attr(
            feature = "split",
            ::leptos::wasm_split::wasm_split(
                $chunk,
                wasm_split_path = ::leptos::wasm_split,
                preload(#[doc(hidden)] __preload_render),
                fallible
            )
        )]
        $(#[$attr])*
        pub fn render($page: Page) -> Result<AnyView, $crate::hydration::ChunkMissing> {
            #[cfg(feature = "ssr")]
            ::leptos::prefetch_lazy_fn_on_server(stringify!($chunk));
            Ok($body)
        }
    };
}
pub(crate) use pages_chunk;

/// A capability's WASM chunk could not be fetched.
#[derive(Clone, Copy, Debug)]
pub struct ChunkMissing;

impl From<leptos::wasm_split::SplitLoaderError> for ChunkMissing {
    fn from(_: leptos::wasm_split::SplitLoaderError) -> Self {
        ChunkMissing
    }
}

/// What a route does when its chunk's `preload` failed. While the page hydrates, hydration
/// waits for ever, leaving the server's page working as plain HTML: its forms post to the
/// server, and its links, which the router would take over and then never show, load from
/// the server too ([`links_load_from_the_server`], held until hydration ends). After
/// hydration, the route goes on and shows [`PageDidNotLoad`].
#[cfg(feature = "hydrate")]
pub async fn on_chunk_missing() {
    if !hydrated() {
        leptos::logging::warn!("this page's code could not be fetched; it works as plain HTML");
        std::future::pending::<()>().await;
    }
}

/// Whether the page has hydrated: the frontend marks `<body data-hydrated>` once the whole
/// page, its route's chunk included, has.
#[cfg(feature = "hydrate")]
fn hydrated() -> bool {
    document()
        .body()
        .is_some_and(|body| body.has_attribute("data-hydrated"))
}

/// While the page hydrates, lets the browser run its other tasks before going on; after, does
/// nothing. Hydrating a page is one long task otherwise, most of it the browser compiling the
/// WASM functions as they are first called; a phone then answers no tap until it ends
/// (Lighthouse's total blocking time). Awaited by a route before its page hydrates (the
/// router awaits a route's `preload`), it puts the page in a task apart from the shell; so
/// does [`HydrateApart`] for parts of the shell. (Not inside a `Suspense`: a `Suspend` that
/// is not ready at once hydrates as its fallback.)
#[cfg(feature = "hydrate")]
pub async fn yield_while_hydrating() {
    if !hydrated() {
        // Not `Send`, as no browser future is; it is polled on the one thread there is.
        send_wrapper::SendWrapper::new(gloo_timers::future::TimeoutFuture::new(0)).await;
    }
}

/// Hydrates its children in a task of their own: while the page hydrates, the browser runs
/// its other tasks first ([`yield_while_hydrating`]). Anywhere else it is just its children.
/// Hydration walks the page in order, so the shell's parts after the page (the tab bar) would
/// otherwise hydrate in the page's task. Only where hydration is async all the way up: not
/// inside a route's page, a `Suspense` or a `Transition`, which hydrate their content in one
/// go.
#[component]
pub fn HydrateApart(children: Children) -> impl IntoView {
    Apart(children())
}

/// [`HydrateApart`]'s view: an `AnyView` whose async hydration yields first.
struct Apart(AnyView);

impl Render for Apart {
    type State = AnyViewState;

    fn build(self) -> Self::State {
        self.0.build()
    }

    fn rebuild(self, state: &mut Self::State) {
        self.0.rebuild(state)
    }
}

impl AddAnyAttr for Apart {
    type Output<SomeNewAttr: Attribute> = AnyViewWithAttrs;

    fn add_any_attr<NewAttr: Attribute>(self, attr: NewAttr) -> Self::Output<NewAttr>
    where
        Self::Output<NewAttr>: RenderHtml,
    {
        self.0.add_any_attr(attr)
    }
}

impl RenderHtml for Apart {
    type AsyncOutput = Self;
    type Owned = Self;
    const MIN_LENGTH: usize = 0;

    fn dry_resolve(&mut self) {
        self.0.dry_resolve()
    }

    async fn resolve(self) -> Self::AsyncOutput {
        Apart(self.0.resolve().await)
    }

    fn html_len(&self) -> usize {
        self.0.html_len()
    }

    fn to_html_with_buf(
        self,
        buf: &mut String,
        position: &mut Position,
        escape: bool,
        mark_branches: bool,
        extra_attrs: Vec<AnyAttribute>,
    ) {
        self.0
            .to_html_with_buf(buf, position, escape, mark_branches, extra_attrs)
    }

    fn to_html_async_with_buf<const OUT_OF_ORDER: bool>(
        self,
        buf: &mut StreamBuilder,
        position: &mut Position,
        escape: bool,
        mark_branches: bool,
        extra_attrs: Vec<AnyAttribute>,
    ) {
        self.0.to_html_async_with_buf::<OUT_OF_ORDER>(
            buf,
            position,
            escape,
            mark_branches,
            extra_attrs,
        )
    }

    fn hydrate<const FROM_SERVER: bool>(
        self,
        cursor: &Cursor,
        position: &PositionState,
    ) -> Self::State {
        self.0.hydrate::<FROM_SERVER>(cursor, position)
    }

    async fn hydrate_async(self, cursor: &Cursor, position: &PositionState) -> Self::State {
        #[cfg(feature = "hydrate")]
        yield_while_hydrating().await;
        self.0.hydrate_async(cursor, position).await
    }

    fn into_owned(self) -> Self::Owned {
        self
    }
}

/// While held, keeps link clicks from the router, so that the browser follows them itself and
/// loads the page from the server. The frontend holds it while the page hydrates: the router
/// is listening before the routes have hydrated, and the page hydrates in several tasks, so a
/// click between two of them would have the router match the new address against the old
/// page's nodes. Dropped, the router has the clicks again.
#[cfg(feature = "hydrate")]
pub struct LinksLoadFromTheServer(wasm_bindgen::closure::Closure<dyn Fn(web_sys::Event)>);

#[cfg(feature = "hydrate")]
pub fn links_load_from_the_server() -> LinksLoadFromTheServer {
    use wasm_bindgen::{closure::Closure, JsCast};

    let keep_from_router = Closure::<dyn Fn(web_sys::Event)>::new(|event: web_sys::Event| {
        let on_link = event
            .target()
            .and_then(|target| target.dyn_into::<web_sys::Element>().ok())
            .and_then(|element| element.closest("a[href]").ok().flatten())
            .is_some();
        if on_link {
            event.stop_propagation();
        }
    });
    // Capturing on `window`, before anything else sees the click; the router listens there
    // as the click bubbles.
    let _ = window().add_event_listener_with_callback_and_bool(
        "click",
        keep_from_router.as_ref().unchecked_ref(),
        true,
    );
    LinksLoadFromTheServer(keep_from_router)
}

#[cfg(feature = "hydrate")]
impl Drop for LinksLoadFromTheServer {
    fn drop(&mut self) {
        use wasm_bindgen::JsCast;
        let _ = window().remove_event_listener_with_callback_and_bool(
            "click",
            self.0.as_ref().unchecked_ref(),
            true,
        );
    }
}

/// In place of a page whose chunk could not be fetched: says so, with a plain link that has
/// the browser load the page from the server.
#[component]
pub fn PageDidNotLoad() -> impl IntoView {
    let location = leptos_router::hooks::use_location();
    let href = move || format!("{}{}", location.pathname.get(), location.search.get());
    view! {
        <div class="card space-y-3 text-center" role="alert">
            <p>{t(Key::PageDidNotLoad)}</p>
            <a class="btn-primary inline-block" href=href rel="external">
                {t(Key::LoadPageAgain)}
            </a>
        </div>
    }
}

/// In the shell's `<head>`: loads the WASM after the first paint, at the browser's first idle
/// moment (2 s at most), with the chunks the page named, then hydrates. Nothing in builds
/// for the browser, which never render the shell.
#[component]
pub fn DeferredHydrationScripts(options: LeptosOptions) -> impl IntoView {
    #[cfg(feature = "ssr")]
    {
        let loader = files::of_this_build(&options).loader.as_str();
        view! { <script type="module" nonce=use_nonce()>{loader}</script> }
    }
    #[cfg(not(feature = "ssr"))]
    {
        let _ = options;
    }
}

/// Names the chunks of the `render` functions this page ran in its `<meta name="wasm-chunks">`,
/// for the loader to fetch beside the main WASM. Called from inside a route, where the list of
/// those functions (`PrefetchLazyFn`) is found.
#[cfg(feature = "ssr")]
pub fn name_fetched_chunks() {
    use leptos::PrefetchLazyFn;
    use leptos_meta::Meta;
    use std::collections::BTreeSet;

    let (Some(fetched), Some(files)) = (use_context::<PrefetchLazyFn>(), files::known()) else {
        return;
    };
    let Some(fetched) = fetched.0.try_read_value() else {
        return;
    };
    let chunks: BTreeSet<&String> = fetched
        .iter()
        .filter_map(|chunk| files.chunks_of.get(*chunk))
        .flatten()
        .collect();
    if chunks.is_empty() {
        return;
    }
    let content = chunks
        .iter()
        .map(|chunk| format!("{}/{chunk}.wasm", files.pkg))
        .collect::<Vec<_>>()
        .join(" ");
    // `to_html` on a leptos_meta component hands it to the page's `<head>`.
    let _ = view! { <Meta name="wasm-chunks" content=content /> }.to_html();
}

/// Marks the page as one of server HTML and `bundle`'s islands: the loader then fetches that
/// bundle's own WASM and hydrates each `<leptos-island>`, never the whole page. `./zd` builds
/// one WASM per feature of `islands/Cargo.toml` (a bundle: the `islands-*` feature of the app
/// for one group of pages), so a page loads only its own group's islands; the site's
/// `islands/islands.txt` names the files.
///
/// A page with islands must not be hydrated in full: tachys 0.2.19 panics there (it leaves
/// the cursor inside the island, and most likely misses the marker after it). Without those
/// builds (`cargo leptos` alone), the page stays plain HTML. Islands are not nested.
///
/// Called wherever the page renders; only the server's rendering marks anything.
pub fn hydrate_as_islands(bundle: &'static str) {
    #[cfg(feature = "ssr")]
    if let Some(files) = files::known().and_then(|files| files.islands.get(bundle)) {
        mark_islands_page(files.clone());
    }
    #[cfg(not(feature = "ssr"))]
    let _ = bundle;
}

/// Marks the page as server HTML alone, with no island: the loader fetches no WASM (links and
/// GET forms, such as the case library's). Shown by the app after a navigation, the page is
/// the app's as any other.
pub fn server_html_only() {
    #[cfg(feature = "ssr")]
    mark_islands_page(String::new());
}

/// The page's `<meta name="wasm-islands">`: the islands' JS and WASM, space-separated, or
/// nothing for a page with no island.
#[cfg(feature = "ssr")]
fn mark_islands_page(files: String) {
    use leptos_meta::Meta;
    // `to_html` on a leptos_meta component hands it to the page's `<head>`.
    let _ = view! { <Meta name="wasm-islands" content=files /> }.to_html();
}

/// Provided by the app: an island that finds it is shown by the app (after a navigation, or
/// rendered on the server), where the router and the app's context are there to use.
#[derive(Clone, Copy, Debug)]
pub struct InApp;

/// Whether this island is shown by the app rather than hydrated on its own ([`InApp`]).
/// Never in the islands' WASM, which has no app: there the app's side of an island (the
/// router, say) is left out of the build altogether.
pub fn in_app() -> bool {
    const HAS_THE_APP: bool = cfg!(any(feature = "ssr", feature = "split"));
    HAS_THE_APP && use_context::<InApp>().is_some()
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

/// The names `cargo leptos` gave this build's WASM files: hashed in release builds (the
/// hash file beside the server's binary), split with `--split` (the manifest in the site's
/// `pkg`). The same rules as Leptos's own `HydrationScripts`.
#[cfg(feature = "ssr")]
mod files {
    use leptos::config::LeptosOptions;
    use std::collections::HashMap;
    use std::sync::OnceLock;

    pub struct WasmFiles {
        pub pkg: String,
        /// Which chunk files each split function needs; empty in builds without `--split`.
        pub chunks_of: HashMap<String, Vec<String>>,
        /// The inline script that fetches these files and hydrates (`hydration.js` called
        /// with their names).
        pub loader: String,
        /// Each bundle's islands' JS and WASM, space-separated, as far as `./zd` built them.
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
        let manifest = match hashes.get("manifest") {
            Some(hash) => format!("__wasm_split_manifest.{hash}.json"),
            None => "__wasm_split_manifest.json".to_string(),
        };
        let chunks_of: Option<HashMap<String, Vec<String>>> = std::fs::read_to_string(
            std::path::Path::new(&*options.site_root)
                .join(&*options.site_pkg_dir)
                .join(manifest),
        )
        .ok()
        .and_then(|json| serde_json::from_str(&json).ok());
        let split_loader = chunks_of.is_some().then(|| match hashes.get("split") {
            Some(hash) => format!("{pkg}/__wasm_split.{hash}.js"),
            None => format!("{pkg}/__wasm_split.______________________.js"),
        });
        let js = format!("{pkg}/{}.js", hashed(output, "js"));
        let wasm = format!("{pkg}/{}.wasm", hashed(&wasm_stem, "wasm"));
        // The script's comments stay in the source.
        let script: Vec<&str> = include_str!("hydration.js")
            .lines()
            .filter(|line| !line.trim_start().starts_with("//"))
            .collect();
        // The chunks' loader, in split builds, is preloaded with the page's chunks.
        let preloads: Vec<String> = split_loader.into_iter().collect();
        let loader = format!("({})({js:?}, {wasm:?}, {preloads:?});", script.join("\n"));
        // One line per bundle: its name, its JS, its WASM.
        let islands = std::fs::read_to_string(
            std::path::Path::new(&*options.site_root).join("islands/islands.txt"),
        )
        .unwrap_or_default()
        .lines()
        .filter_map(|line| line.trim().split_once(' '))
        .map(|(bundle, files)| (bundle.to_string(), files.to_string()))
        .collect();
        WasmFiles {
            chunks_of: chunks_of.unwrap_or_default(),
            pkg,
            loader,
            islands,
        }
    }
}
