//! In-app notifications (我的消息), shared by every capability: a capability writes a row
//! with a `kind` (`request.routed`, …), a subject and a link in the same transaction as the
//! change, and publishes the recipient's `user:{id}` topic; the tab bar's unread count and
//! this page update live.

use crate::accounts::views::{use_auth, RequireUser};
use crate::error::AppError;
use crate::i18n::{t, use_locale, Locale};
use crate::live::{use_live, Topic};
use crate::requests::deadlines::format_time;
use crate::ui::Loaded;
use leptos::prelude::*;
use serde::{Deserialize, Serialize};

crate::texts! {
    pub enum NotificationText {
    Messages => "我的消息", "Messages";
    TabMessages => "消息", "Messages";
    NoMessages => "暂时没有消息。诉求有新进展时会通知您。", "No messages yet. You will be told when your requests move on.";
    MarkAllRead => "全部标为已读", "Mark all as read";
    Unread => "未读", "Unread";
    UnreadCount => "条未读消息", "unread messages";
    }
}

#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct Notification {
    pub id: i64,
    /// What happened, in the reader's language.
    pub what: String,
    pub subject: String,
    pub link: String,
    pub at: i64,
    pub unread: bool,
}

/// What a notification's kind says, in `locale`: each capability names its own kinds.
#[cfg(feature = "ssr")]
fn describe(kind: &str, locale: crate::i18n::Locale) -> String {
    if let Some(text) = crate::points::notification_text(kind) {
        return locale.text(text).to_owned();
    }
    kind.strip_prefix("request.")
        .and_then(crate::requests::lifecycle::EventKind::parse)
        .map(|k| locale.text(k.label()).to_owned())
        .unwrap_or_else(|| kind.to_owned())
}

#[server(endpoint = "notifications/list", output = crate::codec::Json)]
pub async fn my_notifications() -> Result<Vec<Notification>, AppError> {
    let caller = crate::accounts::auth::require_user().await?;
    let locale = crate::state::request_locale();
    let rows: Vec<(i64, String, String, String, i64, bool)> = sqlx::query_as(
        "SELECT id, kind, subject, link, extract(epoch FROM created_at)::bigint, read_at IS NULL
           FROM notifications WHERE user_id = $1 ORDER BY id DESC LIMIT 100",
    )
    .bind(caller.user_id)
    .fetch_all(&caller.state.pool)
    .await?;
    Ok(rows
        .into_iter()
        .map(|(id, kind, subject, link, at, unread)| Notification {
            id,
            what: describe(&kind, locale),
            subject,
            link,
            at,
            unread,
        })
        .collect())
}

/// The caller's unread count; 0 when signed out, so that the tab bar can always ask.
#[server(endpoint = "notifications/unread", output = crate::codec::Json)]
pub async fn unread_count() -> Result<i64, AppError> {
    let state = crate::state::app_state()?;
    let Some(user_id) = crate::accounts::auth::session_user_id(&state.pool).await? else {
        return Ok(0);
    };
    let count = sqlx::query_scalar(
        "SELECT count(*) FROM notifications WHERE user_id = $1 AND read_at IS NULL",
    )
    .bind(user_id)
    .fetch_one(&state.pool)
    .await?;
    Ok(count)
}

#[server(endpoint = "notifications/read_all", output = crate::codec::Json)]
pub async fn mark_all_read() -> Result<(), AppError> {
    let caller = crate::accounts::auth::require_user().await?;
    let mut tx = caller.state.pool.begin().await?;
    sqlx::query("UPDATE notifications SET read_at = now() WHERE user_id = $1 AND read_at IS NULL")
        .bind(caller.user_id)
        .execute(&mut *tx)
        .await?;
    crate::live::publish(&mut *tx, &[crate::live::Topic::User(caller.user_id)]).await?;
    tx.commit().await?;
    Ok(())
}

/// The signed-in user's live topic, empty when signed out (set by an effect, so only in
/// the browser, where the live channel runs).
pub fn own_topic() -> Signal<Vec<String>> {
    let auth = use_auth();
    let topic = RwSignal::new(Vec::new());
    Effect::new(move |_| {
        let user = auth.user.get().and_then(Result::ok).flatten();
        topic.set(
            user.map(|u| vec![format!("user:{}", u.id)])
                .unwrap_or_default(),
        );
    });
    topic.into()
}

/// The unread count beside the tab's label, live.
#[component]
pub fn UnreadBadge() -> impl IntoView {
    let version = use_live(own_topic());
    let count = Resource::new(move || version.get(), |_| unread_count());
    view! {
        <Transition fallback=|| ()>
            {move || count.get().and_then(Result::ok).filter(|n| *n > 0).map(|n| view! {
                <span class="absolute -top-0.5 right-2 min-w-5 rounded-full bg-red-700 px-1 text-center text-xs font-bold text-white"
                    data-testid="unread-count">
                    {n}<span class="sr-only">{t(NotificationText::UnreadCount)}</span>
                </span>
            })}
        </Transition>
    }
}

/// `/messages`. A page of server HTML and one island, the list with its "mark all read",
/// which follows the reader's topic on the live channel.
#[component]
pub fn MessagesPage() -> impl IntoView {
    crate::hydration::hydrate_as_islands("messages");
    let list = Resource::new(|| (), |_| my_notifications());
    let locale = use_locale();
    view! {
        <RequireUser signed_in=move |user| view! {
            <Loaded resource=list show={move |items: Vec<Notification>| view! {
                <Messages locale user_id=user.id items />
            }} />
        } />
    }
}

#[cfg_attr(feature = "islands-messages", island)]
#[cfg_attr(not(feature = "islands-messages"), component)]
fn Messages(locale: Locale, user_id: i64, items: Vec<Notification>) -> impl IntoView {
    provide_context(locale);
    let version = use_live(Signal::stored(vec![Topic::User(user_id).to_string()]));
    let read_all = ServerAction::<MarkAllRead>::new();
    let items = crate::ui::reloaded(
        items,
        move || version.get() as usize + read_all.version().get(),
        my_notifications,
    );
    view! {
        <section class="space-y-3">
            <div class="flex items-center justify-between gap-2">
                <h1 class="page-title">{t(NotificationText::Messages)}</h1>
                <button class="btn-secondary text-sm" on:click=move |_| { read_all.dispatch(MarkAllRead {}); }>
                    {t(NotificationText::MarkAllRead)}
                </button>
            </div>
            {move || {
                let items = items.get();
                if items.is_empty() {
                    view! { <div class="card text-center"><p class="muted">{t(NotificationText::NoMessages)}</p></div> }.into_any()
                } else {
                    view! {
                        <ul class="space-y-2" data-testid="messages">
                            {items.into_iter().map(|n| view! {
                                <li class=if n.unread { "card ring-red-300" } else { "card" } data-unread=n.unread.to_string()>
                                    <a href=n.link class="block space-y-1 focus-ring">
                                        <p class="font-semibold">
                                            {n.unread.then(|| view! { <span class="badge bg-red-700 text-white mr-1">{t(NotificationText::Unread)}</span> })}
                                            {n.what}
                                        </p>
                                        <p class="text-sm text-slate-700">{n.subject}</p>
                                        <p class="text-xs text-slate-600">{format_time(n.at)}</p>
                                    </a>
                                </li>
                            }).collect_view()}
                        </ul>
                    }.into_any()
                }
            }}
        </section>
    }
}
