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

    pub fn places_found(self, shown: usize, matched: usize) -> String {
        match (self, shown < matched) {
            (Locale::Zh, false) => format!("找到 {matched} 个地点"),
            (Locale::Zh, true) => format!("找到 {matched} 个地点，显示前 {shown} 个"),
            (Locale::En, false) => format!("{matched} places"),
            (Locale::En, true) => format!("{matched} places, showing the first {shown}"),
        }
    }

    pub fn within_circle(self, radius_m: u32) -> String {
        match self {
            Locale::Zh => format!("步行约 15 分钟（{radius_m} 米）范围内"),
            Locale::En => format!("Within about 15 minutes' walk ({radius_m} m)"),
        }
    }

    pub fn too_large(self, max_bytes: u64) -> String {
        let mb = max_bytes / (1024 * 1024);
        match self {
            Locale::Zh => format!("文件太大，每个不能超过 {mb} MB"),
            Locale::En => format!("Too large: at most {mb} MB each."),
        }
    }

    pub fn too_many_files(self, max: usize) -> String {
        match self {
            Locale::Zh => format!("最多上传 {max} 张，请删去多余的"),
            Locale::En => format!("Upload at most {max}. Remove the extra ones."),
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

/// A set of static texts in both languages. The app's shell and accounts use [`Key`]; each
/// capability declares its own set with [`texts!`] beside its code.
pub trait Text: Copy {
    fn text(self, locale: Locale) -> &'static str;
}

impl Locale {
    pub fn text<K: Text>(self, key: K) -> &'static str {
        key.text(self)
    }
}

/// The text of `key` in the current locale.
pub fn t<K: Text>(key: K) -> &'static str {
    key.text(use_locale())
}

