//! Sign-up, sign-in, the "me" page and changing one's password.

use super::{
    get_current_user, ChangePassword, CurrentUser, SignIn, SignOut, SignUp, MAX_DISPLAY_NAME_CHARS,
    MAX_PASSWORD_CHARS, MIN_PASSWORD_CHARS,
};
use crate::error::{AppError, Field};
use crate::i18n::{t, use_locale, Key, Locale};
use crate::requests::texts::RequestText;
use crate::ui::{action_error, ErrorBanner, ErrorView, FormField, Notice};
use leptos::form::ActionForm;
use leptos::prelude::*;
use leptos_router::components::A;

/// Who is signed in, as the page is rendered. Provided once by the app, on the server: the
/// forms that change it (sign-in, sign-up, sign-out) are islands, whose server functions
/// redirect to the next page, which renders with the new user.
#[derive(Clone, Copy)]
pub struct Auth {
    pub user: Resource<Result<Option<CurrentUser>, AppError>>,
}

pub fn provide_auth() -> Auth {
    let auth = Auth {
        user: Resource::new(|| (), |_| get_current_user()),
    };
    provide_context(auth);
    auth
}

pub fn use_auth() -> Auth {
    expect_context::<Auth>()
}

#[component]
fn SubmitButton(pending: Signal<bool>, idle: Key, busy: Key) -> impl IntoView {
    view! {
        <button type="submit" class="btn-primary w-full" disabled=pending aria-busy=move || pending.get().to_string()>
            {move || if pending.get() { t(busy) } else { t(idle) }}
        </button>
    }
}

/// A page of server HTML and one island, the form.
#[component]
pub fn SignInPage() -> impl IntoView {
    crate::hydration::hydrate_as_islands("accounts");
    view! {
        <section class="card max-w-md mx-auto space-y-4">
            <h1 class="page-title">{t(Key::SignInTitle)}</h1>
            <SignInForm locale=use_locale() />
            <p class="muted text-center">
                {t(Key::NoAccountYet)} " " <A href="/sign-up" attr:class="link">{t(Key::SignUp)}</A>
            </p>
        </section>
    }
}

/// The sign-in form. An island sees no context from the page around it, so it is given the
/// reader's language. The server function's redirect to /me loads that page.
#[cfg_attr(feature = "islands-accounts", island)]
#[cfg_attr(not(feature = "islands-accounts"), component)]
fn SignInForm(locale: Locale) -> impl IntoView {
    provide_context(locale);
    let action = ServerAction::<SignIn>::new();
    let error = action_error(action);
    view! {
        <ActionForm action attr:class="space-y-4">
            <FormField field=Field::Phone name="phone" label=Key::Phone hint=Key::PhoneHint
                input_type="tel" autocomplete="tel" input_mode="numeric" max_length=20 error />
            <FormField field=Field::Password name="password" label=Key::Password
                input_type="password" autocomplete="current-password"
                max_length=MAX_PASSWORD_CHARS error />
            <ErrorBanner error />
            <SubmitButton pending=action.pending().into() idle=Key::SignIn busy=Key::SigningIn />
        </ActionForm>
    }
}

/// A page of server HTML and one island, the form, like sign-in.
#[component]
pub fn SignUpPage() -> impl IntoView {
    crate::hydration::hydrate_as_islands("accounts");
    view! {
        <section class="card max-w-md mx-auto space-y-4">
            <h1 class="page-title">{t(Key::SignUpTitle)}</h1>
            <SignUpForm locale=use_locale() />
            <p class="muted text-center">
                {t(Key::HaveAccount)} " " <A href="/sign-in" attr:class="link">{t(Key::SignIn)}</A>
            </p>
        </section>
    }
}

