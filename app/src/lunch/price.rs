//! The shared price of a meal (政府补贴一点、商户让利一点、白领自费一点): list price, the
//! merchant's discount, the subdistrict's subsidy, and what the worker pays, in fen.

use serde::{Deserialize, Serialize};

/// What a meal costs before anyone's share: its list price, the merchant's discount and the
/// subsidy a qualifying worker gets, in fen, as the menu sets them.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct MealPrice {
    pub list_fen: i32,
    pub discount_fen: i32,
    pub subsidy_fen: i32,
}

/// Who paid what, in fen: `list = discount + subsidy + pay` always holds and nothing is
/// negative.
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq, Serialize, Deserialize)]
pub struct PriceSplit {
    pub list_fen: i32,
    pub discount_fen: i32,
    pub subsidy_fen: i32,
    pub pay_fen: i32,
}

impl PriceSplit {
    fn add(self, other: PriceSplit) -> PriceSplit {
        PriceSplit {
            list_fen: self.list_fen + other.list_fen,
            discount_fen: self.discount_fen + other.discount_fen,
            subsidy_fen: self.subsidy_fen + other.subsidy_fen,
            pay_fen: self.pay_fen + other.pay_fen,
        }
    }
}

/// One meal's split. The discount comes off first, then the subsidy (if `subsidised`); each
/// is cut to what is left, so a discount and subsidy larger than the price make it free,
/// never negative, and the subsidy never pays more than the meal costs.
pub fn split(price: MealPrice, subsidised: bool) -> PriceSplit {
    let list = price.list_fen.max(0);
    let discount = price.discount_fen.clamp(0, list);
    let subsidy = if subsidised {
        price.subsidy_fen.clamp(0, list - discount)
    } else {
        0
    };
    PriceSplit {
        list_fen: list,
        discount_fen: discount,
        subsidy_fen: subsidy,
        pay_fen: list - discount - subsidy,
    }
}

/// The subdistrict's rule: the subsidy is for workers of the subdistrict's companies, for
/// at most `meals_per_day` meals a person a day.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct SubsidyRule {
    pub per_meal_fen: i32,
    pub meals_per_day: i32,
}

/// An order of `quantity` meals by a worker who qualifies (or not) and has had
/// `subsidised_today` subsidised meals already: the total split and how many of these
/// meals are subsidised. Beyond the daily cap a meal costs the list price less the discount.
pub fn order_split(
    price: MealPrice,
    quantity: i32,
    qualifies: bool,
    subsidised_today: i32,
    rule: SubsidyRule,
) -> (PriceSplit, i32) {
    let quantity = quantity.max(0);
    let allowance = if qualifies {
        (rule.meals_per_day - subsidised_today).clamp(0, quantity)
    } else {
        0
    };
    let total = split(price, true)
        .times(allowance)
        .add(split(price, false).times(quantity - allowance));
    // A meal whose subsidy came to nothing (already free) does not use up the allowance.
    let subsidised = if split(price, true).subsidy_fen > 0 {
        allowance
    } else {
        0
    };
    (total, subsidised)
}

impl PriceSplit {
    fn times(self, n: i32) -> PriceSplit {
        PriceSplit {
            list_fen: self.list_fen * n,
            discount_fen: self.discount_fen * n,
            subsidy_fen: self.subsidy_fen * n,
            pay_fen: self.pay_fen * n,
        }
    }
}

/// Fen as yuan for display: `1850` → `18.50`, `1800` → `18`.
pub fn yuan(fen: i32) -> String {
    let sign = if fen < 0 { "-" } else { "" };
    let fen = fen.unsigned_abs();
    match fen % 100 {
        0 => format!("{sign}{}", fen / 100),
        cents => format!("{sign}{}.{cents:02}", fen / 100),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    const RULE: SubsidyRule = SubsidyRule {
        per_meal_fen: 500,
        meals_per_day: 1,
    };

    fn price(list_fen: i32, discount_fen: i32, subsidy_fen: i32) -> MealPrice {
        MealPrice {
            list_fen,
            discount_fen,
            subsidy_fen,
        }
    }

    fn adds_up(s: PriceSplit) -> bool {
        s.list_fen == s.discount_fen + s.subsidy_fen + s.pay_fen
            && [s.list_fen, s.discount_fen, s.subsidy_fen, s.pay_fen]
                .iter()
                .all(|v| *v >= 0)
    }

    #[test]
    fn the_worker_pays_list_less_discount_less_subsidy() {
        let s = split(price(2500, 300, 500), true);
        assert_eq!((s.discount_fen, s.subsidy_fen, s.pay_fen), (300, 500, 1700));
        assert_eq!(split(price(2500, 300, 500), false).pay_fen, 2200);
    }

    #[test]
    fn discount_and_subsidy_larger_than_the_price_make_it_free_not_negative() {
        let s = split(price(1000, 700, 500), true);
        assert_eq!((s.discount_fen, s.subsidy_fen, s.pay_fen), (700, 300, 0));
        let s = split(price(1000, 1500, 500), true);
        assert_eq!((s.discount_fen, s.subsidy_fen, s.pay_fen), (1000, 0, 0));
        for list in [1, 99, 1000] {
            for discount in [0, 1, 500, 2000] {
                for subsidy in [0, 1, 500, 2000] {
                    for subsidised in [true, false] {
                        assert!(adds_up(split(price(list, discount, subsidy), subsidised)));
                    }
                }
            }
        }
    }

    #[test]
    fn zero_discount_and_zero_subsidy_cost_the_list_price() {
        assert_eq!(split(price(1800, 0, 0), true).pay_fen, 1800);
    }

    #[test]
    fn one_subsidised_meal_a_day() {
        let (total, subsidised) = order_split(price(2000, 200, 500), 2, true, 0, RULE);
        assert_eq!(subsidised, 1);
        assert_eq!(total.subsidy_fen, 500);
        assert_eq!(total.pay_fen, 1300 + 1800);
        assert!(adds_up(total));

        let (total, subsidised) = order_split(price(2000, 200, 500), 1, true, 1, RULE);
        assert_eq!((subsidised, total.subsidy_fen, total.pay_fen), (0, 0, 1800));
    }

    #[test]
    fn a_worker_who_does_not_qualify_pays_without_subsidy() {
        let (total, subsidised) = order_split(price(2000, 200, 500), 2, false, 0, RULE);
        assert_eq!((subsidised, total.subsidy_fen, total.pay_fen), (0, 0, 3600));
    }

    #[test]
    fn a_free_meal_does_not_use_up_the_allowance() {
        let (_, subsidised) = order_split(price(500, 500, 500), 1, true, 0, RULE);
        assert_eq!(subsidised, 0);
    }

    #[test]
    fn yuan_reads_naturally() {
        assert_eq!(yuan(1850), "18.50");
        assert_eq!(yuan(1800), "18");
        assert_eq!(yuan(5), "0.05");
        assert_eq!(yuan(0), "0");
    }
}