/// Declares an enum of static texts, each with its Chinese and English wording.
#[macro_export]
macro_rules! texts {
    ($(#[$meta:meta])* $vis:vis enum $name:ident { $($key:ident => $zh:literal, $en:literal;)* }) => {
        $(#[$meta])*
        #[derive(Clone, Copy, Debug, PartialEq, Eq)]
        $vis enum $name { $($key),* }

        impl $crate::i18n::Text for $name {
            fn text(self, locale: $crate::i18n::Locale) -> &'static str {
                match (locale, self) {
                    $(
                        ($crate::i18n::Locale::Zh, $name::$key) => $zh,
                        ($crate::i18n::Locale::En, $name::$key) => $en,
                    )*
                }
            }
        }
    };
}

texts! {
    /// The shell's and the accounts' texts, named by what they say.
    pub enum Key {
    AppName => "零距离", "Zero Distance";
    AppDescription => "长寿路街道的零距离：服务站与午餐点地图、白领午餐、楼长点点通和志愿积分，都在一个应用里。", "Zero Distance for Changshou Road subdistrict: a map of service stations and lunch points, lunch ordering, problems to the building manager and volunteer points, in one app.";
    SwitchLanguage => "English", "中文";
    SwitchLanguageLabel => "Switch to English", "切换到中文";
    MainNavigation => "主导航", "Main navigation";
    TabMe => "我的", "Me";
    Loading => "加载中…", "Loading…";

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
    FieldKinds => "类型", "Kind";
    FieldNear => "位置", "Location";
    FieldNameZh => "中文名称", "Name (Chinese)";
    FieldNameEn => "英文名称", "Name (English)";
    FieldAddressZh => "中文地址", "Address (Chinese)";
    FieldAddressEn => "英文地址", "Address (English)";
    FieldLatitude => "纬度", "Latitude";
    FieldLongitude => "经度", "Longitude";
    FieldContactPhone => "联系电话", "Phone";
    FieldHours => "开放时间", "Opening hours";
    FieldExceptions => "特殊日期", "Special days";
    FieldServices => "服务项目", "Services";
    FieldDescriptionZh => "中文介绍", "Description (Chinese)";
    FieldDescriptionEn => "英文介绍", "Description (English)";
    FieldBbox => "范围", "Bounding box";

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
    ProblemUnknownKind => "没有这种地点类型，请从列表中选择", "There is no such kind of place. Choose one from the list.";
    ProblemPointFormat => "位置格式应为“纬度,经度”，例如 31.2418,121.4395", "Write the location as “latitude,longitude”, e.g. 31.2418,121.4395.";
    ProblemOutsideArea => "该位置不在长寿路街道范围内（约北纬 31.228–31.256，东经 121.420–121.458），请检查是否填反或填错", "This point is outside the Changshou Road subdistrict (about 31.228–31.256 N, 121.420–121.458 E). Check for swapped or mistyped numbers.";
    ProblemNotANumber => "请填写数字，例如 31.2418", "Enter a number, e.g. 31.2418.";
    ProblemHoursFormat => "格式示例：“1-5 08:30-17:30”，每行一条，1 为周一、7 为周日；跨午夜写作“22:00-02:00”", "Write one rule a line, e.g. “1-5 08:30-17:30” (1 = Monday, 7 = Sunday); past midnight as “22:00-02:00”.";
    ProblemExceptionFormat => "格式示例：“2026-10-01 closed”或“2026-12-31 09:00-12:00”，每个日期一行", "Write one date a line, e.g. “2026-10-01 closed” or “2026-12-31 09:00-12:00”.";
    ProblemContactPhoneFormat => "请填写电话号码，如 021-62345678 或 13812345678", "Enter a phone number, e.g. 021-62345678 or 13812345678.";
    ProblemBboxFormat => "范围格式应为“西,南,东,北”四个数字", "Write the bounding box as four numbers: west,south,east,north.";
    ProblemKindRequired => "请至少选择一种类型", "Choose at least one kind.";
    ProblemNotAnImage => "只能上传 JPEG、PNG 或 WebP 格式的照片", "Only JPEG, PNG or WebP photos can be uploaded.";
    ProblemImageDamaged => "照片已损坏或不完整，请重新拍摄或选择", "The photo is damaged or incomplete. Take or choose it again.";
    ProblemNotOffered => "请从列表中选择。", "Choose one of the options offered.";
    ProblemImageTooLarge => "照片尺寸过大（超过 10000 像素），请缩小后再传", "The photo is too large (over 10,000 pixels a side). Make it smaller first.";
    ProblemInvalidCharacters => "包含不允许的字符，请修改", "Contains characters that are not allowed.";

    KindServiceStation => "党群服务站", "Service station";
    KindLunchPoint => "白领午餐点", "Lunch point";
    KindBuilding => "楼宇 / 园区", "Building / park";
    KindJointCommittee => "联合党委", "Joint committee";
    KindPartnerUnit => "共建单位", "Partner unit";
    KindActivityVenue => "活动场地", "Activity venue";

    TabMap => "地图", "Map";
    AdminPlaces => "地点管理", "Places";
    NewPlace => "新增地点", "New place";
    EditPlace => "编辑地点", "Edit place";
    SearchPlaces => "搜索名称、地址或服务", "Search names, addresses or services";
    Hidden => "已隐藏", "Hidden";
    Edit => "编辑", "Edit";
    Hide => "隐藏", "Hide";
    Restore => "恢复", "Restore";
    Save => "保存", "Save";
    PlaceSaved => "地点已保存。", "Place saved.";
    LatitudeHint => "北纬，如 31.2418", "North, e.g. 31.2418";
    LongitudeHint => "东经，如 121.4395", "East, e.g. 121.4395";
    ServicesHint => "用逗号或顿号分隔，如“白领午餐、法律咨询”", "Separate with commas, e.g. “lunch, legal advice”";
    HoursHint => "每行一条：“1-5 08:30-17:30”，1 为周一、7 为周日", "One rule a line: “1-5 08:30-17:30” (1 = Monday, 7 = Sunday)";
    ExceptionsHint => "每行一个日期：“2026-10-01 closed”或“2026-12-31 09:00-12:00”", "One date a line: “2026-10-01 closed” or “2026-12-31 09:00-12:00”";

    MapTitle => "资源地图", "Resource map";
    ListView => "列表", "List";
    MapView => "地图", "Map";
    ViewSwitch => "显示方式", "View";
    Filters => "筛选", "Filters";
    OpenNow => "营业中", "Open now";
    ClosedNow => "已休息", "Closed now";
    NoHours => "未提供时间", "Hours not listed";
    NearMe => "我的附近", "Near me";
    Locating => "正在定位…", "Locating…";
    LocationDenied => "您没有允许定位，无法找到“我的附近”。可以在列表中点“以此为圆心”，选一个地点作为中心。", "Location access was refused, so “near me” cannot work. Pick a place in the list with “centre here” instead.";
    LocationUnavailable => "暂时无法获取您的位置。可以在列表中点“以此为圆心”，选一个地点作为中心。", "Your location is not available right now. Pick a place in the list with “centre here” instead.";
    FifteenMinuteCircle => "15 分钟生活圈", "15-minute circle";
    CentreHere => "以此为圆心", "Centre here";
    ClearFilters => "清除筛选", "Clear filters";
    Selected => "（已选）", " (selected)";
    NoPlacesFound => "没有找到符合条件的地点。", "No places match.";
    MorePlaces => "显示更多地点", "Show more places";
    NoPlacesHint => "试试更短的关键词，或清除筛选。", "Try a shorter word, or clear the filters.";
    DemoData => "演示数据", "Demo data";
    Address => "地址", "Address";
    OpeningHours => "开放时间", "Opening hours";
    Services => "服务项目", "Services";
    Call => "拨打电话", "Call";
    OpenInMaps => "在地图应用中打开", "Open in maps app";
    OpenInAmap => "高德地图", "Amap";
    Related => "相关地点", "Related places";
    Members => "成员楼宇", "Member buildings";
    MemberOf => "所属联合党委", "Joint committees";
    Offers => "提供的资源", "What it offers";
    SpecialDays => "特殊日期", "Special days";
    Closed => "休息", "Closed";
    Today => "今天", "Today";
    BackToList => "返回列表", "Back to the list";
    MapUnavailable => "地图底图加载不出来时，仍会显示地点标记和街道轮廓；列表始终可用。", "If map tiles cannot load, the markers and the subdistrict outline still show; the list always works.";
    WeekdayMon => "周一", "Mon";
    WeekdayTue => "周二", "Tue";
    WeekdayWed => "周三", "Wed";
    WeekdayThu => "周四", "Thu";
    WeekdayFri => "周五", "Fri";
    WeekdaySat => "周六", "Sat";
    WeekdaySun => "周日", "Sun";

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
