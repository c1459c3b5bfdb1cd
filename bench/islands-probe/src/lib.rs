//! The interactive parts of the map list and the lunch menu as Leptos islands, everything
//! else left to the server's HTML: what the WASM would weigh then. The server functions
//! are only their browser side here (a hydrate-only build compiles no server bodies).

use leptos::prelude::*;
use serde::{Deserialize, Serialize};

#[derive(Clone, Debug, Serialize, Deserialize, PartialEq)]
pub struct OrderPlaced {
    pub code: String,
    pub left: i32,
}

#[server(endpoint = "place_order")]
pub async fn place_order(
    meal: i64,
    quantity: i32,
    attempt: String,
) -> Result<OrderPlaced, ServerFnError> {
    unreachable!("the browser side only")
}

#[server(endpoint = "search_places")]
pub async fn search_places(
    q: String,
    kind: String,
) -> Result<Vec<(i64, String, String)>, ServerFnError> {
    unreachable!("the browser side only")
}

/// The map list's search box: debounced, with the count of what matches as one types.
#[island]
pub fn SearchBox(initial: String) -> impl IntoView {
    let (q, set_q) = signal(initial);
    let results = Resource::new(move || q.get(), |q| search_places(q, String::new()));
    view! {
        <input class="input" value=q on:input=move |ev| {
            let typed = event_target_value(&ev);
            leptos::task::spawn_local(async move {
                gloo_timers::future::TimeoutFuture::new(300).await;
                set_q.set(typed);
            });
        } />
        <Transition fallback=|| "…">
            {move || results.get().map(|r| r.map(|r| r.len()).unwrap_or(0))}
        </Transition>
    }
}

/// "我的附近": asks the browser for a position.
#[island]
pub fn NearMe() -> impl IntoView {
    let (message, set_message) = signal(None::<&'static str>);
    view! {
        <button class="chip" on:click=move |_| {
            if window().navigator().geolocation().is_err() {
                set_message.set(Some("无法定位"));
            }
        }>"我的附近"</button>
        {move || message.get().map(|m| view! { <p role="alert">{m}</p> })}
    }
}

/// A meal's order form with its portions left, kept live by the live channel.
#[island]
pub fn OrderButton(meal: i64, left: i32) -> impl IntoView {
    let order = ServerAction::<PlaceOrder>::new();
    let (left, set_left) = signal(left);
    Effect::new(move |_| {
        if let Some(Ok(placed)) = order.value().get() {
            set_left.set(placed.left);
        }
    });
    let _live = web_sys::EventSource::new(&format!("/api/live?topics=lunch:{meal}"));
    view! {
        <p>"剩余 "{left}" 份"</p>
        <ActionForm action=order>
            <input type="hidden" name="meal" value=meal />
            <input type="number" name="quantity" value="1" />
            <input type="hidden" name="attempt" value="probe" />
            <button type="submit" disabled=move || order.pending().get()>"下单"</button>
        </ActionForm>
        {move || order.value().get().and_then(Result::err).map(|e| view! { <p role="alert">{e.to_string()}</p> })}
    }
}

#[wasm_bindgen::prelude::wasm_bindgen]
pub fn hydrate() {
    console_error_panic_hook::set_once();
    leptos::mount::hydrate_islands();
}
