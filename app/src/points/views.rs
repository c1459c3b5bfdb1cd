//! The volunteer's pages: activities (`/volunteer`), checking in by a code's URL
//! (`/v/checkin?t=…`), "我的积分" with rewards (`/points`); the organiser's rotating code
//! (`/volunteer/:id/code`). The partner unit's pages are in `partner`.

use super::texts::PointsText as T;
use super::*;
use crate::accounts::views::RequireUser;
use crate::i18n::{t, use_locale, Locale};
use crate::live::{use_live, Topic};
use crate::ui::{reloaded, use_id_param, Loaded};
use leptos::form::ActionForm;
use leptos_router::components::A;
use leptos_router::hooks::use_query_map;

/// "12/05 09:00" in Shanghai of a Unix time.
pub fn shanghai_moment(unix: i64) -> String {
    let local = unix + 8 * 3600;
    let date = crate::map::hours::format_date(local.div_euclid(86_400) as i32);
    let minute = local.rem_euclid(86_400) / 60;
    format!(
        "{}/{} {}",
        &date[5..7],
        &date[8..10],
        crate::lunch::window::clock(minute)
    )
}

fn rule_text(rule: rules::PointsRule, locale: Locale) -> String {
    match (rule, locale) {
        (rules::PointsRule::Fixed { points }, Locale::Zh) => format!("{points} 积分"),
        (rules::PointsRule::Fixed { points }, Locale::En) => format!("{points} points"),
        (rules::PointsRule::PerHour { per_hour, cap }, Locale::Zh) => {
            format!("每小时 {per_hour} 积分，最多 {cap}")
        }
        (rules::PointsRule::PerHour { per_hour, cap }, Locale::En) => {
            format!("{per_hour} points an hour, up to {cap}")
        }
    }
}

pub fn status_text(status: SignupStatus, locale: Locale) -> String {
    match (status, locale) {
        (SignupStatus::Waiting(n), Locale::Zh) => format!("候补第 {n} 位"),
        (SignupStatus::Waiting(n), Locale::En) => format!("Waiting list: number {n}"),
        (SignupStatus::SignedUp, _) => locale.text(T::StatusSignedUp).into(),
        (SignupStatus::CheckedIn, _) => locale.text(T::StatusCheckedIn).into(),
        (SignupStatus::CheckedOut, _) => locale.text(T::StatusCheckedOut).into(),
    }
}

/// `/volunteer`: upcoming activities, with sign-up and cancel. A page of server HTML and the
/// volunteer's islands: the list, with signing up, cancelling and typing a code. The scanner
/// is `scan.js`'s.
#[component]
pub fn ActivitiesPage() -> impl IntoView {
    crate::hydration::hydrate_as_islands("volunteer");
    let list = Resource::new(|| (), |_| list_activities());
    let locale = use_locale();
    view! {
        <section class="space-y-3">
            <div class="flex items-center justify-between gap-2">
                <h1 class="page-title">{t(T::Activities)}</h1>
                <a href="/points" class="btn-secondary text-sm">{t(T::MyPoints)}</a>
            </div>
            <p class="muted text-sm">{t(T::Slogan)}</p>
            <div class="card space-y-2">
                <button type="button" class="btn-primary w-full" data-zd-scan="@go" aria-controls="scan-panel"
                    aria-expanded="false" data-zd-scan-denied=t(T::CameraDenied) data-zd-scan-unsupported=t(T::CameraUnavailable)>
                    {t(T::ScanToCheckIn)}
                </button>
                <crate::ui::ScanPanel hint=t(T::ScanHint) camera=t(T::CameraView) close=t(T::CloseCamera) />
            </div>
            <Loaded resource=list show={move |list: Vec<Activity>| view! { <ActivityList locale list /> }} />
        </section>
    }
}

/// The activities, loaded again after the reader signs up or cancels.
#[cfg_attr(feature = "islands-volunteer", island)]
#[cfg_attr(not(feature = "islands-volunteer"), component)]
fn ActivityList(locale: Locale, list: Vec<Activity>) -> impl IntoView {
    provide_context(locale);
    let sign_up = ServerAction::<SignUpFor>::new();
    let cancel = ServerAction::<CancelSignup>::new();
    let list = reloaded(
        list,
        move || sign_up.version().get() + cancel.version().get(),
        list_activities,
    );
    let error = Signal::derive(move || {
        sign_up
            .value()
            .get()
            .and_then(|r| r.err())
            .or_else(|| cancel.value().get().and_then(Result::err))
    });
    view! {
        {move || error.get().map(|e| view! { <p class="banner-error" role="alert">{e.message(locale)}</p> })}
        {move || {
            let list = list.get();
            if list.is_empty() {
                view! { <p class="card muted">{t(T::NoActivities)}</p> }.into_any()
            } else {
                view! {
                    <ul class="space-y-2">
                        {list.into_iter().map(|a| view! { <ActivityCard activity=a sign_up cancel /> }).collect_view()}
                    </ul>
                }.into_any()
            }
        }}
    }
}

