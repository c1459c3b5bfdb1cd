//! Masking personal data before a request's text becomes a public case or Q&A entry (pure,
//! unit-tested). [`find`] names every piece of personal data in a text; [`mask`] puts a
//! label such as "[手机号]" in its place.
//!
//! What is found: mobile numbers (with or without +86, in groups or not), landline numbers
//! (with an area code, or 7–8 digits after a word like 电话), ID card numbers (18 characters
//! whose check digit and birth date are right), e-mail addresses, licence plates, bank card
//! numbers (16–19 digits of a card scheme that pass the Luhn check), and given words: the
//! requester's name (with 先生/女士 forms of the surname) and company as recorded on the
//! request, and whatever the editor marks by hand.
//!
//! What is left alone: prices, dates and times, tracking numbers (CS2026-000123), room and
//! floor numbers, and digit runs that are none of the above. A number glued to letters or
//! other digits is not a phone number.

use regex::Regex;
use std::sync::LazyLock;

/// What a piece of personal data is.
#[derive(Clone, Copy, Debug, PartialEq, Eq, serde::Serialize, serde::Deserialize)]
pub enum Kind {
    Mobile,
    Landline,
    IdCard,
    Email,
    Plate,
    BankCard,
    Name,
    Company,
    ByHand,
}

impl Kind {
    /// What stands in its place in the published text.
    pub fn label(self) -> &'static str {
        match self {
            Kind::Mobile => "[手机号]",
            Kind::Landline => "[电话]",
            Kind::IdCard => "[身份证号]",
            Kind::Email => "[邮箱]",
            Kind::Plate => "[车牌]",
            Kind::BankCard => "[银行卡号]",
            Kind::Name => "[姓名]",
            Kind::Company => "[单位]",
            Kind::ByHand => "[已隐去]",
        }
    }
}

/// A piece of personal data: its kind and its byte range in the text.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub struct Found {
    pub kind: Kind,
    pub start: usize,
    pub end: usize,
}

/// Who the text is about, and what else the editor wants hidden.
#[derive(Clone, Copy, Debug, Default)]
pub struct Known<'a> {
    pub name: &'a str,
    pub company: &'a str,
    pub by_hand: &'a [&'a str],
}

/// Digits with single spaces or hyphens between them, and an ID card's final X.
static DIGITS: LazyLock<Regex> =
    LazyLock::new(|| Regex::new(r"\+?\d(?:[ \-]?\d)+[Xx]?").expect("digits pattern"));
/// A landline with its area code in brackets: (021)62345678.
static BRACKETED: LazyLock<Regex> = LazyLock::new(|| {
    Regex::new(r"[(（]0\d{2,3}[)）] ?\d{3,4}[ \-]?\d{4}").expect("landline pattern")
});
static EMAIL: LazyLock<Regex> = LazyLock::new(|| {
    Regex::new(r"[A-Za-z0-9._%+\-]+@[A-Za-z0-9\-]+(?:\.[A-Za-z0-9\-]+)*\.[A-Za-z]{2,}")
        .expect("email pattern")
});
/// A province's character, the issuing office's letter, then five (six for new energy)
/// letters and digits.
static PLATE: LazyLock<Regex> = LazyLock::new(|| {
    Regex::new(
        "[京津沪渝冀豫云辽黑湘皖鲁新苏浙赣鄂桂甘晋蒙陕吉闽贵粤青藏川宁琼][A-HJ-NP-Z][·•・ ]?[A-HJ-NP-Z0-9]{5,6}",
    )
    .expect("plate pattern")
});
/// Words after which a bare 7–8 digit number is a telephone number.
const PHONE_WORDS: [&str; 7] = ["电话", "座机", "热线", "联系", "致电", "tel", "Tel"];

