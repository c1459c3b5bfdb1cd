//! The partner unit's pages: verifying redemption codes (`/points/verify`) and the rewards it
//! offers (`/points/offer`).

use super::texts::PointsText as T;
use super::views::labelled_input;
use super::*;
use crate::accounts::views::RequireUser;
use crate::i18n::{t, use_locale, Locale};
use crate::ui::Loaded;
use leptos::form::ActionForm;
use leptos_router::components::A;

/// `/points/verify`: a partner unit's staff verify a redemption code, once. A page of server
/// HTML and one island, the form.
#[component]
pub fn VerifyPage() -> impl IntoView {
    crate::hydration::hydrate_as_islands("points-staff");
    let locale = use_locale();
    view! {
        <RequireUser signed_in=move |_| view! {
            <section class="space-y-3">
                <h1 class="page-title">{t(T::VerifyTitle)}</h1>
                <VerifyForm locale />
            </section>
        } />
    }
}

#[cfg_attr(feature = "islands-points-staff", island)]
#[cfg_attr(not(feature = "islands-points-staff"), component)]
fn VerifyForm(locale: Locale) -> impl IntoView {
    provide_context(locale);
    let verify = ServerAction::<VerifyRedemption>::new();
    let error = crate::ui::action_error(verify);
    view! {
        <ActionForm action=verify attr:class="card space-y-2">
            <label class="block" for="redemption-code">
                <span class="label">{t(T::FieldRedemptionCode)}</span>
            </label>
            <div class="flex gap-2">
                <input id="redemption-code" name="code" class="input grow font-mono text-2xl uppercase tracking-widest"
                    autocomplete="off" maxlength="12" required data-testid="redemption-code" />
                <button type="button" class="btn-secondary shrink-0" data-zd-scan="redemption-code"
                    aria-controls="scan-panel" aria-expanded="false"
                    data-zd-scan-denied=t(T::CameraDenied) data-zd-scan-unsupported=t(T::CameraUnavailable)>
                    {t(T::Scan)}
                </button>
            </div>
            <crate::ui::ScanPanel hint=t(T::ScanRedemptionHint) camera=t(T::CameraView) close=t(T::CloseCamera) />
            <button type="submit" class="btn-primary w-full">{t(T::Verify)}</button>
        </ActionForm>
        {move || error.get().map(|e| view! { <p class="banner-error" role="alert">{e.message(locale)}</p> })}
        {move || verify.value().get().and_then(Result::ok).map(|r| view! {
            <p class="banner-ok" role="status" data-testid="verified">{t(T::VerifiedOk)}{format!("{} · {}", r.reward, r.code)}</p>
        })}
    }
}

/// `/points/offer`: a partner unit's rewards, with what was redeemed and collected, more
/// stock, and a form for a new one. A page of server HTML and one island, all of it below
/// the title: a new reward and more stock both change the list.
#[component]
pub fn OfferPage() -> impl IntoView {
    crate::hydration::hydrate_as_islands("points-staff");
    let page = Resource::new(|| (), |_| units_and_offered());
    let locale = use_locale();
    view! {
        <RequireUser signed_in=move |_| view! {
            <section class="space-y-3">
                <div class="flex items-center justify-between gap-2">
                    <h1 class="page-title">{t(T::OfferTitle)}</h1>
                    <A href="/points/verify" attr:class="btn-secondary text-sm">{t(T::VerifyTitle)}</A>
                </div>
                <p class="muted text-sm">{t(T::OfferHint)}</p>
                <Loaded resource=page show={move |(units, offered): (Vec<(i64, String)>, Vec<OfferedReward>)| view! {
                    <OfferBoard locale units offered />
                }} />
            </section>
        } />
    }
}

async fn units_and_offered() -> Result<(Vec<(i64, String)>, Vec<OfferedReward>), AppError> {
    Ok((offering_units().await?, load_offered_rewards().await?))
}