#[component]
fn ActivityCard(
    activity: Activity,
    sign_up: ServerAction<SignUpFor>,
    cancel: ServerAction<CancelSignup>,
) -> impl IntoView {
    let locale = use_locale();
    let id = activity.id;
    let full = activity.signed_up >= activity.capacity;
    let places = match locale {
        Locale::Zh => format!("已报名 {} / {}", activity.signed_up, activity.capacity),
        Locale::En => format!(
            "{} of {} places taken",
            activity.signed_up, activity.capacity
        ),
    };
    let tags = activity
        .tags
        .iter()
        .filter_map(|tag| draft::tag_text(tag))
        .map(|text| view! { <span class="chip text-xs">{t(text)}</span> })
        .collect_view();
    view! {
        <li class="card space-y-1" data-testid="activity">
            {activity.photo_id.map(|photo| view! {
                <img src=format!("/photos/{photo}/thumb") alt=activity.title.clone() loading="lazy"
                    width="320" height="180" class="h-36 w-full rounded object-cover" />
            })}
            <h2 class="section-title">{activity.title.clone()}</h2>
            <p class="text-sm">{format!("{}–{}", shanghai_moment(activity.starts_at), &shanghai_moment(activity.ends_at)[6..])}" · "
                <a href=format!("/places/{}", activity.venue_id) class="link">{activity.venue.clone()}</a></p>
            <div class="flex flex-wrap gap-1">{tags}</div>
            {(!activity.description.is_empty()).then(|| view! { <p class="text-sm text-slate-700">{activity.description.clone()}</p> })}
            <p class="text-sm">{rule_text(activity.rule, locale)}" · "{places}
                {(activity.waiting > 0).then(|| match locale {
                    Locale::Zh => format!(" · 候补 {} 人", activity.waiting),
                    Locale::En => format!(" · {} waiting", activity.waiting),
                })}</p>
            {activity.organising.then(|| view! {
                <a href=format!("/volunteer/{id}/code") class="link text-sm">{t(T::OrganiserCode)}</a>
            })}
            {match activity.mine {
                _ if activity.cancelled => view! {
                    <p class="banner-info text-sm" data-testid="cancelled">{t(T::ActivityCancelled)}</p>
                }.into_any(),
                Some(status) => view! {
                    <div class="flex flex-wrap items-center gap-2">
                        <span class="badge badge-open" data-testid="my-status">{status_text(status, locale)}</span>
                        {matches!(status, SignupStatus::SignedUp | SignupStatus::Waiting(_)).then(|| view! {
                            <ActionForm action=cancel>
                                <input type="hidden" name="activity" value=id.to_string() />
                                <button type="submit" class="btn-secondary text-sm">{t(T::CancelSignup)}</button>
                            </ActionForm>
                        })}
                    </div>
                    {matches!(status, SignupStatus::SignedUp | SignupStatus::CheckedIn).then(|| view! {
                        <TypedCode activity=id action=if status == SignupStatus::SignedUp { Action::In } else { Action::Out } />
                    })}
                }.into_any(),
                None => view! {
                    <ActionForm action=sign_up>
                        <input type="hidden" name="activity" value=id.to_string() />
                        <button type="submit" class="btn-primary w-full">
                            {if full { t(T::JoinWaitingList) } else { t(T::SignUp) }}
                        </button>
                    </ActionForm>
                }.into_any(),
            }}
        </li>
    }
}

/// Upcoming volunteer activities at a place, for its page on the map (nothing when none).
#[component]
pub fn VenueActivities(place_id: i64) -> impl IntoView {
    let list = Resource::new(|| (), move |_| venue_activities(place_id));
    let locale = use_locale();
    view! {
        <Transition fallback=|| ()>
            {move || list.get().and_then(Result::ok).filter(|l| !l.is_empty()).map(|list| view! {
                <section class="card space-y-2" aria-labelledby="activities-heading" data-testid="venue-activities">
                    <h2 id="activities-heading" class="section-title">{t(T::Activities)}</h2>
                    <ul class="space-y-1 text-sm">
                        {list.into_iter().map(|a| view! {
                            <li>{shanghai_moment(a.starts_at)}" · "<span class="font-medium">{a.title}</span>" · "{rule_text(a.rule, locale)}</li>
                        }).collect_view()}
                    </ul>
                    <A href="/volunteer" attr:class="btn-primary">{t(T::SignUp)}</A>
                </section>
            })}
        </Transition>
    }
}

/// The six digits under the organiser's QR code, typed when scanning does not work.
#[component]
fn TypedCode(activity: i64, action: Action) -> impl IntoView {
    let check = ServerAction::<CheckWithCode>::new();
    let locale = use_locale();
    let label = match action {
        Action::In => t(T::TypeCheckInCode),
        Action::Out => t(T::TypeCheckOutCode),
    };
    let input_id = format!("typed-code-{activity}");
    view! {
        <ActionForm action=check attr:class="flex flex-wrap items-end gap-2">
            <input type="hidden" name="activity" value=activity.to_string() />
            <input type="hidden" name="action" value=action.as_str() />
            <label class="block grow">
                <span class="label">{label}</span>
                <input id=input_id name="code" class="input font-mono tracking-widest" inputmode="numeric"
                    maxlength="6" autocomplete="off" required />
            </label>
            <button type="submit" class="btn-secondary">{t(T::Confirm)}</button>
        </ActionForm>
        {move || check.value().get().map(|result| match result {
            Ok(done) => view! { <CheckedView done /> }.into_any(),
            Err(e) => view! { <p class="banner-error" role="alert">{e.message(locale)}</p> }.into_any(),
        })}
    }
}