/// Every piece of personal data in `text`, in order, none overlapping (the earlier, then
/// the longer, wins).
pub fn find(text: &str, known: &Known) -> Vec<Found> {
    let mut found = Vec::new();
    let mut add = |kind, start, end| found.push(Found { kind, start, end });
    for m in EMAIL.find_iter(text) {
        add(Kind::Email, m.start(), m.end());
    }
    for m in BRACKETED.find_iter(text) {
        add(Kind::Landline, m.start(), m.end());
    }
    for m in PLATE.find_iter(text) {
        if !text[m.end()..].starts_with(|c: char| c.is_ascii_alphanumeric()) {
            add(Kind::Plate, m.start(), m.end());
        }
    }
    for m in DIGITS.find_iter(text) {
        let before = text[..m.start()].chars().next_back();
        let after = text[m.end()..].chars().next();
        // Part of a longer code (CS2026-000123, a URL, a decimal).
        if before.is_some_and(|c| c.is_ascii_alphanumeric() || c == '.' || c == '/')
            || after.is_some_and(|c| c.is_ascii_alphanumeric() || c == '.' || c == '/')
        {
            continue;
        }
        let digits: String = m
            .as_str()
            .chars()
            .filter(|c| c.is_ascii_alphanumeric())
            .collect();
        if let Some(kind) = number_kind(&digits, &text[..m.start()]) {
            add(kind, m.start(), m.end());
        }
    }
    for (kind, words) in [
        (Kind::Name, name_forms(known.name)),
        (Kind::Company, company_forms(known.company)),
        (
            Kind::ByHand,
            known
                .by_hand
                .iter()
                .map(|w| w.trim().to_owned())
                .filter(|w| !w.is_empty())
                .collect(),
        ),
    ] {
        for word in words {
            for (start, w) in text.match_indices(word.as_str()) {
                add(kind, start, start + w.len());
            }
        }
    }
    found.sort_by_key(|f| (f.start, std::cmp::Reverse(f.end)));
    let mut kept: Vec<Found> = Vec::with_capacity(found.len());
    for f in found {
        if kept.last().is_none_or(|last| f.start >= last.end) {
            kept.push(f);
        }
    }
    kept
}

/// `text` with each piece of personal data replaced by its label.
pub fn mask(text: &str, known: &Known) -> String {
    let mut masked = String::with_capacity(text.len());
    let mut at = 0;
    for f in find(text, known) {
        masked.push_str(&text[at..f.start]);
        masked.push_str(f.kind.label());
        at = f.end;
    }
    masked.push_str(&text[at..]);
    masked
}

/// What a run of digits (separators removed) is, given the text before it.
fn number_kind(digits: &str, before: &str) -> Option<Kind> {
    let plain = digits.trim_start_matches('+');
    let all_digits = plain.bytes().all(|b| b.is_ascii_digit());
    if plain.len() == 18 && is_id_card(plain) {
        return Some(Kind::IdCard);
    }
    if !all_digits {
        return None;
    }
    let mobile =
        |d: &str| d.len() == 11 && d.starts_with('1') && (b'3'..=b'9').contains(&d.as_bytes()[1]);
    if mobile(plain) || (plain.len() == 13 && plain.starts_with("86") && mobile(&plain[2..])) {
        return Some(Kind::Mobile);
    }
    if plain.starts_with('0') && !plain.starts_with("00") && (10..=12).contains(&plain.len()) {
        return Some(Kind::Landline);
    }
    if (16..=19).contains(&plain.len()) && is_card_scheme(plain) && luhn(plain) {
        return Some(Kind::BankCard);
    }
    if (7..=8).contains(&plain.len()) && !plain.starts_with(['0', '1']) && after_phone_word(before)
    {
        return Some(Kind::Landline);
    }
    None
}

/// Whether a phone word ends within the last few characters of `before`.
fn after_phone_word(before: &str) -> bool {
    let tail: String = {
        let chars: Vec<char> = before.chars().collect();
        chars[chars.len().saturating_sub(6)..].iter().collect()
    };
    PHONE_WORDS.iter().any(|w| tail.contains(w))
}

