//! The one translation mechanism: every string a user reads comes from here.
//!
//! Static texts are `Key`s, checked by the compiler; texts with numbers in them are methods
//! on `Locale`. Chinese is the default; the choice lives in the `zd_lang` cookie so that the
//! server renders the next page in the right language before any WASM runs.

use leptos::prelude::*;
use serde::{Deserialize, Serialize};

#[derive(Clone, Copy, Debug, Default, PartialEq, Eq, Serialize, Deserialize)]
pub enum Locale {
    #[default]
    Zh,
    En,
}

pub const LOCALE_COOKIE: &str = "zd_lang";

impl Locale {
    /// The value of `<html lang>` and of the cookie.
    pub fn tag(self) -> &'static str {
        match self {
            Locale::Zh => "zh-CN",
            Locale::En => "en",
        }
    }

    pub fn from_tag(tag: &str) -> Option<Locale> {
        match tag.trim().to_ascii_lowercase().as_str() {
            "zh" | "zh-cn" | "zh-hans" => Some(Locale::Zh),
            "en" | "en-us" | "en-gb" => Some(Locale::En),
            _ => None,
        }
    }

    /// Reads the locale from a `Cookie:` header value; Chinese when absent or unknown.
    pub fn from_cookie_header(header: &str) -> Locale {
        header
            .split(';')
            .filter_map(|pair| pair.trim().split_once('='))
            .find(|(name, _)| *name == LOCALE_COOKIE)
            .and_then(|(_, value)| Locale::from_tag(value))
            .unwrap_or_default()
    }

    pub fn other(self) -> Locale {
        match self {
            Locale::Zh => Locale::En,
            Locale::En => Locale::Zh,
        }
    }

    pub fn retry_in(self, seconds: u64) -> String {
        match self {
            Locale::Zh => format!("尝试次数过多，请在 {seconds} 秒后再试"),
            Locale::En => format!("Too many attempts. Try again in {seconds} s."),
        }
    }

    pub fn at_least_chars(self, min: usize) -> String {
        match self {
            Locale::Zh => format!("至少需要 {min} 个字符，请再加长一些"),
            Locale::En => format!("Use at least {min} characters."),
        }
    }

    pub fn at_most_chars(self, max: usize) -> String {
        match self {
            Locale::Zh => format!("最多 {max} 个字符，请删短一些"),
            Locale::En => format!("Use at most {max} characters."),
        }
    }

    pub fn internal_error(self, request_id: &str) -> String {
        match self {
            Locale::Zh => format!("服务器出了点问题，请稍后再试（请求编号 {request_id}）"),
            Locale::En => {
                format!("Something went wrong on our side. Please try again later (request {request_id}).")
            }
        }
    }

    pub fn users_found(self, count: usize) -> String {
        match self {
            Locale::Zh => format!("共 {count} 位用户"),
            Locale::En => format!("{count} users"),
        }
    }
}

/// The locale of the page being rendered or hydrated.
pub fn use_locale() -> Locale {
    use_context::<Locale>().unwrap_or_default()
}

/// The text of `key` in the current locale.
pub fn t(key: Key) -> &'static str {
    use_locale().text(key)
}

macro_rules! texts {
    ($($key:ident => $zh:literal, $en:literal;)*) => {
        /// Every static UI text, named by what it says.
        #[derive(Clone, Copy, Debug, PartialEq, Eq)]
        pub enum Key { $($key),* }

        impl Locale {
            pub fn text(self, key: Key) -> &'static str {
                match (self, key) {
                    $(
                        (Locale::Zh, Key::$key) => $zh,
                        (Locale::En, Key::$key) => $en,
                    )*
                }
            }
        }
    };
}

