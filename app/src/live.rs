//! The app's one live channel, for every capability: "something you are looking at has
//! changed, reload it".
//!
//! A write publishes topics with `pg_notify` inside its transaction, so the notice leaves
//! only if the write commits. Each server process keeps one PostgreSQL LISTEN connection
//! and fans notices out in-process over a tokio broadcast channel; browsers subscribe to
//! the topics they may see at `/api/live?topics=…` as Server-Sent Events, and `EventSource`
//! reconnects by itself. Notices carry topics (ids), never data: the page reloads what it
//! shows through its usual, authorised server functions. Whenever a notice may have been
//! missed (the listener reconnected, a subscriber lagged, the browser reconnected), the
//! subscriber is told to reload everything it shows.

use leptos::prelude::*;

/// The PostgreSQL channel all notices travel on.
pub const CHANNEL: &str = "zd_live";

/// What may be subscribed to. Written `user:7`, `request:42`, `building:3`,
/// `department:2`, `requests` (every request, for admins), `lunch:5` (a lunch point),
/// `lunch` (every menu) or `places` (the map).
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash)]
pub enum Topic {
    User(i64),
    Request(i64),
    Building(i64),
    Department(i64),
    AllRequests,
    /// A lunch point's menus and orders: portions left, orders coming in. Public.
    LunchPoint(i64),
    /// Any menu written or changed, for the days no menu was on yet. Public.
    LunchMenus,
    /// A volunteer activity's sign-ups and check-ins, for its roster. Public (it names no
    /// one; the roster itself is for its organisers).
    Activity(i64),
    /// Any place added, changed or hidden on the map. Public.
    Places,
}

impl Topic {
    pub fn parse(text: &str) -> Option<Topic> {
        match text {
            "requests" => return Some(Topic::AllRequests),
            "lunch" => return Some(Topic::LunchMenus),
            "places" => return Some(Topic::Places),
            _ => {}
        }
        let (kind, id) = text.split_once(':')?;
        let id: i64 = id.parse().ok().filter(|id| *id > 0)?;
        match kind {
            "user" => Some(Topic::User(id)),
            "request" => Some(Topic::Request(id)),
            "building" => Some(Topic::Building(id)),
            "department" => Some(Topic::Department(id)),
            "lunch" => Some(Topic::LunchPoint(id)),
            "activity" => Some(Topic::Activity(id)),
            _ => None,
        }
    }
}

impl std::fmt::Display for Topic {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        match self {
            Topic::User(id) => write!(f, "user:{id}"),
            Topic::Request(id) => write!(f, "request:{id}"),
            Topic::Building(id) => write!(f, "building:{id}"),
            Topic::Department(id) => write!(f, "department:{id}"),
            Topic::AllRequests => f.write_str("requests"),
            Topic::LunchPoint(id) => write!(f, "lunch:{id}"),
            Topic::LunchMenus => f.write_str("lunch"),
            Topic::Activity(id) => write!(f, "activity:{id}"),
            Topic::Places => f.write_str("places"),
        }
    }
}

/// A counter that goes up whenever one of `topics` changes (or may have changed), for
/// resources to depend on. On the server, and before hydration, it stays at 0.
pub fn use_live(topics: Signal<Vec<String>>) -> ReadSignal<u64> {
    let (version, set_version) = signal(0u64);
    #[cfg(feature = "hydrate")]
    client::subscribe(topics, set_version);
    #[cfg(not(feature = "hydrate"))]
    let _ = (topics, set_version);
    version
}

#[cfg(feature = "hydrate")]
mod client {
    use leptos::prelude::*;
    use leptos::wasm_bindgen::closure::Closure;
    use leptos::wasm_bindgen::JsCast;
    use leptos::web_sys::EventSource;
    use send_wrapper::SendWrapper;