#[cfg_attr(feature = "islands-accounts", island)]
#[cfg_attr(not(feature = "islands-accounts"), component)]
fn SignUpForm(locale: Locale) -> impl IntoView {
    provide_context(locale);
    let action = ServerAction::<SignUp>::new();
    let error = action_error(action);
    view! {
        <ActionForm action attr:class="space-y-4">
            <FormField field=Field::Phone name="phone" label=Key::Phone hint=Key::PhoneHint
                input_type="tel" autocomplete="tel" input_mode="numeric" max_length=20 error />
            <FormField field=Field::DisplayName name="display_name" label=Key::DisplayName
                hint=Key::DisplayNameHint autocomplete="nickname"
                max_length=MAX_DISPLAY_NAME_CHARS error />
            <FormField field=Field::Password name="password" label=Key::Password
                hint=Key::PasswordHint input_type="password" autocomplete="new-password"
                min_length=MIN_PASSWORD_CHARS max_length=MAX_PASSWORD_CHARS error />
            <ErrorBanner error />
            <SubmitButton pending=action.pending().into() idle=Key::SignUp busy=Key::SigningUp />
        </ActionForm>
    }
}

/// Renders `signed_in` with the current user, or the sign-in prompt.
#[component]
pub fn RequireUser<V, F>(signed_in: F) -> impl IntoView
where
    F: Fn(CurrentUser) -> V + Send + Sync + Copy + 'static,
    V: IntoView + 'static,
{
    let auth = use_auth();
    view! {
        <Transition fallback=|| view! { <p class="muted">{t(Key::Loading)}</p> }>
            {move || Suspend::new(async move {
                match auth.user.await {
                    Ok(Some(user)) => signed_in(user).into_any(),
                    Ok(None) => view! { <ErrorView error=AppError::NotSignedIn /> }.into_any(),
                    Err(error) => view! { <ErrorView error /> }.into_any(),
                }
            })}
        </Transition>
    }
}

/// Links chosen on the server and one island, the sign-out button.
#[component]
pub fn MePage() -> impl IntoView {
    crate::hydration::hydrate_as_islands("accounts");
    view! { <RequireUser signed_in=|user| view! { <Profile user /> } /> }
}

#[component]
fn Profile(user: CurrentUser) -> impl IntoView {
    let is_admin = user.is_admin();
    let is_staff = user.handles_requests();
    let operates_lunch = user.operates_lunch();
    let settles_lunch = user.roles.iter().any(|g| {
        matches!(
            g.role,
            crate::accounts::roles::Role::Partner | crate::accounts::roles::Role::Admin
        )
    });
    let has_role = |role: crate::accounts::roles::Role| user.roles.iter().any(|g| g.role == role);
    let organises = is_admin || has_role(crate::accounts::roles::Role::StationStaff);
    let verifies = is_admin || has_role(crate::accounts::roles::Role::Partner);
    let reads_numbers = is_admin || has_role(crate::accounts::roles::Role::DepartmentStaff);
    view! {
        <section class="space-y-4">
            <h1 class="page-title">{t(Key::MyPage)}</h1>
            <div class="card space-y-2" aria-labelledby="profile-heading">
                <h2 id="profile-heading" class="section-title">{t(Key::Profile)}</h2>
                <p class="text-lg font-semibold" data-testid="display-name">{user.display_name}</p>
                <dl class="grid grid-cols-[auto_1fr] gap-x-4 gap-y-1">
                    <dt class="muted">{t(Key::Phone)}</dt>
                    <dd class="tabular-nums">{user.phone_masked}</dd>
                    <dt class="muted">{t(Key::MemberSince)}</dt>
                    <dd class="tabular-nums">{user.member_since}</dd>
                </dl>
            </div>
            <div class="card space-y-2" aria-labelledby="roles-heading">
                <h2 id="roles-heading" class="section-title">{t(Key::MyRoles)}</h2>
                <ul class="flex flex-wrap gap-2" data-testid="roles">
                    <li class="chip">{t(Key::ResidentRole)}</li>
                    {user.roles.into_iter().map(|g| view! {
                        <li class="chip">{t(g.role.label())}{g.scope_name.map(|n| format!(" · {n}"))}</li>
                    }).collect_view()}
                </ul>
            </div>
            <nav class="card divide-y divide-slate-200" aria-label=t(Key::MyPage)>
                <A href="/me/password" attr:class="menu-item">{t(Key::ChangePassword)}</A>
                <A href="/points" attr:class="menu-item">{t(crate::points::texts::PointsText::MyPoints)}</A>
                {organises.then(|| view! {
                    <A href="/volunteer/new" attr:class="menu-item">{t(crate::points::texts::PointsText::NewActivity)}</A>
                })}
                {verifies.then(|| view! {
                    <A href="/points/offer" attr:class="menu-item">{t(crate::points::texts::PointsText::OfferTitle)}</A>
                    <A href="/points/verify" attr:class="menu-item">{t(crate::points::texts::PointsText::VerifyTitle)}</A>
                })}
                {is_staff.then(|| view! {
                    <A href="/inbox" attr:class="menu-item">{t(RequestText::Inbox)}</A>
                })}
                {is_admin.then(|| view! {
                    <A href="/numbers/overview" attr:class="menu-item">{t(crate::numbers::texts::NumbersText::Overview)}</A>
                })}
                {reads_numbers.then(|| view! {
                    <A href="/numbers" attr:class="menu-item">{t(crate::numbers::texts::NumbersText::Numbers)}</A>
                })}
                {operates_lunch.then(|| view! {
                    <A href="/lunch/station" attr:class="menu-item">{t(crate::lunch::texts::LunchText::StationConsole)}</A>
                    <A href="/lunch/menus" attr:class="menu-item">{t(crate::lunch::texts::LunchText::MenuEditor)}</A>
                })}
                {settles_lunch.then(|| view! {
                    <A href="/lunch/settlement" attr:class="menu-item">{t(crate::lunch::texts::LunchText::Settlement)}</A>
                })}
                {is_admin.then(|| view! {
                    <A href="/admin/users" attr:class="menu-item">{t(Key::AdminUsers)}</A>
                    <A href="/admin/places" attr:class="menu-item">{t(Key::AdminPlaces)}</A>
                    <A href="/admin/calendar" attr:class="menu-item">{t(RequestText::CalendarTitle)}</A>
                    <A href="/admin/open311" attr:class="menu-item">{t(crate::open311::keys::KeysText::Title)}</A>
                    <A href="/points/adjust" attr:class="menu-item">{t(crate::points::texts::PointsText::AdjustTitle)}</A>
                    <A href="/lunch/subsidy" attr:class="menu-item">{t(crate::lunch::texts::LunchText::SubsidyRule)}</A>
                    <A href="/lunch/surveys" attr:class="menu-item">{t(crate::lunch::texts::LunchText::Surveys)}</A>
                })}
            </nav>
            <SignOutButton locale=use_locale() />
        </section>
    }
}