#[cfg_attr(feature = "islands-points-staff", island)]
#[cfg_attr(not(feature = "islands-points-staff"), component)]
fn OfferBoard(
    locale: Locale,
    units: Vec<(i64, String)>,
    offered: Vec<OfferedReward>,
) -> impl IntoView {
    provide_context(locale);
    let offer = ServerAction::<OfferReward>::new();
    let restock = ServerAction::<RestockReward>::new();
    let offered = crate::ui::reloaded(
        offered,
        move || offer.version().get() + restock.version().get(),
        load_offered_rewards,
    );
    let error = crate::ui::action_error(offer);
    let restock_error = crate::ui::action_error(restock);
    let input = move |field: PointsField, name: &'static str, kind: &'static str, value: String| {
        labelled_input(error, "reward", field, name, kind, value)
    };
    view! {
        {move || restock_error.get().map(|e| view! { <p class="banner-error" role="alert">{e.message(locale)}</p> })}
        {move || restock.value().get().and_then(Result::ok).map(|_| view! {
            <p class="banner-ok" role="status">{t(T::Restocked)}</p>
        })}
        {move || {
            let list = offered.get();
            if list.is_empty() {
                view! { <p class="card muted">{t(T::NoRewardsOffered)}</p> }.into_any()
            } else {
                view! {
                    <ul class="space-y-2">
                        {list.into_iter().map(|o| view! { <OfferedCard offered=o restock /> }).collect_view()}
                    </ul>
                }.into_any()
            }
        }}
        <ActionForm action=offer attr:class="card grid grid-cols-2 gap-2">
            <h2 class="section-title col-span-2">{t(T::NewReward)}</h2>
            <div class="col-span-2 space-y-1">
                <label for="reward-partner" class="label">{t(T::FieldPartner)}</label>
                <select id="reward-partner" name="partner" class="input" required>
                    {units.into_iter().map(|(id, name)| view! {
                        <option value=id.to_string()>{name}</option>
                    }).collect_view()}
                </select>
            </div>
            <div class="col-span-2">{input(PointsField::RewardTitle, "title", "text", String::new())}</div>
            <div class="col-span-2">{input(PointsField::RewardDescription, "description", "text", String::new())}</div>
            {input(PointsField::Cost, "cost", "number", "30".into())}
            {input(PointsField::Stock, "stock", "number", "20".into())}
            {input(PointsField::ValidUntil, "valid_until", "date", String::new())}
            {input(PointsField::CodeDays, "code_days", "number", "14".into())}
            <div class="col-span-2">{input(PointsField::CollectAt, "collect_at", "text", String::new())}</div>
            <div class="col-span-2 space-y-2">
                {move || error.get().filter(|e| e.field().is_none()).map(|e| view! { <p class="banner-error" role="alert">{e.message(locale)}</p> })}
                {move || offer.value().get().and_then(Result::ok).map(|_| view! {
                    <p class="banner-ok" role="status">{t(T::RewardAdded)}</p>
                })}
                <button type="submit" class="btn-primary w-full" disabled=move || offer.pending().get()>{t(T::AddReward)}</button>
            </div>
        </ActionForm>
    }
}

#[component]
fn OfferedCard(offered: OfferedReward, restock: ServerAction<RestockReward>) -> impl IntoView {
    let locale = use_locale();
    let r = offered.reward;
    let until =
        crate::map::hours::format_date(crate::lunch::window::shanghai_day(r.valid_until - 1));
    let counts = match locale {
        crate::i18n::Locale::Zh => format!(
            "剩余 {} · 已兑换 {} · 已领取 {} · 截至 {until}",
            r.stock, offered.issued, offered.collected
        ),
        crate::i18n::Locale::En => format!(
            "{} left · {} redeemed · {} collected · until {until}",
            r.stock, offered.issued, offered.collected
        ),
    };
    let input_id = format!("restock-{}", r.id);
    view! {
        <li class="card space-y-1" data-testid="offered-reward">
            <p class="font-semibold">
                {r.title}" · "{r.cost}" "{t(T::PointsUnit)}
                {offered.ended.then(|| view! { <span class="chip text-xs ml-1">{t(T::OfferEnded)}</span> })}
            </p>
            <p class="text-sm muted">{r.partner}{(!r.collect_at.is_empty()).then(|| format!(" · {}", r.collect_at))}</p>
            <p class="text-sm tabular-nums" data-testid="offered-counts">{counts}</p>
            <ActionForm action=restock attr:class="flex items-end gap-2">
                <input type="hidden" name="reward" value=r.id.to_string() />
                <label for=input_id.clone() class="sr-only">{t(T::Restock)}</label>
                <input id=input_id name="add" type="number" min="1" max="10000" value="10" class="input w-24" />
                <button type="submit" class="btn-secondary">{t(T::Restock)}</button>
            </ActionForm>
        </li>
    }
}
