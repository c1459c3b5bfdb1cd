//! Small shared pieces of the interface: form fields with their errors, banners, error pages.

use crate::error::{AppError, Field};
use crate::i18n::{t, use_locale, Key};
use leptos::prelude::*;
use leptos::server_fn::ServerFn;
use leptos_router::components::A;

/// The error of an action's last call, if it failed.
pub fn action_error<S>(action: ServerAction<S>) -> Signal<Option<AppError>>
where
    S: ServerFn<Error = AppError> + Send + Sync + Clone + 'static,
    S::Output: Clone + Send + Sync + 'static,
{
    Signal::derive(move || action.value().get().and_then(Result::err))
}

/// The message for `field` in `error`, if the error concerns that field.
pub fn field_message(
    error: Signal<Option<AppError>>,
    field: Field,
) -> impl Fn() -> Option<String> + Copy + Send + Sync + 'static {
    move || {
        // On the server a suspense boundary may render a form twice and drop the first
        // render's signals while its attributes are still read (seen once in CI as a
        // panic): a form that is gone has no message to show.
        error
            .try_get()
            .flatten()
            .filter(|e| e.field() == Some(field))
            .map(|e| match e {
                AppError::Invalid { problem, .. } => problem.message(use_locale()),
                other => other.message(use_locale()),
            })
    }
}

/// A labelled input whose hint and server-side error are tied to it for screen readers.
#[component]
pub fn FormField(
    field: Field,
    name: &'static str,
    label: Key,
    #[prop(optional)] hint: Option<Key>,
    #[prop(default = "text")] input_type: &'static str,
    #[prop(default = "off")] autocomplete: &'static str,
    #[prop(optional)] input_mode: Option<&'static str>,
    #[prop(optional)] min_length: Option<usize>,
    #[prop(optional)] max_length: Option<usize>,
    #[prop(into)] error: Signal<Option<AppError>>,
) -> impl IntoView {
    let id = format!("field-{name}");
    let hint_id = format!("{id}-hint");
    let error_id = format!("{id}-error");
    let message = field_message(error, field);
    let described_by = {
        let (hint_id, error_id) = (hint_id.clone(), error_id.clone());
        move || {
            let mut ids = Vec::new();
            if hint.is_some() {
                ids.push(hint_id.clone());
            }
            if message().is_some() {
                ids.push(error_id.clone());
            }
            ids.join(" ")
        }
    };
    view! {
        <div class="space-y-1">
            <label for=id.clone() class="label">{t(label)}</label>
            <input
                id=id
                name=name
                type=input_type
                class="input"
                required
                autocomplete=autocomplete
                inputmode=input_mode
                minlength=min_length.map(|n| n.to_string())
                maxlength=max_length.map(|n| n.to_string())
                aria-invalid=move || message().is_some().then_some("true")
                aria-describedby=described_by
            />
            {hint.map(|h| view! { <p id=hint_id class="hint">{t(h)}</p> })}
            {move || message().map(|m| view! {
                <p id=error_id.clone() class="field-error" role="alert">{m}</p>
            })}
        </div>
    }
}

/// A banner for an error that concerns no single field.
#[component]
pub fn ErrorBanner(#[prop(into)] error: Signal<Option<AppError>>) -> impl IntoView {
    move || {
        // As in `field_message`: a form that a suspense boundary rendered twice on the
        // server may be read after its signals are gone (seen in CI); it has nothing to show.
        error
            .try_get()
            .flatten()
            .filter(|e| e.field().is_none())
            .map(|e| {
                view! { <p class="banner-error" role="alert">{e.message(use_locale())}</p> }
            })
    }
}

/// A short confirmation of what just happened.
#[component]
pub fn Notice(#[prop(into)] when: Signal<bool>, text: &'static str) -> impl IntoView {
    move || {
        when.get()
            .then(|| view! { <p class="banner-ok" role="status">{text}</p> })
    }
}