#[cfg_attr(feature = "islands-accounts", island)]
#[cfg_attr(not(feature = "islands-accounts"), component)]
fn SignOutButton(locale: Locale) -> impl IntoView {
    provide_context(locale);
    let action = ServerAction::<SignOut>::new();
    view! {
        <ActionForm action>
            <button type="submit" class="btn-secondary w-full">{t(Key::SignOut)}</button>
        </ActionForm>
    }
}

/// A page of server HTML and one island, the form.
#[component]
pub fn ChangePasswordPage() -> impl IntoView {
    crate::hydration::hydrate_as_islands("accounts");
    view! { <RequireUser signed_in=|_| view! { <ChangePasswordForm locale=use_locale() /> } /> }
}

#[cfg_attr(feature = "islands-accounts", island)]
#[cfg_attr(not(feature = "islands-accounts"), component)]
fn ChangePasswordForm(locale: Locale) -> impl IntoView {
    provide_context(locale);
    let action = ServerAction::<ChangePassword>::new();
    let error = action_error(action);
    let done = Signal::derive(move || matches!(action.value().get(), Some(Ok(()))));
    view! {
        <section class="card max-w-md mx-auto space-y-4">
            <h1 class="page-title">{t(Key::ChangePassword)}</h1>
            <Notice when=done text=t(Key::PasswordChanged) />
            <ActionForm action attr:class="space-y-4">
                <FormField field=Field::CurrentPassword name="current_password"
                    label=Key::CurrentPassword input_type="password"
                    autocomplete="current-password" max_length=MAX_PASSWORD_CHARS error />
                <FormField field=Field::NewPassword name="new_password" label=Key::NewPassword
                    hint=Key::PasswordHint input_type="password" autocomplete="new-password"
                    min_length=MIN_PASSWORD_CHARS max_length=MAX_PASSWORD_CHARS error />
                <ErrorBanner error />
                <SubmitButton pending=action.pending().into() idle=Key::ChangePassword busy=Key::Saving />
            </ActionForm>
        </section>
    }
}
