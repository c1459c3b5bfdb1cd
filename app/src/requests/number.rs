//! Tracking numbers that read well on a phone and over the telephone: `CS2026-000123`
//! (CS for Changshou, the year, a per-year sequence).

/// The tracking number of the `seq`-th request of `year`.
pub fn format_number(year: i32, seq: i64) -> String {
    format!("CS{year:04}-{seq:06}")
}

/// Reads a tracking number as a person may type it: any case, with spaces, with or
/// without the dash. Returns the canonical form.
pub fn parse_number(text: &str) -> Option<String> {
    let compact: String = text
        .chars()
        .filter(|c| !c.is_whitespace() && *c != '-')
        .collect::<String>()
        .to_ascii_uppercase();
    let digits = compact.strip_prefix("CS")?;
    if digits.len() < 10 || !digits.bytes().all(|b| b.is_ascii_digit()) {
        return None;
    }
    let (year, seq) = digits.split_at(4);
    Some(format!("CS{year}-{seq}"))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn numbers_are_padded_and_parsed_back() {
        assert_eq!(format_number(2026, 123), "CS2026-000123");
        assert_eq!(format_number(2026, 1_234_567), "CS2026-1234567");
        assert_eq!(
            parse_number(" cs2026 000123 ").as_deref(),
            Some("CS2026-000123")
        );
        assert_eq!(
            parse_number("CS2026000123").as_deref(),
            Some("CS2026-000123")
        );
        assert_eq!(parse_number("CS2026-12"), None);
        assert_eq!(parse_number("XX2026-000123"), None);
        assert_eq!(parse_number("CS2026-00012a"), None);
    }
}