/// `/v/checkin?t=…`: where a phone's camera lands from the organiser's QR code. The check
/// is sent at once (with the phone's position when the browser gives it). Without a code
/// there is nothing to send: the page says so as it arrives. A page of server HTML and the
/// volunteer's islands: the check's form, which `checkin.js` sends once it has hydrated.
#[component]
pub fn CheckInPage() -> impl IntoView {
    crate::hydration::hydrate_as_islands("volunteer");
    let query = use_query_map();
    let token = move || query.with(|q| q.get("t").unwrap_or_default());
    let locale = use_locale();
    view! {
        <RequireUser signed_in=move |_| view! {
            <section class="space-y-3">
                <h1 class="page-title">{t(T::CheckIn)}</h1>
                {move || {
                    let token = token();
                    if token.trim().is_empty() {
                        let error = invalid_because(PointsField::Code, PointsProblem::CodeMalformed);
                        view! { <p class="banner-error" role="alert" data-testid="check-error">{error.message(locale)}</p> }.into_any()
                    } else {
                        view! { <CheckInForm locale token /> }.into_any()
                    }
                }}
            </section>
        } />
    }
}

/// The check and its answer.
#[cfg_attr(feature = "islands-volunteer", island)]
#[cfg_attr(not(feature = "islands-volunteer"), component)]
fn CheckInForm(locale: Locale, token: String) -> impl IntoView {
    provide_context(locale);
    let check = ServerAction::<CheckWithToken>::new();
    view! {
                    <ActionForm action=check attr:class="card space-y-2" attr:data-zd-checkin="">
                        <input type="hidden" name="token" value=token />
                        <input type="hidden" name="scanned_at" value="" />
                        <input type="hidden" name="lat" value="" />
                        <input type="hidden" name="lon" value="" />
                        <input type="hidden" name="accuracy" value="" />
                        <p class="muted text-sm">{t(T::CheckInHint)}</p>
                        <button type="submit" class="btn-primary w-full" disabled=move || check.pending().get()>{t(T::Confirm)}</button>
                    </ActionForm>
                {move || check.value().get().map(|result| match result {
                    Ok(done) => view! { <CheckedView done /> }.into_any(),
                    Err(e) => view! { <p class="banner-error" role="alert" data-testid="check-error">{e.message(locale)}</p> }.into_any(),
                })}
    }
}

#[component]
fn CheckedView(done: Checked) -> impl IntoView {
    let locale = use_locale();
    let what = match (done.action, done.recorded_now) {
        (Action::In, true) => t(T::CheckedInNow),
        (Action::In, false) => t(T::CheckedInBefore),
        (Action::Out, _) => t(T::CheckedOutNow),
    };
    view! {
        <div class="banner-ok space-y-1" role="status" data-testid="checked">
            <p class="font-semibold">{done.activity}" · "{what}</p>
            {(done.action == Action::Out).then(|| view! {
                <p>{match locale {
                    Locale::Zh => format!("服务 {} 分钟，获得 {} 积分", done.minutes, done.points),
                    Locale::En => format!("{} minutes served, {} points", done.minutes, done.points),
                }}</p>
            })}
            {(!done.new_badges.is_empty()).then(|| view! {
                <p data-testid="new-badges">{t(T::NewBadge)}{done.new_badges.iter().map(|b| badge_name(b, locale)).collect::<Vec<_>>().join("、")}</p>
            })}
            <a href="/points" class="link">{t(T::MyPoints)}</a>
        </div>
    }
}

/// A badge's name from its code.
pub fn badge_name(code: &str, locale: Locale) -> String {
    match code {
        "first" => locale.text(T::BadgeFirst).into(),
        "ten" => locale.text(T::BadgeTen).into(),
        "fifty_hours" => locale.text(T::BadgeFiftyHours).into(),
        other => match other.strip_prefix("tag:").and_then(draft::tag_text) {
            Some(tag) => format!("{}{}", locale.text(tag), locale.text(T::BadgeTagSuffix)),
            None => other.to_owned(),
        },
    }
}

/// `/volunteer/:id/code`: the organiser's screen, a QR code that changes every 30 s. A page
/// of server HTML and the organiser's islands: the code, the live roster and cancelling.
#[component]
pub fn OrganiserCodePage() -> impl IntoView {
    crate::hydration::hydrate_as_islands("points-organiser");
    let id = use_id_param();
    let query = use_query_map();
    let action = move || query.with(|q| q.get("action").unwrap_or_else(|| "in".into()));
    let code = Resource::new(
        move || (id(), action()),
        |(id, action)| load_shown_code(id.unwrap_or(0), action),
    );
    let roster = Resource::new(id, |id| load_roster(id.unwrap_or(0)));
    let locale = use_locale();
    view! {
        <RequireUser signed_in=move |_| view! {
            <section class="space-y-3 text-center">
                <h1 class="page-title">{t(T::OrganiserCode)}</h1>
                <nav class="flex justify-center gap-2" aria-label=t(T::OrganiserCode)>
                    {[("in", T::CheckIn), ("out", T::CheckOut)].into_iter().map(|(which, label)| {
                        let current = action() == which;
                        view! {
                            <a href=format!("?action={which}") class=if current { "chip-toggle chip-toggle-on" } else { "chip-toggle" }
                                aria-current=current.then_some("page")>{t(label)}</a>
                        }
                    }).collect_view()}
                </nav>
                <Loaded resource=code show={move |shown: ShownCode| view! {
                    <RotatingCode locale activity=id().unwrap_or(0) action=action() shown />
                }} />
                {move || id().map(|activity| view! {
                    <Loaded resource=roster show={move |roster: Roster| view! { <RosterView locale activity roster /> }} />
                    <CancelActivityForm locale activity />
                })}
            </section>
        } />
    }
}