/// An 18-character resident ID: region digit, a real birth date, and the ISO 7064 MOD 11-2
/// check character.
pub fn is_id_card(id: &str) -> bool {
    const WEIGHTS: [u32; 17] = [7, 9, 10, 5, 8, 4, 2, 1, 6, 3, 7, 9, 10, 5, 8, 4, 2];
    const CHECK: &[u8; 11] = b"10X98765432";
    let bytes = id.as_bytes();
    if bytes.len() != 18 || !bytes[..17].iter().all(u8::is_ascii_digit) {
        return false;
    }
    if !(b'1'..=b'8').contains(&bytes[0]) {
        return false;
    }
    let number = |range: std::ops::Range<usize>| id[range].parse::<u32>().unwrap_or(0);
    let (year, month, day) = (number(6..10), number(10..12), number(12..14));
    if !(1900..=2099).contains(&year) || !(1..=12).contains(&month) || !(1..=31).contains(&day) {
        return false;
    }
    let sum: u32 = bytes[..17]
        .iter()
        .zip(WEIGHTS)
        .map(|(b, w)| u32::from(b - b'0') * w)
        .sum();
    CHECK[(sum % 11) as usize] == bytes[17].to_ascii_uppercase()
}

/// The leading digits of the card schemes used in China: UnionPay, Visa, Mastercard, JCB.
fn is_card_scheme(digits: &str) -> bool {
    digits.starts_with("62")
        || digits.starts_with('4')
        || digits.starts_with("35")
        || ("51".."56").contains(&&digits[..2])
}

/// The Luhn check of card numbers: every second digit from the right doubled (its digits
/// summed), and the total a multiple of ten.
pub fn luhn(digits: &str) -> bool {
    let sum: u32 = digits
        .bytes()
        .rev()
        .enumerate()
        .map(|(i, b)| {
            let d = u32::from(b - b'0');
            match (i % 2, d * 2) {
                (0, _) => d,
                (_, doubled) if doubled > 9 => doubled - 9,
                (_, doubled) => doubled,
            }
        })
        .sum();
    sum.is_multiple_of(10)
}

/// The name, and its surname with a polite title (张伟 → 张先生, 张女士 …). A one-character
/// name is too common to hide everywhere it appears.
fn name_forms(name: &str) -> Vec<String> {
    let name = name.trim();
    if name.chars().count() < 2 {
        return Vec::new();
    }
    let mut forms = vec![name.to_owned()];
    if name.chars().all(|c| !c.is_ascii()) {
        let surname: String = name.chars().take(1).collect();
        forms.extend(["先生", "女士", "小姐", "阿姨", "师傅"].map(|t| format!("{surname}{t}")));
    }
    forms
}

/// The company, and its name without the city in front and the legal form behind
/// (上海星辰科技有限公司 → 星辰科技), when what is left is still distinctive.
fn company_forms(company: &str) -> Vec<String> {
    let company = company.trim();
    if company.chars().count() < 2 {
        return Vec::new();
    }
    let mut forms = vec![company.to_owned()];
    let mut core = company;
    for suffix in ["股份有限公司", "有限责任公司", "有限公司", "公司"] {
        if let Some(rest) = core.strip_suffix(suffix) {
            core = rest;
            break;
        }
    }
    for city in ["上海市", "上海"] {
        if let Some(rest) = core.strip_prefix(city) {
            core = rest;
            break;
        }
    }
    if core != company && core.chars().count() >= 3 {
        forms.push(core.to_owned());
    }
    forms
}

#[cfg(test)]
mod tests {
    use super::*;

    fn masked(text: &str) -> String {
        mask(text, &Known::default())
    }

    #[test]
    fn mobile_numbers_in_chinese_text() {
        assert_eq!(masked("请拨打13812345678联系"), "请拨打[手机号]联系");
        assert_eq!(masked("手机：138 1234 5678。"), "手机：[手机号]。");
        assert_eq!(masked("电话138-1234-5678"), "电话[手机号]");
        assert_eq!(masked("+86 13812345678"), "[手机号]");
        assert_eq!(masked("8613812345678，谢谢"), "[手机号]，谢谢");
        // Not a mobile: 12 starts no mobile number, and a 12-digit run is not one.
        assert_eq!(masked("编号12812345678"), "编号12812345678");
        assert_eq!(masked("138123456789"), "138123456789");
    }