texts! {
    AppName => "零距离", "Zero Distance";
    AppTagline => "长寿路街道 · 白领与居民的身边服务", "Changshou Road · services next door for workers and residents";
    SwitchLanguage => "English", "中文";
    SwitchLanguageLabel => "Switch to English", "切换到中文";
    MainNavigation => "主导航", "Main navigation";
    TabMe => "我的", "Me";
    Loading => "加载中…", "Loading…";
    HomeWelcome => "欢迎来到零距离", "Welcome to Zero Distance";
    HomeIntro => "资源地图、白领午餐、楼长点点通和圆梦积分，都在一个应用里。", "The resource map, lunch, problems to the building manager and volunteer points, in one app.";
    HomeSignedInAs => "已登录：", "Signed in as ";
    GoToMe => "进入我的页面", "Go to my page";

    SignIn => "登录", "Sign in";
    SignUp => "注册", "Sign up";
    SignOut => "退出登录", "Sign out";
    SigningIn => "正在登录…", "Signing in…";
    SigningUp => "正在注册…", "Signing up…";
    SignInTitle => "登录零距离", "Sign in to Zero Distance";
    SignUpTitle => "注册新账号", "Create an account";
    NoAccountYet => "还没有账号？", "No account yet?";
    HaveAccount => "已有账号？", "Already have an account?";
    Phone => "手机号", "Mobile number";
    PhoneHint => "11 位中国大陆手机号", "11-digit mainland China mobile number";
    Password => "密码", "Password";
    PasswordHint => "至少 8 位，包含字母和数字", "At least 8 characters, with letters and digits";
    DisplayName => "昵称", "Display name";
    DisplayNameHint => "其他人看到的名字，如“张先生”", "The name others see, e.g. “Mr Zhang”";
    CurrentPassword => "当前密码", "Current password";
    NewPassword => "新密码", "New password";
    ChangePassword => "修改密码", "Change password";
    Saving => "正在保存…", "Saving…";
    PasswordChanged => "密码已修改。其他设备上的登录已退出。", "Password changed. You have been signed out on other devices.";
    SignedOut => "您已退出登录。", "You have signed out.";

    MyPage => "我的", "Me";
    Profile => "个人资料", "Profile";
    MemberSince => "注册时间", "Member since";
    MyRoles => "我的身份", "My roles";
    ResidentRole => "居民 / 白领", "Resident / office worker";
    NotSignedInTitle => "您还没有登录", "You are not signed in";
    NotSignedInBody => "登录后可以查看个人资料和身份。", "Sign in to see your profile and roles.";

    RoleBuildingManager => "楼长", "Building manager";
    RoleDepartmentStaff => "职能部门工作人员", "Department staff";
    RoleStationStaff => "站点 / 商户工作人员", "Station / merchant staff";
    RolePartner => "共建单位", "Partner unit";
    RoleAdmin => "街道管理员", "Subdistrict admin";

    AdminUsers => "用户与身份管理", "Users and roles";
    AdminSearchLabel => "按手机号或昵称查找", "Find by mobile number or name";
    Search => "查找", "Search";
    NoUsersFound => "没有找到用户。试试输入手机号的一部分。", "No users found. Try part of a mobile number.";
    Grant => "授予", "Grant";
    Revoke => "撤销", "Revoke";
    Role => "身份", "Role";
    Scope => "负责范围", "Scope";
    ChooseRole => "选择身份", "Choose a role";
    ChooseScope => "选择范围", "Choose a scope";
    NoScopeNeeded => "（无需范围）", "(no scope needed)";
    RoleGranted => "已授予身份。", "Role granted.";
    RoleRevoked => "已撤销身份。", "Role revoked.";
    GrantRoleTo => "授予身份给", "Grant a role to";

    FieldPhone => "手机号", "Mobile number";
    FieldPassword => "密码", "Password";
    FieldCurrentPassword => "当前密码", "Current password";
    FieldNewPassword => "新密码", "New password";
    FieldDisplayName => "昵称", "Display name";
    FieldRole => "身份", "Role";
    FieldScope => "负责范围", "Scope";
    FieldUser => "用户", "User";
    FieldQuery => "查找内容", "Search text";

    ProblemRequired => "请填写此项", "This field is required.";
    ProblemPhoneFormat => "请输入 11 位中国大陆手机号，例如 13812345678", "Enter an 11-digit mainland China mobile number, e.g. 13812345678.";
    ProblemPhoneTaken => "该手机号已注册，请直接登录", "This number is already registered. Sign in instead.";
    ProblemPasswordNeedsLetterAndDigit => "密码需同时包含字母和数字", "Use both letters and digits.";
    ProblemPasswordContainsPhone => "密码不能包含手机号，请换一个", "Don't use your mobile number in the password.";
    ProblemPasswordTooCommon => "这个密码太常见，请换一个不易猜到的", "This password is too common. Choose one that is harder to guess.";
    ProblemPasswordSameAsOld => "新密码不能与当前密码相同", "The new password must differ from the current one.";
    ProblemWrongPassword => "密码不正确", "The password is not correct.";
    ProblemRoleUnknown => "请选择一个有效的身份", "Choose a valid role.";
    ProblemScopeRequired => "这个身份需要选择负责范围", "This role needs a scope. Choose one.";
    ProblemScopeWrongKind => "所选范围与身份不匹配，请重新选择", "That scope does not fit this role. Choose another.";
    ProblemScopeNotAllowed => "这个身份不需要负责范围", "This role takes no scope.";
    ProblemAlreadyGranted => "该用户已拥有这个身份", "The user already has this role.";
    ProblemUnknownUser => "找不到该用户", "That user does not exist.";
    ProblemInvalidCharacters => "包含不允许的字符，请修改", "Contains characters that are not allowed.";

    ErrorWrongCredentials => "手机号或密码不正确", "The mobile number or password is not correct.";
    ErrorNotSignedIn => "请先登录", "Please sign in first.";
    ErrorForbidden => "您没有权限进行此操作", "You are not allowed to do this.";
    ErrorNotFound => "找不到您要的内容", "We could not find what you asked for.";
    ErrorUnavailable => "数据库暂时无法连接，请稍后再试", "The database is unavailable right now. Please try again shortly.";
    ErrorRequestFailed => "请求没有成功，请检查网络后重试", "The request did not go through. Check your connection and try again.";
    ErrorCrossSite => "请求来源不被允许", "Requests from other sites are not allowed.";

    ForbiddenTitle => "无权访问", "Access denied";
    ForbiddenBody => "这个页面只对有相应身份的人员开放。", "This page is only for people with the right role.";
    NotFoundTitle => "页面不存在", "Page not found";
    NotFoundBody => "您访问的页面不存在或已移动。", "The page you asked for does not exist or has moved.";
    ErrorPageTitle => "出错了", "Something went wrong";
    BackHome => "返回首页", "Back to home";
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn cookie_header_picks_the_language_cookie() {
        assert_eq!(
            Locale::from_cookie_header("a=1; zd_lang=en; b=2"),
            Locale::En
        );
        assert_eq!(Locale::from_cookie_header("zd_lang=zh-CN"), Locale::Zh);
        assert_eq!(Locale::from_cookie_header("zd_lang=fr"), Locale::Zh);
        assert_eq!(Locale::from_cookie_header(""), Locale::Zh);
    }

    #[test]
    fn tags_round_trip() {
        for locale in [Locale::Zh, Locale::En] {
            assert_eq!(Locale::from_tag(locale.tag()), Some(locale));
        }
    }
}