/// The code shown, which asks for the next one when it changes.
#[cfg_attr(feature = "islands-points-organiser", island)]
#[cfg_attr(not(feature = "islands-points-organiser"), component)]
fn RotatingCode(locale: Locale, activity: i64, action: String, shown: ShownCode) -> impl IntoView {
    provide_context(locale);
    let next = RwSignal::new(0usize);
    let shown = reloaded(
        shown,
        move || next.get(),
        move || load_shown_code(activity, action.clone()),
    );
    Effect::new(move |_| {
        let changes_in = shown.with(|s| s.changes_in);
        #[cfg(feature = "hydrate")]
        gloo_timers::callback::Timeout::new((changes_in.max(1) as u32) * 1000, move || {
            // The page may be gone by then.
            let _ = next.try_update(|n| *n += 1);
        })
        .forget();
        #[cfg(not(feature = "hydrate"))]
        let _ = changes_in;
    });
    move || {
        let shown = shown.get();
        view! {
            <div class="card space-y-2">
                <div class="mx-auto w-72" inner_html=shown.qr_svg role="img" aria-label=t(T::QrAlt)></div>
                <p class="text-4xl font-mono tracking-widest" data-testid="typed-code">{shown.typed}</p>
                <p class="muted text-sm">{t(T::CodeChanges)}</p>
                <a class="link break-all text-xs" href=shown.url.clone() data-testid="checkin-url">{shown.url.clone()}</a>
            </div>
        }
    }
}

/// Cancelling the activity, folded away so it is not pressed by mistake.
#[cfg_attr(feature = "islands-points-organiser", island)]
#[cfg_attr(not(feature = "islands-points-organiser"), component)]
fn CancelActivityForm(locale: Locale, activity: i64) -> impl IntoView {
    provide_context(locale);
    let cancel = ServerAction::<CancelActivity>::new();
    let error = crate::ui::action_error(cancel);
    let reason = crate::ui::field_message(error, crate::error::Field::Points(PointsField::Reason));
    view! {
        <details class="card text-left">
            <summary class="cursor-pointer font-semibold text-red-700">{t(T::CancelActivity)}</summary>
            <ActionForm action=cancel attr:class="space-y-2 pt-2">
                <p class="muted text-sm">{t(T::CancelActivityHint)}</p>
                <input type="hidden" name="activity" value=activity.to_string() />
                <label class="block">
                    <span class="label">{t(T::CancelReason)}</span>
                    <input name="reason" class="input" maxlength="200" required placeholder=t(T::CancelReasonPlaceholder)
                        aria-invalid=move || reason().is_some().then_some("true") />
                    <span class="field-error" role="alert">{reason}</span>
                </label>
                <button type="submit" class="btn-primary w-full" disabled=move || cancel.pending().get()>{t(T::ConfirmCancel)}</button>
            </ActionForm>
            {move || error.get().filter(|e| e.field().is_none()).map(|e| view! { <p class="banner-error" role="alert">{e.message(locale)}</p> })}
            {move || cancel.value().get().and_then(Result::ok).map(|_| view! {
                <p class="banner-ok" role="status">{t(T::ActivityCancelledOk)}</p>
            })}
        </details>
    }
}