    #[test]
    fn landlines_with_area_codes_or_after_a_phone_word() {
        assert_eq!(masked("物业电话021-62345678"), "物业电话[电话]");
        assert_eq!(masked("座机（021）62345678转"), "座机[电话]转");
        assert_eq!(masked("(0571) 8765 4321"), "[电话]");
        assert_eq!(masked("联系电话：62345678"), "联系电话：[电话]");
        // Eight digits with no phone word are not a phone number.
        assert_eq!(masked("共62345678元"), "共62345678元");
    }

    #[test]
    fn id_card_numbers_need_their_check_digit() {
        // 11010519491231002X is the standard's example, with an X check digit.
        assert_eq!(
            masked("身份证11010519491231002X已登记"),
            "身份证[身份证号]已登记"
        );
        assert_eq!(
            masked("证件号110105194912310021"),
            "证件号110105194912310021"
        );
        assert!(!is_id_card("110105194912310029"));
        assert!(is_id_card("11010519491231002x"));
        // A month 13 is no birth date.
        assert!(!is_id_card("110105194913310025"));
    }

    #[test]
    fn email_addresses_plates_and_bank_cards() {
        assert_eq!(
            masked("发邮件到zhang.san@example.com.cn即可"),
            "发邮件到[邮箱]即可"
        );
        assert_eq!(masked("车牌沪A12345停在B2"), "车牌[车牌]停在B2");
        assert_eq!(masked("新能源沪AD12345的车"), "新能源[车牌]的车");
        assert_eq!(masked("沪A·D1234F违停"), "[车牌]违停");
        // 6222 0212 3456 7890 128 is a UnionPay-looking number that passes Luhn.
        assert!(luhn("6222021234567890128"));
        assert_eq!(masked("卡号6222 0212 3456 7890 128。"), "卡号[银行卡号]。");
        assert_eq!(masked("卡号6222021234567890127"), "卡号6222021234567890127");
    }

    #[test]
    fn what_must_not_be_masked() {
        for text in [
            "午餐18.5元，补贴3元，实付15.5元",
            "￥1,280.00",
            "2026-11-27 09:30 处理完毕",
            "2026年11月27日",
            "工单CS2026-000123已办结",
            "3号楼1203室，12层东侧",
            "快递单号SF1234567890123",
            "订单2026112712345678",
            "第20792天",
            "https://example.com/a/13812345678",
            "版本1.3.8123456789",
        ] {
            assert_eq!(masked(text), text, "{text}");
        }
    }

    #[test]
    fn the_requester_and_their_company_by_name() {
        let known = Known {
            name: "张伟",
            company: "上海星辰科技有限公司",
            by_hand: &["3号楼保安老王"],
        };
        assert_eq!(
            mask(
                "张伟（上海星辰科技有限公司）反映：星辰科技门口积水，张先生已拍照。",
                &known
            ),
            "[姓名]（[单位]）反映：[单位]门口积水，[姓名]已拍照。"
        );
        assert_eq!(mask("3号楼保安老王说明天修", &known), "[已隐去]说明天修");
        // A one-character name is not hidden everywhere.
        let short = Known {
            name: "李",
            ..Known::default()
        };
        assert_eq!(mask("李子园", &short), "李子园");
    }

    #[test]
    fn findings_do_not_overlap_and_keep_their_order() {
        let text = "13812345678 zhang@example.com";
        let found = find(text, &Known::default());
        assert_eq!(
            found.iter().map(|f| f.kind).collect::<Vec<_>>(),
            [Kind::Mobile, Kind::Email]
        );
        assert_eq!(&text[found[0].start..found[0].end], "13812345678");
    }
}
