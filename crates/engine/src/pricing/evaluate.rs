//! The selling price of one service from the rules that apply to it: pure, exact decimals.
//!
//! Each setting (markup percent, fixed amount, minimum margin, price step) comes from the most
//! specific rule that sets it: the service's, then its category's, its platform's, the default.
//! A manual price on the service's own rule replaces the formula (it is the user's price, not
//! rounded or raised).

use rust_decimal::Decimal;

use super::{PriceRule, PriceScope};

/// Where a setting of the selling price came from.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Formula {
    /// The markup on the cost, in percent.
    pub percent: Option<(Decimal, PriceScope)>,
    /// Added per 1000.
    pub fixed: Option<(Decimal, PriceScope)>,
    /// The least margin, in percent of the selling price.
    pub min_margin: Option<(Decimal, PriceScope)>,
    /// The price step the selling rate is rounded up to.
    pub step: Option<(Decimal, PriceScope)>,
    /// A manual selling rate (the service's own rule).
    pub manual: Option<Decimal>,
}

impl Formula {
    /// The settings from `rules`, most specific first (the caller orders them).
    pub fn from_rules<'a>(rules: impl IntoIterator<Item = &'a PriceRule>) -> Formula {
        let mut f = Formula {
            percent: None,
            fixed: None,
            min_margin: None,
            step: None,
            manual: None,
        };
        for r in rules {
            let pick = |slot: &mut Option<(Decimal, PriceScope)>, v: Option<Decimal>| {
                if slot.is_none() {
                    *slot = v.map(|v| (v, r.scope.clone()));
                }
            };
            pick(&mut f.percent, r.percent);
            pick(&mut f.fixed, r.fixed);
            pick(&mut f.min_margin, r.min_margin);
            pick(&mut f.step, r.step);
            if f.manual.is_none() && matches!(r.scope, PriceScope::Service(_)) {
                f.manual = r.price;
            }
        }
        f
    }

    /// Whether any rule set anything.
    pub fn is_empty(&self) -> bool {
        self.percent.is_none()
            && self.fixed.is_none()
            && self.min_margin.is_none()
            && self.step.is_none()
            && self.manual.is_none()
    }

    /// The selling rate per 1000 for a cost rate per 1000.
    ///
    /// `cost × (1 + percent/100) + fixed`, raised to `cost / (1 − min_margin/100)` when the
    /// margin would be below the minimum, then rounded up to a multiple of the step. Without
    /// rules the selling rate is the cost.
    pub fn sale_rate(&self, cost: Decimal) -> Decimal {
        if let Some(price) = self.manual {
            return price;
        }
        let hundred = Decimal::ONE_HUNDRED;
        let percent = self.percent.as_ref().map_or(Decimal::ZERO, |p| p.0);
        let fixed = self.fixed.as_ref().map_or(Decimal::ZERO, |p| p.0);
        let mut sale = cost + cost * percent / hundred + fixed;
        if let Some((m, _)) = &self.min_margin {
            // Validation keeps the margin below 100 %.
            let floor = cost * hundred / (hundred - m);
            if sale < floor {
                sale = floor;
            }
        }
        match &self.step {
            Some((step, _)) => round_up(sale, *step),
            None => sale.normalize(),
        }
    }
}

/// `value` rounded up to a multiple of `step` (> 0).
pub fn round_up(value: Decimal, step: Decimal) -> Decimal {
    let units = (value / step).ceil();
    (units * step).normalize()
}

/// The margin of a sale, in percent of the selling price, rounded to 2 places; `None` for a
/// free sale.
pub fn margin_percent(cost: Decimal, sale: Decimal) -> Option<Decimal> {
    if sale.is_zero() {
        return None;
    }
    Some(
        ((sale - cost) * Decimal::ONE_HUNDRED / sale)
            .round_dp_with_strategy(2, rust_decimal::RoundingStrategy::MidpointAwayFromZero)
            .normalize(),
    )
}

#[cfg(test)]
mod tests {
    use std::str::FromStr;

    use super::*;

    fn d(s: &str) -> Decimal {
        Decimal::from_str(s).unwrap()
    }