/// The organiser's live roster: who signed up, checked in and out, with a hand check for
/// a volunteer whose phone failed.
#[cfg_attr(feature = "islands-points-organiser", island)]
#[cfg_attr(not(feature = "islands-points-organiser"), component)]
fn RosterView(locale: Locale, activity: i64, roster: Roster) -> impl IntoView {
    provide_context(locale);
    let by_hand = ServerAction::<CheckByHand>::new();
    let version = use_live(Signal::stored(vec![Topic::Activity(activity).to_string()]));
    let roster = reloaded(
        roster,
        move || version.get() as usize + by_hand.version().get(),
        move || load_roster(activity),
    );
    let error = crate::ui::action_error(by_hand);
    view! {
        <section class="card space-y-2 text-left" aria-labelledby="roster-heading">
            <div class="flex items-center justify-between">
                <h2 id="roster-heading" class="section-title">{t(T::Roster)}</h2>
                <a class="link text-sm" href=format!("/volunteer/{activity}/attendance.csv") download>"CSV"</a>
            </div>
            {move || error.get().map(|e| view! { <p class="banner-error" role="alert">{e.message(locale)}</p> })}
            {move || {
                let roster = roster.get();
                if roster.entries.is_empty() {
                    return view! { <p class="muted">{t(T::NoOneYet)}</p> }.into_any();
                }
                view! {
                    <ul class="divide-y divide-slate-100 text-sm" data-testid="roster">
                        {roster.entries.into_iter().map(|e| {
                            let status = if e.no_show {
                                t(T::NoShow).to_owned()
                            } else {
                                e.status.map(|s| status_text(s, locale)).unwrap_or_default()
                            };
                            let next = match e.status {
                                Some(SignupStatus::SignedUp) => Some(Action::In),
                                Some(SignupStatus::CheckedIn) => Some(Action::Out),
                                _ => None,
                            };
                            view! {
                                <li class="space-y-1 py-2">
                                    <p><span class="font-medium">{e.name}</span><span class="muted">{format!(" {} · ", e.phone_masked)}</span>{status}
                                        {e.how_in.filter(|h| h == "manual").map(|_| format!(" ({})", t(T::ByHand)))}</p>
                                    {next.map(|action| view! {
                                        <ActionForm action=by_hand attr:class="flex gap-2">
                                            <input type="hidden" name="activity" value=activity.to_string() />
                                            <input type="hidden" name="volunteer" value=e.user_id.to_string() />
                                            <input type="hidden" name="action" value=action.as_str() />
                                            <input name="reason" class="input grow" required minlength="2" maxlength="200"
                                                placeholder=t(T::ReasonPlaceholder) aria-label=t(T::FieldReason) />
                                            <button type="submit" class="btn-secondary shrink-0">
                                                {t(T::ByHand)}{if action == Action::In { t(T::CheckIn) } else { t(T::CheckOut) }}
                                            </button>
                                        </ActionForm>
                                    })}
                                </li>
                            }
                        }).collect_view()}
                    </ul>
                }.into_any()
            }}
        </section>
    }
}

/// `/points`: balance, hours, badges, history, redemption codes, and the rewards on offer. A
/// page of server HTML and one island, all of it below the title: a redemption changes the
/// balance, the codes and the stock alike.
#[component]
pub fn MyPointsPage() -> impl IntoView {
    crate::hydration::hydrate_as_islands("points");
    let page = Resource::new(|| (), |_| my_points_and_rewards());
    let locale = use_locale();
    view! {
        <RequireUser signed_in=move |_| view! {
            <section class="space-y-3">
                <h1 class="page-title">{t(T::MyPoints)}</h1>
                <Loaded resource=page show={move |(mine, rewards): (MyPoints, Vec<Reward>)| view! {
                    <MyPointsBoard locale mine rewards />
                }} />
            </section>
        } />
    }
}

async fn my_points_and_rewards() -> Result<(MyPoints, Vec<Reward>), AppError> {
    Ok((load_my_points().await?, list_rewards().await?))
}

#[cfg_attr(feature = "islands-points", island)]
#[cfg_attr(not(feature = "islands-points"), component)]
fn MyPointsBoard(locale: Locale, mine: MyPoints, rewards: Vec<Reward>) -> impl IntoView {
    provide_context(locale);
    let redeem_action = ServerAction::<Redeem>::new();
    let page = crate::ui::reloaded(
        (mine, rewards),
        move || redeem_action.version().get(),
        my_points_and_rewards,
    );
    let error = crate::ui::action_error(redeem_action);
    view! {
        {move || view! { <Balance mine=page.get().0 locale /> }}
        <p class="flex gap-4 text-sm">
            <a href="/points/record" class="link">{t(T::ServiceRecord)}</a>
            <a href="/points/leaderboard" class="link">{t(T::Leaderboard)}</a>
        </p>
        <h2 class="section-title">{t(T::Rewards)}</h2>
        {move || error.get().map(|e| view! { <p class="banner-error" role="alert">{e.message(locale)}</p> })}
        {move || redeem_action.value().get().and_then(Result::ok).map(|r| view! {
            <p class="banner-ok" role="status" data-testid="redeemed">{t(T::Redeemed)}<span class="font-mono text-xl">{r.code}</span></p>
        })}
        {move || {
            let list = page.get().1;
            if list.is_empty() {
                view! { <p class="card muted">{t(T::NoRewards)}</p> }.into_any()
            } else { view! {
                <ul class="space-y-2">
                    {list.into_iter().map(|r| view! {
                        <li class="card space-y-1" data-testid="reward">
                            <p class="font-semibold">{r.title}" · "{r.cost}" "{t(T::PointsUnit)}</p>
                            <p class="text-sm muted">{r.partner}{(!r.collect_at.is_empty()).then(|| format!(" · {}", r.collect_at))}{format!(" · {} {}", t(T::Left), r.stock)}</p>
                            <ActionForm action=redeem_action>
                                <input type="hidden" name="reward" value=r.id.to_string() />
                                <button type="submit" class="btn-primary w-full" disabled={r.stock == 0}>{t(T::Redeem)}</button>
                            </ActionForm>
                        </li>
                    }).collect_view()}
                </ul>
            }.into_any() }
        }}
    }
}