/// A whole-page error: sign-in prompt, access denied, or the message with its request id.
#[component]
pub fn ErrorView(error: AppError) -> impl IntoView {
    set_status(error.status());
    match error {
        AppError::NotSignedIn => view! {
            <div class="card space-y-3 text-center">
                <h1 class="page-title">{t(Key::NotSignedInTitle)}</h1>
                <p class="muted">{t(Key::NotSignedInBody)}</p>
                <A href="/sign-in" attr:class="btn-primary inline-block">{t(Key::SignIn)}</A>
            </div>
        }
        .into_any(),
        AppError::Forbidden => view! {
            <div class="card space-y-3 text-center">
                <h1 class="page-title">{t(Key::ForbiddenTitle)}</h1>
                <p class="muted">{t(Key::ForbiddenBody)}</p>
                <A href="/" attr:class="link">{t(Key::BackHome)}</A>
            </div>
        }
        .into_any(),
        other => view! {
            <div class="card space-y-3 text-center">
                <h1 class="page-title">{t(Key::ErrorPageTitle)}</h1>
                <p role="alert">{other.message(use_locale())}</p>
                <A href="/" attr:class="link">{t(Key::BackHome)}</A>
            </div>
        }
        .into_any(),
    }
}

/// The route's `:id` as a number; `None` when absent or not a number.
pub fn use_id_param() -> impl Fn() -> Option<i64> + Copy + Send + Sync + 'static {
    let params = leptos_router::hooks::use_params_map();
    move || params.read().get("id").and_then(|id| id.parse().ok())
}

/// Shows `show(value)` once `resource` has loaded, a loading line until then, and the
/// whole-page error view if loading failed.
#[component]
pub fn Loaded<T, V, F>(resource: Resource<Result<T, AppError>>, show: F) -> impl IntoView
where
    T: Clone + Send + Sync + serde::Serialize + serde::de::DeserializeOwned + 'static,
    F: Fn(T) -> V + Copy + Send + Sync + 'static,
    V: IntoView + 'static,
{
    view! {
        <Transition fallback=|| view! { <p class="muted" role="status">{t(Key::Loading)}</p> }>
            {move || Suspend::new(async move {
                match resource.await {
                    Ok(value) => show(value).into_any(),
                    Err(error) => view! { <ErrorView error /> }.into_any(),
                }
            })}
        </Transition>
    }
}

/// What a browser-only resource last loaded, as a signal a view may read anywhere. Read in
/// a view, a `LocalResource` makes the nearest `Suspense` or `Transition` wait for it: on the
/// server, where it never loads, that boundary is sent as "loading" (or its fallback), and
/// hydration then meets other nodes than the server sent. Read here, by an effect, it is
/// read only in the browser once the page has hydrated. Errors leave the last value.
pub fn loaded_in_browser<T>(resource: LocalResource<Result<T, AppError>>) -> ReadSignal<Option<T>>
where
    T: Clone + Send + Sync + 'static,
{
    let (loaded, set_loaded) = signal(None);
    Effect::new(move || {
        if let Some(Ok(value)) = resource.get() {
            set_loaded.set(Some(value));
        }
    });
    loaded
}

/// The server's data an island shows: `initial` (given in its props), loaded again with
/// `load` each time `changed` moves on (an action of the island's has run). Hydrated on its
/// own, an island has no page's resource around it to reload; so it owns what its actions
/// change. A failed load leaves what was shown.
pub fn reloaded<T, Fut>(
    initial: T,
    changed: impl Fn() -> usize + 'static,
    load: impl Fn() -> Fut + 'static,
) -> ReadSignal<T>
where
    T: Send + Sync + 'static,
    Fut: std::future::Future<Output = Result<T, AppError>> + 'static,
{
    let (data, set_data) = signal(initial);
    Effect::watch(
        changed,
        move |_, _, _| {
            let loading = load();
            leptos::task::spawn_local(async move {
                if let Ok(value) = loading.await {
                    set_data.set(value);
                }
            });
        },
        false,
    );
    data
}

/// Runs only the last of calls made within a moment of each other, in the browser (a search
/// box that waits for the typing to pause). On the server it does nothing.
#[derive(Clone, Copy)]
pub struct Debounce {
    #[cfg(feature = "hydrate")]
    pending: StoredValue<Option<gloo_timers::callback::Timeout>, LocalStorage>,
}