    fn rule(scope: PriceScope) -> PriceRule {
        PriceRule {
            scope,
            percent: None,
            fixed: None,
            min_margin: None,
            step: None,
            price: None,
        }
    }

    #[test]
    fn percent_and_fixed_are_exact() {
        let r = PriceRule {
            percent: Some(d("25")),
            fixed: Some(d("0.10")),
            ..rule(PriceScope::Default)
        };
        let f = Formula::from_rules([&r]);
        // 0.9 × 1.25 + 0.1 = 1.225, no float error anywhere.
        assert_eq!(f.sale_rate(d("0.9")), d("1.225"));
        assert_eq!(f.sale_rate(d("0.0001")), d("0.100125"));
    }

    #[test]
    fn the_step_rounds_up_and_never_down() {
        let r = PriceRule {
            percent: Some(d("25")),
            step: Some(d("0.05")),
            ..rule(PriceScope::Default)
        };
        let f = Formula::from_rules([&r]);
        assert_eq!(f.sale_rate(d("0.9")), d("1.15")); // 1.125 → 1.15
        assert_eq!(f.sale_rate(d("0.96")), d("1.2")); // exactly 1.2 stays
        assert_eq!(round_up(d("1.0000001"), d("0.01")), d("1.01"));
        assert_eq!(round_up(d("7"), d("5")), d("10"));
    }

    #[test]
    fn the_minimum_margin_raises_a_thin_price() {
        let r = PriceRule {
            percent: Some(d("5")),
            min_margin: Some(d("20")),
            ..rule(PriceScope::Default)
        };
        let f = Formula::from_rules([&r]);
        // 5 % markup is a 4.76 % margin; 20 % margin on a cost of 1 needs 1.25.
        let sale = f.sale_rate(d("1"));
        assert_eq!(sale, d("1.25"));
        assert_eq!(margin_percent(d("1"), sale), Some(d("20")));
        // A markup already above the minimum is kept.
        let rich = PriceRule {
            percent: Some(d("100")),
            ..r
        };
        assert_eq!(Formula::from_rules([&rich]).sale_rate(d("1")), d("2"));
    }

    #[test]
    fn each_setting_comes_from_the_most_specific_rule_that_sets_it() {
        let service = PriceRule {
            percent: Some(d("50")),
            ..rule(PriceScope::Service(7))
        };
        let category = PriceRule {
            percent: Some(d("40")),
            fixed: Some(d("1")),
            ..rule(PriceScope::Category("Instagram Followers".into()))
        };
        let default = PriceRule {
            percent: Some(d("10")),
            step: Some(d("0.5")),
            ..rule(PriceScope::Default)
        };
        let f = Formula::from_rules([&service, &category, &default]);
        assert_eq!(f.percent, Some((d("50"), PriceScope::Service(7))));
        assert_eq!(
            f.fixed,
            Some((d("1"), PriceScope::Category("Instagram Followers".into())))
        );
        assert_eq!(f.step, Some((d("0.5"), PriceScope::Default)));
        // 2 × 1.5 + 1 = 4 (already on the step).
        assert_eq!(f.sale_rate(d("2")), d("4"));
    }

    #[test]
    fn a_manual_price_replaces_the_formula() {
        let service = PriceRule {
            price: Some(d("3.333")),
            ..rule(PriceScope::Service(7))
        };
        let default = PriceRule {
            percent: Some(d("10")),
            step: Some(d("1")),
            min_margin: Some(d("50")),
            ..rule(PriceScope::Default)
        };
        let f = Formula::from_rules([&service, &default]);
        assert_eq!(
            f.sale_rate(d("5")),
            d("3.333"),
            "below cost: the user's choice"
        );
        assert_eq!(margin_percent(d("5"), d("3.333")), Some(d("-50.02")));
    }

    #[test]
    fn without_rules_the_price_is_the_cost() {
        let f = Formula::from_rules([]);
        assert!(f.is_empty());
        assert_eq!(f.sale_rate(d("0.90")), d("0.9"));
        assert_eq!(margin_percent(d("0.9"), d("0.9")), Some(d("0")));
        assert_eq!(margin_percent(d("0"), d("0")), None);
    }
}