    /// Opens an `EventSource` for the current topics, reopening it when they change.
    pub fn subscribe(topics: Signal<Vec<String>>, set_version: WriteSignal<u64>) {
        let current: StoredValue<Option<SendWrapper<EventSource>>> = StoredValue::new(None);
        // Reconnect only when the topics really change, not on every write of the signal.
        let topics = Memo::new(move |_| topics.get());
        let bump = move || set_version.update(|v| *v += 1);
        Effect::new(move |_| {
            let topics = topics.get();
            if let Some(old) = current.get_value() {
                old.close();
            }
            if topics.is_empty() {
                current.set_value(None);
                return;
            }
            let url = format!("/api/live?topics={}", topics.join(","));
            let Ok(source) = EventSource::new(&url) else {
                return;
            };
            let on_change = Closure::<dyn Fn()>::new(bump);
            let _ = source
                .add_event_listener_with_callback("change", on_change.as_ref().unchecked_ref());
            let _ = source
                .add_event_listener_with_callback("reload", on_change.as_ref().unchecked_ref());
            on_change.forget();
            // Marks the page with the topics being followed once the server confirms them,
            // for tests and tools that must not act before the page listens.
            let followed = topics.clone();
            let on_ready = Closure::<dyn Fn()>::new(move || {
                if let Some(body) = leptos::prelude::document().body() {
                    let mut ready: Vec<String> = body
                        .get_attribute("data-live")
                        .unwrap_or_default()
                        .split_whitespace()
                        .map(str::to_owned)
                        .collect();
                    ready.extend(followed.iter().cloned());
                    ready.sort();
                    ready.dedup();
                    let _ = body.set_attribute("data-live", &ready.join(" "));
                }
            });
            let _ =
                source.add_event_listener_with_callback("ready", on_ready.as_ref().unchecked_ref());
            on_ready.forget();
            // The first `open` is the subscription starting; a later one is a reconnection
            // after which notices may have been missed.
            let opened = std::cell::Cell::new(false);
            let on_open = Closure::<dyn Fn()>::new(move || {
                if opened.replace(true) {
                    bump();
                }
            });
            source.set_onopen(Some(on_open.as_ref().unchecked_ref()));
            on_open.forget();
            current.set_value(Some(SendWrapper::new(source)));
        });
        on_cleanup(move || {
            if let Some(source) = current.get_value() {
                source.close();
            }
        });
    }
}

#[cfg(feature = "ssr")]
pub use server::{publish, sse, Hub, Notice};

#[cfg(feature = "ssr")]
mod server {
    use super::{Topic, CHANNEL};
    use crate::accounts::roles::{is_admin, Role, RoleGrant, Scope};
    use crate::state::AppState;
    use axum::extract::{Query, State};
    use axum::response::sse::{Event, KeepAlive, Sse};
    use axum::response::{IntoResponse, Response};
    use futures::stream::{self, Stream, StreamExt};
    use sqlx::postgres::PgListener;
    use sqlx::{PgExecutor, PgPool};
    use std::collections::HashSet;
    use std::convert::Infallible;
    use std::sync::Arc;
    use std::time::Duration;
    use tokio::sync::broadcast;

    /// What the listener passes to subscribers.
    #[derive(Clone, Debug)]
    pub enum Notice {
        Changed(Arc<[Topic]>),
        /// Notices may have been lost: reload everything.
        Reload,
    }

    /// This process's end of the live channel.
    #[derive(Clone, Debug)]
    pub struct Hub {
        sender: broadcast::Sender<Notice>,
    }

    impl Hub {
        /// Starts listening on `pool`'s database in the background.
        pub fn start(pool: PgPool) -> Hub {
            let (sender, _) = broadcast::channel(1024);
            let hub = Hub { sender };
            tokio::spawn(listen(pool, hub.sender.clone()));
            hub
        }

        pub fn subscribe(&self) -> broadcast::Receiver<Notice> {
            self.sender.subscribe()
        }
    }

    async fn listen(pool: PgPool, sender: broadcast::Sender<Notice>) {
        loop {
            let mut listener = match PgListener::connect_with(&pool).await {
                Ok(listener) => listener,
                Err(error) => {
                    tracing::warn!(%error, "live channel: cannot connect; retrying");
                    tokio::time::sleep(Duration::from_secs(1)).await;
                    continue;
                }
            };
            if let Err(error) = listener.listen(CHANNEL).await {
                tracing::warn!(%error, "live channel: cannot LISTEN; retrying");
                tokio::time::sleep(Duration::from_secs(1)).await;
                continue;
            }
            // Anything published while we were not listening is lost.
            let _ = sender.send(Notice::Reload);
            loop {
                match listener.try_recv().await {
                    Ok(Some(notification)) => {
                        let topics: Arc<[Topic]> = notification
                            .payload()
                            .split(' ')
                            .filter_map(Topic::parse)
                            .collect();
                        let _ = sender.send(Notice::Changed(topics));
                    }
                    // The connection dropped; the listener reconnects on the next call.
                    Ok(None) => {
                        let _ = sender.send(Notice::Reload);
                    }
                    Err(sqlx::Error::PoolClosed) => return,
                    Err(error) => {
                        tracing::warn!(%error, "live channel: lost; reconnecting");
                        tokio::time::sleep(Duration::from_millis(500)).await;
                        break;
                    }
                }
            }
        }
    }

    /// Tells every server process that `topics` changed, when the surrounding transaction
    /// commits.
    pub async fn publish(db: impl PgExecutor<'_>, topics: &[Topic]) -> Result<(), sqlx::Error> {
        let mut unique: Vec<String> = topics.iter().map(Topic::to_string).collect();
        unique.sort();
        unique.dedup();
        sqlx::query("SELECT pg_notify($1, $2)")
            .bind(CHANNEL)
            .bind(unique.join(" "))
            .execute(db)
            .await?;
        Ok(())
    }