impl Debounce {
    pub fn new() -> Debounce {
        Debounce {
            #[cfg(feature = "hydrate")]
            pending: StoredValue::new_local(None),
        }
    }

    pub fn call(&self, millis: u32, f: impl FnOnce() + 'static) {
        #[cfg(feature = "hydrate")]
        // Dropping the previous timeout cancels it: only the last call counts.
        self.pending
            .set_value(Some(gloo_timers::callback::Timeout::new(millis, f)));
        #[cfg(not(feature = "hydrate"))]
        let _ = (millis, f);
    }
}

impl Default for Debounce {
    fn default() -> Self {
        Debounce::new()
    }
}

/// The camera panel that `public/scan.js` opens (one a page) for a button carrying
/// `data-zd-scan` and `aria-controls="scan-panel"`: the video, what to point it at, and a
/// close button.
#[component]
pub fn ScanPanel(hint: &'static str, camera: &'static str, close: &'static str) -> impl IntoView {
    view! {
        <div id="scan-panel" class="space-y-2" hidden>
            <video class="w-full rounded bg-black" muted playsinline aria-label=camera></video>
            <p class="muted text-sm" role="status" data-zd-scan-status>{hint}</p>
            <button type="button" class="btn-secondary w-full" data-zd-scan-stop>{close}</button>
        </div>
    }
}

/// The form a submit event came from, as `FormData` for a multipart server function.
pub fn submitted_form_data(ev: &leptos::ev::SubmitEvent) -> Option<leptos::web_sys::FormData> {
    use leptos::wasm_bindgen::JsCast;
    ev.prevent_default();
    let form = ev
        .target()?
        .dyn_into::<leptos::web_sys::HtmlFormElement>()
        .ok()?;
    leptos::web_sys::FormData::new_with_form(&form).ok()
}

/// The submit handler of a form sent through `action`, with the arguments `args` makes of its
/// fields (`field(name)`: its text, "" when absent). The form itself posts to the server
/// function (`method="post" action=S::url()`), so that it works before the WASM has come;
/// hydrated, this sends it in place. `ActionForm` does the same but reads the fields into
/// the arguments with serde_qs, which made each lunch bundle 17–25 KB larger (README, "Page
/// weight"). Like `ActionForm`, the form then follows the function's redirect.
pub fn send_form<S>(
    action: ServerAction<S>,
    args: impl Fn(&dyn Fn(&str) -> String) -> S + 'static,
) -> impl Fn(leptos::ev::SubmitEvent) + 'static
where
    S: leptos::server_fn::ServerFn + Clone + Send + Sync + 'static,
    S::Output: Send + Sync + 'static,
    S::Error: Send + Sync + 'static,
{
    move |ev| {
        if let Some(data) = submitted_form_data(&ev) {
            let field = |name: &str| data.get(name).as_string().unwrap_or_default();
            action.dispatch(args(&field));
        }
    }
}

/// Sets the HTTP status of the page being rendered on the server; nothing in the browser.
pub fn set_status(code: u16) {
    #[cfg(feature = "ssr")]
    if let (Some(options), Ok(status)) = (
        use_context::<leptos_axum::ResponseOptions>(),
        http::StatusCode::from_u16(code),
    ) {
        options.set_status(status);
    }
    #[cfg(not(feature = "ssr"))]
    let _ = code;
}

/// Percent-encodes a query-string value (keeping `/` readable).
pub fn encode_query_value(value: &str) -> String {
    value
        .bytes()
        .map(|b| match b {
            b'A'..=b'Z' | b'a'..=b'z' | b'0'..=b'9' | b'-' | b'_' | b'.' | b'~' | b'/' | b',' => {
                (b as char).to_string()
            }
            _ => format!("%{b:02X}"),
        })
        .collect()
}

#[cfg(test)]
mod tests {
    use super::encode_query_value;

    #[test]
    fn query_values_are_encoded() {
        assert_eq!(
            encode_query_value("/admin/users?q=138&x=1"),
            "/admin/users%3Fq%3D138%26x%3D1"
        );
        assert_eq!(encode_query_value("/地图"), "/%E5%9C%B0%E5%9B%BE");
        assert_eq!(encode_query_value("31.24,121.44"), "31.24,121.44");
    }
}