#[component]
fn Balance(mine: MyPoints, locale: Locale) -> impl IntoView {
    let hours = format!("{:.1}", f64::from(mine.minutes) / 60.0);
    view! {
        <div class="card grid grid-cols-2 gap-2 text-center">
            <div><p class="text-3xl font-bold text-red-700" data-testid="balance">{mine.balance}</p><p class="muted text-sm">{t(T::Balance)}</p></div>
            <div><p class="text-3xl font-bold">{hours}</p><p class="muted text-sm">{t(T::Hours)}</p></div>
        </div>
        <div class="card space-y-1">
            <h2 class="section-title">{t(T::Badges)}</h2>
            {if mine.badges.is_empty() {
                view! { <p class="muted">{t(T::NoBadges)}</p> }.into_any()
            } else {
                view! {
                    <ul class="flex flex-wrap gap-2" data-testid="badges">
                        {mine.badges.iter().map(|(code, at)| view! {
                            <li class="chip">{badge_name(code, locale)}" · "{shanghai_moment(*at)[..5].to_owned()}</li>
                        }).collect_view()}
                    </ul>
                }.into_any()
            }}
        </div>
        {(!mine.redemptions.is_empty()).then(|| view! {
            <div class="card space-y-1">
                <h2 class="section-title">{t(T::MyCodes)}</h2>
                <ul class="space-y-1 text-sm">
                    {mine.redemptions.iter().map(|r| view! {
                        <li class="space-y-1">
                            <p><span class="font-mono text-base">{r.code.clone()}</span>" · "{r.reward.clone()}" · "{match r.status {
                                RedemptionStatus::Issued => t(T::CodeIssued),
                                RedemptionStatus::Verified => t(T::CodeVerified),
                                RedemptionStatus::Expired => t(T::CodeExpiredRefunded),
                            }}</p>
                            {r.qr_svg.clone().map(|svg| view! {
                                <div class="w-36" inner_html=svg role="img" aria-label=t(T::RedemptionQr) data-testid="redemption-qr"></div>
                            })}
                        </li>
                    }).collect_view()}
                </ul>
            </div>
        })}
        <div class="card space-y-1">
            <h2 class="section-title">{t(T::History)}</h2>
            {if mine.history.is_empty() {
                view! { <p class="muted">{t(T::NoHistory)}</p> }.into_any()
            } else {
                view! {
                    <ul class="divide-y divide-slate-100 text-sm">
                        {mine.history.iter().map(|line| view! {
                            <li class="flex justify-between py-1">
                                <span>{line.reason.clone()}<span class="muted">{format!(" · {}", shanghai_moment(line.at))}</span></span>
                                <span class={if line.points >= 0 { "text-green-700" } else { "text-red-700" }}>
                                    {format!("{:+}", line.points)}
                                </span>
                            </li>
                        }).collect_view()}
                    </ul>
                }.into_any()
            }}
        </div>
    }
}

/// `/volunteer/new`: an organiser (station staff of the venue, or an admin) creates an
/// activity. Times are in Shanghai time. A page of server HTML and one island, the form.
#[component]
pub fn NewActivityPage() -> impl IntoView {
    crate::hydration::hydrate_as_islands("points-organiser");
    let locale = use_locale();
    let venues = Resource::new(|| (), |_| organiser_venues());
    view! {
        <RequireUser signed_in=move |_| view! {
            <section class="space-y-3">
                <h1 class="page-title">{t(T::NewActivity)}</h1>
                <Loaded resource=venues show={move |venues: Vec<(i64, String)>| view! {
                    <NewActivityForm locale venues />
                }} />
            </section>
        } />
    }
}