    #[derive(serde::Deserialize)]
    pub struct LiveQuery {
        #[serde(default)]
        topics: String,
    }

    /// `GET /api/live?topics=a,b`: Server-Sent Events for topics the caller may see;
    /// 401 without a session (but for the public lunch topics), 403 if any topic is not
    /// theirs.
    pub async fn sse(
        State(state): State<AppState>,
        headers: http::HeaderMap,
        Query(query): Query<LiveQuery>,
    ) -> Response {
        let topics: Option<Vec<Topic>> = query.topics.split(',').map(Topic::parse).collect();
        let topics = match topics {
            Some(t) if !t.is_empty() && t.len() <= 16 => t,
            _ => return (http::StatusCode::BAD_REQUEST, "topics=user:1,request:2").into_response(),
        };
        let caller = match crate::accounts::auth::caller_from_headers(&state, &headers).await {
            Ok(caller) => caller,
            Err(error) => {
                return http::StatusCode::from_u16(error.status())
                    .unwrap_or_default()
                    .into_response()
            }
        };
        for topic in &topics {
            // Menus are public; everything else needs a session.
            if let Topic::LunchPoint(_) | Topic::LunchMenus | Topic::Activity(_) = topic {
                continue;
            }
            let Some(caller) = &caller else {
                return http::StatusCode::UNAUTHORIZED.into_response();
            };
            match may_subscribe(&state.pool, caller.user_id, &caller.grants, *topic).await {
                Ok(true) => {}
                Ok(false) => return http::StatusCode::FORBIDDEN.into_response(),
                Err(error) => {
                    return http::StatusCode::from_u16(error.status())
                        .unwrap_or_default()
                        .into_response()
                }
            }
        }
        Sse::new(events(state.live.subscribe(), topics.into_iter().collect()))
            .keep_alive(KeepAlive::new().interval(Duration::from_secs(20)))
            .into_response()
    }

    fn events(
        receiver: broadcast::Receiver<Notice>,
        topics: HashSet<Topic>,
    ) -> impl Stream<Item = Result<Event, Infallible>> {
        // "ready" first, so that a client knows the subscription is in place. Every event
        // carries data: a browser's EventSource drops events whose data is empty.
        let ready = stream::once(async { Ok(Event::default().event("ready").data("ready")) });
        ready.chain(stream::unfold(
            (receiver, topics),
            |(mut receiver, topics)| async move {
                loop {
                    let event = match receiver.recv().await {
                        Ok(Notice::Changed(changed)) => {
                            let Some(topic) = changed.iter().find(|t| topics.contains(t)) else {
                                continue;
                            };
                            Event::default().event("change").data(topic.to_string())
                        }
                        Ok(Notice::Reload) | Err(broadcast::error::RecvError::Lagged(_)) => {
                            Event::default().event("reload").data("reload")
                        }
                        Err(broadcast::error::RecvError::Closed) => return None,
                    };
                    return Some((Ok(event), (receiver, topics)));
                }
            },
        ))
    }

    /// Whether `user_id` with `grants` may follow `topic`: their own notices, the inboxes
    /// of their building or department, every request for admins, and the requests they
    /// may read.
    async fn may_subscribe(
        pool: &PgPool,
        user_id: i64,
        grants: &[RoleGrant],
        topic: Topic,
    ) -> Result<bool, crate::error::AppError> {
        let holds =
            |role: Role, scope: Scope| grants.iter().any(|g| g.role == role && g.scope == scope);
        Ok(is_admin(grants)
            || match topic {
                Topic::User(id) => id == user_id,
                Topic::Building(id) => holds(Role::BuildingManager, Scope::Place(id)),
                Topic::Department(id) => holds(Role::DepartmentStaff, Scope::Department(id)),
                Topic::AllRequests => false,
                Topic::LunchPoint(_) | Topic::LunchMenus | Topic::Activity(_) | Topic::Places => {
                    true
                }
                Topic::Request(id) => {
                    crate::requests::store::may_view(pool, id, user_id, grants).await?
                }
            })
    }

    #[cfg(test)]
    mod tests {
        use super::*;

        #[test]
        fn topics_round_trip_and_refuse_junk() {
            for text in [
                "user:7",
                "request:42",
                "building:3",
                "department:2",
                "requests",
                "lunch:9",
                "lunch",
                "activity:3",
            ] {
                assert_eq!(Topic::parse(text).unwrap().to_string(), text);
            }
            for junk in [
                "",
                "user:",
                "user:0",
                "user:-1",
                "users:1",
                "request:x",
                "building",
            ] {
                assert_eq!(Topic::parse(junk), None, "{junk}");
            }
        }
    }
}
