//! Pickup codes: four digits, unique per lunch point per day, not in order (so a code does
//! not tell the next one), and easy to read out and type at the station.

/// How many codes a lunch point can hand out in a day.
pub const CODES_A_DAY: u32 = 9000;

/// The `n`th code (0-based) of a lunch point's day: a bijection of 0..9000 onto
/// 1000..=9999 that scatters neighbours, shifted by `salt` (the point and the day) so that
/// each day's codes start elsewhere. `None` once the day's codes are used up.
pub fn code(n: u32, salt: u32) -> Option<String> {
    // 7919 is prime and shares no factor with 9000 = 2³·3²·5³, so n ↦ 7919·n mod 9000 is a
    // permutation.
    (n < CODES_A_DAY).then(|| {
        let scattered = (u64::from(n) * 7919 + u64::from(salt)) % u64::from(CODES_A_DAY);
        format!("{}", 1000 + scattered)
    })
}

/// The salt of a lunch point's day.
pub fn salt(lunch_point_id: i64, unix_day: i64) -> u32 {
    (lunch_point_id.wrapping_mul(7_717) ^ unix_day.wrapping_mul(104_729)).rem_euclid(9000) as u32
}

/// A code as typed or scanned: spaces dropped, full-width digits (０-９) read as digits;
/// anything but four digits is refused.
pub fn parse_code(input: &str) -> Option<String> {
    let digits: String = input
        .chars()
        .filter(|c| !c.is_whitespace())
        .map(|c| match c {
            '０'..='９' => char::from_u32(c as u32 - '０' as u32 + '0' as u32).unwrap_or(c),
            c => c,
        })
        .collect();
    (digits.len() == 4 && digits.bytes().all(|b| b.is_ascii_digit())).then_some(digits)
}

#[cfg(test)]
mod tests {
    use super::*;
    use std::collections::HashSet;

    #[test]
    fn a_day_has_nine_thousand_distinct_four_digit_codes() {
        for salt in [0, 1, 4321, 8999] {
            let codes: HashSet<String> = (0..CODES_A_DAY).map(|n| code(n, salt).unwrap()).collect();
            assert_eq!(codes.len(), 9000);
            assert!(codes.iter().all(|c| c.len() == 4 && !c.starts_with('0')));
        }
        assert_eq!(code(CODES_A_DAY, 0), None);
    }

    #[test]
    fn neighbouring_orders_get_unrelated_codes() {
        let a: u32 = code(0, 17).unwrap().parse().unwrap();
        let b: u32 = code(1, 17).unwrap().parse().unwrap();
        assert!(a.abs_diff(b) > 100, "{a} {b}");
    }

    #[test]
    fn days_and_points_start_elsewhere() {
        assert_ne!(salt(1, 20_784), salt(1, 20_785));
        assert_ne!(salt(1, 20_784), salt(2, 20_784));
        assert!(salt(-5, -3) < 9000);
    }

    #[test]
    fn typed_codes_are_read_kindly_and_checked() {
        assert_eq!(parse_code(" 12 34 "), Some("1234".into()));
        assert_eq!(parse_code("１２３４"), Some("1234".into()));
        for bad in ["", "123", "12345", "12a4", "一二三四"] {
            assert_eq!(parse_code(bad), None, "{bad}");
        }
    }
}