/// The new activity's form, with its photo: a multipart form, sent by the island itself.
#[cfg_attr(feature = "islands-points-organiser", island)]
#[cfg_attr(not(feature = "islands-points-organiser"), component)]
fn NewActivityForm(locale: Locale, venues: Vec<(i64, String)>) -> impl IntoView {
    provide_context(locale);
    let create = leptos::prelude::Action::new_local(|data: &leptos::web_sys::FormData| {
        create_activity(data.clone().into())
    });
    let error = Signal::derive(move || create.value().get().and_then(Result::err));
    let created = move || create.value().get().and_then(Result::ok);
    let input = move |field: PointsField, name: &'static str, kind: &'static str, value: String| {
        labelled_input(error, "activity", field, name, kind, value)
    };
    view! {
        <form class="card grid grid-cols-2 gap-2" method="post" action="/api/points/create" enctype="multipart/form-data"
            on:submit=move |ev| {
                if let Some(data) = crate::ui::submitted_form_data(&ev) {
                    create.dispatch_local(data);
                }
            }>
            <div class="col-span-2">{input(PointsField::Title, "title", "text", String::new())}</div>
            <div class="col-span-2 space-y-1">
                <label for="activity-venue" class="label">{t(T::FieldVenue)}</label>
                <select id="activity-venue" name="venue" class="input" required>
                    {venues.into_iter().map(|(id, name)| view! {
                        <option value=id.to_string()>{name}</option>
                    }).collect_view()}
                </select>
            </div>
            <div class="col-span-2">{input(PointsField::Description, "description", "text", String::new())}</div>
            <div class="col-span-2">{input(PointsField::Start, "day", "date", String::new())}</div>
            {input(PointsField::Start, "start", "time", "09:00".into())}
            {input(PointsField::End, "end", "time", "11:00".into())}
            {input(PointsField::SignupUntil, "signup_day", "date", String::new())}
            {input(PointsField::SignupUntil, "signup_time", "time", String::new())}
            {input(PointsField::Capacity, "capacity", "number", "20".into())}
            {input(PointsField::Geofence, "geofence", "number", String::new())}
            <div class="col-span-2 space-y-1">
                <label for="activity-rule" class="label">{t(T::FieldRule)}</label>
                <select id="activity-rule" name="rule" class="input">
                    <option value="per_hour">{t(T::RulePerHour)}</option>
                    <option value="fixed">{t(T::RuleFixed)}</option>
                </select>
            </div>
            {input(PointsField::Points, "per_hour", "number", "10".into())}
            {input(PointsField::Cap, "cap", "number", "30".into())}
            <div class="col-span-2">{input(PointsField::Points, "points", "number", "20".into())}</div>
            <fieldset class="col-span-2">
                <legend class="label">{t(T::FieldTags)}</legend>
                <div class="flex flex-wrap gap-1">
                    {TAGS.iter().map(|(code, text)| view! {
                        <label class="chip-toggle flex items-center gap-1">
                            <input type="checkbox" name="tags" value=*code />{t(*text)}
                        </label>
                    }).collect_view()}
                </div>
            </fieldset>
            <div class="col-span-2 space-y-1">
                <label for="activity-photo" class="label">{t(T::FieldPhoto)}</label>
                <input id="activity-photo" name="photos" type="file" accept="image/jpeg,image/png,image/webp" class="block w-full text-sm" />
            </div>
            <div class="col-span-2 space-y-2">
                {move || error.get().filter(|e| e.field().is_none()).map(|e| view! { <p class="banner-error" role="alert">{e.message(locale)}</p> })}
                {move || created().map(|id| view! {
                    <p class="banner-ok" role="status">{t(T::ActivityCreated)}" "
                        <a href=format!("/volunteer/{id}/code") class="link">{t(T::OrganiserCode)}</a></p>
                })}
                <button type="submit" class="btn-primary w-full" disabled=move || create.pending().get()>{t(T::Publish)}</button>
            </div>
        </form>
    }
}

/// A labelled input of a form (`form` prefixes its id), with its field's error under it.
pub(super) fn labelled_input(
    error: Signal<Option<AppError>>,
    form: &'static str,
    field: PointsField,
    name: &'static str,
    kind: &'static str,
    value: String,
) -> impl IntoView {
    let id = format!("{form}-{name}");
    let message = crate::ui::field_message(error, crate::error::Field::Points(field));
    view! {
        <div class="space-y-1">
            <label for=id.clone() class="label">{t(field.label())}</label>
            <input id=id.clone() name=name type=kind class="input" value=value
                aria-invalid=move || message().is_some().then_some("true") aria-describedby=format!("{id}-error") />
            <p id=format!("{id}-error") class="field-error" role="alert">{message}</p>
        </div>
    }
}

/// `/points/record`: 志愿服务记录, printable for a school or an employer. A page of server HTML
/// and one island, the print button.
#[component]
pub fn ServiceRecordPage() -> impl IntoView {
    crate::hydration::hydrate_as_islands("points");
    let record = Resource::new(|| (), |_| load_service_record());
    let locale = use_locale();
    view! {
        <RequireUser signed_in=move |_| view! {
            <section class="space-y-3">
                <Loaded resource=record show={move |r: ServiceRecord| {
                    let hours = format!("{:.2}", f64::from(r.total_minutes) / 60.0);
                    view! {
                        <article class="card space-y-2 print:border-0 print:shadow-none" data-testid="service-record">
                            <h1 class="page-title text-center">{t(T::ServiceRecord)}</h1>
                            <p>{t(T::Volunteer)}"："{r.name.clone()}" （"{r.phone_masked.clone()}"）"</p>
                            <table class="w-full text-sm">
                                <thead><tr>
                                    <th class="text-left">{t(T::Date)}</th>
                                    <th class="text-left">{t(T::FieldActivity)}</th>
                                    <th class="text-left">{t(T::FieldVenue)}</th>
                                    <th class="text-right">{t(T::Hours)}</th>
                                </tr></thead>
                                <tbody>
                                    {r.entries.iter().map(|(title, venue, start, minutes)| view! {
                                        <tr>
                                            <td>{crate::map::hours::format_date(crate::lunch::window::shanghai_day(*start))}</td>
                                            <td>{title.clone()}</td>
                                            <td>{venue.clone()}</td>
                                            <td class="text-right tabular-nums">{format!("{:.2}", f64::from(*minutes) / 60.0)}</td>
                                        </tr>
                                    }).collect_view()}
                                </tbody>
                                <tfoot><tr>
                                    <th class="text-left" colspan="3">{t(T::TotalHours)}</th>
                                    <th class="text-right tabular-nums" data-testid="total-hours">{hours}</th>
                                </tr></tfoot>
                            </table>
                            <p class="muted text-sm">{t(T::RecordIssuer)}{format!(" · {}", shanghai_moment(r.issued_at))}</p>
                        </article>
                        <PrintButton locale />
                    }
                }} />
            </section>
        } />
    }
}

#[cfg_attr(feature = "islands-points", island)]
#[cfg_attr(not(feature = "islands-points"), component)]
fn PrintButton(locale: Locale) -> impl IntoView {
    provide_context(locale);
    view! {
        <button type="button" class="btn-primary w-full print:hidden"
            on:click=move |_| {
                #[cfg(feature = "hydrate")]
                if let Some(window) = leptos::web_sys::window() {
                    let _ = window.print();
                }
            }>{t(T::Print)}</button>
    }
}

/// `/points/leaderboard`: this month's points, for those who chose to be on it. A page of
/// server HTML and one island, the board with its "join" button.
#[component]
pub fn LeaderboardPage() -> impl IntoView {
    crate::hydration::hydrate_as_islands("points");
    let board = Resource::new(|| (), |_| load_leaderboard());
    let locale = use_locale();
    view! {
        <RequireUser signed_in=move |_| view! {
            <section class="space-y-3">
                <h1 class="page-title">{t(T::Leaderboard)}</h1>
                <Loaded resource=board show={move |board: Leaderboard| view! { <LeaderboardBoard locale board /> }} />
            </section>
        } />
    }
}

/// The month's board and the button that joins or leaves it; the board is loaded again once
/// the reader has.
#[cfg_attr(feature = "islands-points", island)]
#[cfg_attr(not(feature = "islands-points"), component)]
fn LeaderboardBoard(locale: Locale, board: Leaderboard) -> impl IntoView {
    provide_context(locale);
    let join = ServerAction::<JoinLeaderboard>::new();
    let board = crate::ui::reloaded(board, move || join.version().get(), load_leaderboard);
    move || {
        let b = board.get();
        view! {
            <p class="muted">{b.month.clone()}" · "{t(T::LeaderboardHint)}</p>
            <ActionForm action=join>
                {(!b.opted_in).then(|| view! { <input type="hidden" name="join" value="on" /> })}
                <button type="submit" class="btn-secondary w-full">
                    {if b.opted_in { t(T::LeaveLeaderboard) } else { t(T::JoinLeaderboard) }}
                </button>
            </ActionForm>
            {if b.rows.is_empty() {
                view! { <p class="card muted">{t(T::NoLeaders)}</p> }.into_any()
            } else {
                view! {
                    <ol class="card divide-y divide-slate-100" data-testid="leaderboard">
                        {b.rows.into_iter().enumerate().map(|(i, (name, points))| view! {
                            <li class="flex justify-between py-1"><span>{format!("{}. {name}", i + 1)}</span><span class="tabular-nums">{points}</span></li>
                        }).collect_view()}
                    </ol>
                }.into_any()
            }}
        }
    }
}

/// `/points/adjust`: the admin adds or takes a volunteer's points, with a reason (audited).
/// A page of server HTML and one island, the form.
#[component]
pub fn AdjustPage() -> impl IntoView {
    crate::hydration::hydrate_as_islands("points-staff");
    let locale = use_locale();
    view! {
        <RequireUser signed_in=move |_| view! {
            <section class="space-y-3">
                <h1 class="page-title">{t(T::AdjustTitle)}</h1>
                <AdjustForm locale />
            </section>
        } />
    }
}

#[cfg_attr(feature = "islands-points-staff", island)]
#[cfg_attr(not(feature = "islands-points-staff"), component)]
fn AdjustForm(locale: Locale) -> impl IntoView {
    provide_context(locale);
    let adjust = ServerAction::<AdjustPoints>::new();
    let error = crate::ui::action_error(adjust);
    let message = move |field: PointsField| {
        crate::ui::field_message(error, crate::error::Field::Points(field))
    };
    let (phone, points, reason) = (
        message(PointsField::Phone),
        message(PointsField::Points),
        message(PointsField::Reason),
    );
    view! {
        <ActionForm action=adjust attr:class="card space-y-2">
            <label class="block">
                <span class="label">{t(T::FieldPhone)}</span>
                <input name="phone" class="input" inputmode="tel" autocomplete="off" required
                    aria-invalid=move || phone().is_some().then_some("true") />
                <span class="field-error" role="alert">{phone}</span>
            </label>
            <label class="block">
                <span class="label">{t(T::FieldPoints)}</span>
                <input name="points" class="input" inputmode="numeric" required placeholder="+50 / -20"
                    aria-invalid=move || points().is_some().then_some("true") />
                <span class="field-error" role="alert">{points}</span>
            </label>
            <label class="block">
                <span class="label">{t(T::FieldReason)}</span>
                <input name="reason" class="input" maxlength="200" required
                    aria-invalid=move || reason().is_some().then_some("true") />
                <span class="field-error" role="alert">{reason}</span>
            </label>
            <button type="submit" class="btn-primary w-full">{t(T::Adjust)}</button>
        </ActionForm>
        {move || error.get().filter(|e| e.field().is_none()).map(|e| view! { <p class="banner-error" role="alert">{e.message(locale)}</p> })}
        {move || adjust.value().get().and_then(Result::ok).map(|balance| view! {
            <p class="banner-ok" role="status">{match locale {
                Locale::Zh => format!("已调整，当前余额 {balance} 积分。"),
                Locale::En => format!("Done; the balance is now {balance} points."),
            }}</p>
        })}
    }
}
