//! The selling price list (issue #15): markup rules the reseller sets, evaluated most specific
//! first (service, category, platform, default), exact decimals throughout, in the service's
//! currency.
//!
//! [`Engine::set_price_rule`] stores a rule, [`Engine::price_rules`] lists them,
//! [`Engine::remove_price_rule`] removes one, and [`Engine::price_quote`] answers a service's
//! cost, selling price and margin (per 1000 and for a quantity). The formula is in
//! [`evaluate`].

pub mod evaluate;
mod margin;

use std::fmt;
use std::str::FromStr;

use rusqlite::{params, Connection, OptionalExtension, Row};
use rust_decimal::Decimal;
use serde::Serialize;

use crate::catalog::{CatalogService, Platform};
use crate::engine::Engine;
use crate::error::{EngineError, Result};
use crate::money;

pub use evaluate::{margin_percent, Formula};

/// Largest markup, in percent: above it is a typo, not a price.
pub const MAX_PERCENT: u32 = 10_000;
/// Largest fixed amount, step or manual price per 1000.
pub const MAX_AMOUNT: u32 = 1_000_000_000;
/// Longest category name a rule names, in characters.
pub const MAX_CATEGORY: usize = 500;

/// What a rule applies to.
#[derive(Debug, Clone, PartialEq, Eq, Hash)]
pub enum PriceScope {
    /// Every service no other rule sets a value for.
    Default,
    /// One platform's services.
    Platform(Platform),
    /// One category (by name, on any provider).
    Category(String),
    /// One service (its local id).
    Service(i64),
}

impl PriceScope {
    /// The stored level name.
    pub fn level(&self) -> &'static str {
        match self {
            Self::Default => "default",
            Self::Platform(_) => "platform",
            Self::Category(_) => "category",
            Self::Service(_) => "service",
        }
    }

    /// The stored target ('' for the default rule).
    pub fn target(&self) -> String {
        match self {
            Self::Default => String::new(),
            Self::Platform(p) => p.as_str().to_string(),
            Self::Category(c) => c.clone(),
            Self::Service(id) => id.to_string(),
        }
    }

    fn from_stored(level: &str, target: &str) -> rusqlite::Result<Self> {
        let bad = || {
            rusqlite::Error::FromSqlConversionFailure(
                1,
                rusqlite::types::Type::Text,
                format!("price rule scope {level:?} {target:?}").into(),
            )
        };
        Ok(match level {
            "default" => Self::Default,
            "platform" => Self::Platform(Platform::from_stored(target)),
            "category" => Self::Category(target.to_string()),
            "service" => Self::Service(target.parse().map_err(|_| bad())?),
            _ => return Err(bad()),
        })
    }
}

impl fmt::Display for PriceScope {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self {
            Self::Default => write!(f, "default"),
            Self::Platform(p) => write!(f, "platform {}", p.as_str()),
            Self::Category(c) => write!(f, "category {c:?}"),
            Self::Service(id) => write!(f, "service #{id}"),
        }
    }
}

impl Serialize for PriceScope {
    fn serialize<S: serde::Serializer>(&self, s: S) -> std::result::Result<S::Ok, S::Error> {
        use serde::ser::SerializeStruct;
        let mut st = s.serialize_struct("PriceScope", 2)?;
        st.serialize_field("level", self.level())?;
        st.serialize_field("target", &self.target())?;
        st.end()
    }
}

/// One rule of the price list. Unset settings come from a less specific rule.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct PriceRule {
    /// What it applies to.
    pub scope: PriceScope,
    /// The markup on the cost, in percent (0–10000).
    #[serde(with = "opt_money")]
    pub percent: Option<Decimal>,
    /// Added per 1000, in the service's currency.
    #[serde(with = "opt_money")]
    pub fixed: Option<Decimal>,
    /// The least margin, in percent of the selling price (0–99).
    #[serde(with = "opt_money")]
    pub min_margin: Option<Decimal>,
    /// The selling rate is rounded up to a multiple of this (> 0).
    #[serde(with = "opt_money")]
    pub step: Option<Decimal>,
    /// A manual selling rate per 1000 (service rules only); replaces the formula.
    #[serde(with = "opt_money")]
    pub price: Option<Decimal>,
}

impl PriceRule {
    /// A rule for `scope` with no settings of its own (each comes from a less specific rule).
    pub fn new(scope: PriceScope) -> Self {
        PriceRule {
            scope,
            percent: None,
            fixed: None,
            min_margin: None,
            step: None,
            price: None,
        }
    }
}

/// Optional amounts as exact decimal strings (never floats).
mod opt_money {
    use rust_decimal::Decimal;
    use serde::Serializer;

    pub fn serialize<S: Serializer>(v: &Option<Decimal>, s: S) -> Result<S::Ok, S::Error> {
        match v {
            Some(d) => s.serialize_str(&crate::money::to_text(*d)),
            None => s.serialize_none(),
        }
    }
}

/// A service's cost and selling price.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct PriceQuote {
    /// The service's local id.
    pub service: i64,
    /// The provider's name.
    pub provider: String,
    /// The provider's service id.
    pub service_id: String,
    /// The service's name.
    pub name: String,
    /// The provider's account currency, when known.
    pub currency: Option<String>,
    /// The provider's rate per 1000.
    #[serde(serialize_with = "money_text")]
    pub cost_rate: Decimal,
    /// The selling rate per 1000.
    #[serde(serialize_with = "money_text")]
    pub sale_rate: Decimal,
    /// `(sale − cost) / sale`, in percent (2 places); `null` for a free sale.
    #[serde(with = "opt_money")]
    pub margin_percent: Option<Decimal>,
    /// Whether the selling rate is the service's manual price.
    pub manual: bool,
    /// Whether no rule applies (the selling rate is then the cost).
    pub unpriced: bool,
    /// The quantity quoted, when one was asked for.
    pub quantity: Option<u64>,
    /// The provider's charge for that quantity (`cost_rate × quantity / 1000`).
    #[serde(with = "opt_money")]
    pub cost: Option<Decimal>,
    /// The selling price for that quantity (`sale_rate × quantity / 1000`).
    #[serde(with = "opt_money")]
    pub sale: Option<Decimal>,
}

fn money_text<S: serde::Serializer>(d: &Decimal, s: S) -> std::result::Result<S::Ok, S::Error> {
    s.serialize_str(&money::to_text(*d))
}

/// Checks one amount of a rule: within `0..=max` (`0 < v` when `positive`).
fn check_amount(
    field: &'static str,
    v: Option<Decimal>,
    max: Decimal,
    positive: bool,
) -> Result<()> {
    let Some(v) = v else { return Ok(()) };
    if v.is_sign_negative() && !v.is_zero() {
        return Err(EngineError::input(field, "must not be negative"));
    }
    if positive && v.is_zero() {
        return Err(EngineError::input(field, "must be above 0"));
    }
    if v > max {
        return Err(EngineError::input(
            field,
            format!("must be at most {}", money::to_text(max)),
        ));
    }
    if v.scale() > 10 {
        return Err(EngineError::input(field, "has more than 10 decimal places"));
    }
    Ok(())
}

/// Checks a rule before it is stored; `conn` resolves its target.
fn validate(conn: &Connection, rule: &PriceRule) -> Result<()> {
    let settings = [
        rule.percent,
        rule.fixed,
        rule.min_margin,
        rule.step,
        rule.price,
    ];
    if settings.iter().all(Option::is_none) {
        return Err(EngineError::input(
            "rule",
            "set at least one of percent, fixed, min margin, step or price",
        ));
    }
    check_amount("percent", rule.percent, Decimal::from(MAX_PERCENT), false)?;
    check_amount("fixed", rule.fixed, Decimal::from(MAX_AMOUNT), false)?;
    check_amount("min_margin", rule.min_margin, Decimal::from(99), false)?;
    check_amount("step", rule.step, Decimal::from(MAX_AMOUNT), true)?;
    check_amount("price", rule.price, Decimal::from(MAX_AMOUNT), true)?;
    match &rule.scope {
        PriceScope::Service(id) => {
            let exists: bool = conn.query_row(
                "SELECT EXISTS (SELECT 1 FROM services WHERE id = ?1)",
                [id],
                |r| r.get(0),
            )?;
            if !exists {
                return Err(EngineError::input("service", format!("no service #{id}")));
            }
        }
        PriceScope::Category(name) => {
            if name.trim().is_empty() || name.trim() != name {
                return Err(EngineError::input(
                    "category",
                    "must be a category's exact name (no leading or trailing spaces)",
                ));
            }
            if name.chars().count() > MAX_CATEGORY {
                return Err(EngineError::input(
                    "category",
                    format!("is longer than {MAX_CATEGORY} characters"),
                ));
            }
            let exists: bool = conn.query_row(
                "SELECT EXISTS (SELECT 1 FROM services WHERE category = ?1 AND removed_at IS NULL)",
                [name],
                |r| r.get(0),
            )?;
            if !exists {
                return Err(EngineError::input(
                    "category",
                    format!("no service is in category {name:?}"),
                ));
            }
        }
        PriceScope::Platform(_) | PriceScope::Default => {}
    }
    if rule.price.is_some() && !matches!(rule.scope, PriceScope::Service(_)) {
        return Err(EngineError::input(
            "price",
            "a manual price is set on one service's rule",
        ));
    }
    Ok(())
}

const RULE_COLUMNS: &str = "scope, target, percent, fixed, min_margin, step, price";

fn rule_from_row(r: &Row<'_>) -> rusqlite::Result<PriceRule> {
    let amount = |i: usize| -> rusqlite::Result<Option<Decimal>> {
        r.get::<_, Option<String>>(i)?
            .map(|t| {
                Decimal::from_str(&t).map_err(|e| {
                    rusqlite::Error::FromSqlConversionFailure(
                        i,
                        rusqlite::types::Type::Text,
                        e.into(),
                    )
                })
            })
            .transpose()
    };
    Ok(PriceRule {
        scope: PriceScope::from_stored(&r.get::<_, String>(0)?, &r.get::<_, String>(1)?)?,
        percent: amount(2)?,
        fixed: amount(3)?,
        min_margin: amount(4)?,
        step: amount(5)?,
        price: amount(6)?,
    })
}

fn stored_rule(conn: &Connection, scope: &PriceScope) -> Result<Option<PriceRule>> {
    Ok(conn
        .query_row(
            &format!("SELECT {RULE_COLUMNS} FROM price_rules WHERE scope = ?1 AND target = ?2"),
            params![scope.level(), scope.target()],
            rule_from_row,
        )
        .optional()?)
}

/// The rules that apply to a service, most specific first.
fn rules_for(
    conn: &Connection,
    service: i64,
    category: &str,
    platform: Platform,
) -> Result<Vec<PriceRule>> {
    let mut stmt = conn.prepare_cached(&format!(
        "SELECT {RULE_COLUMNS} FROM price_rules \
         WHERE (scope = 'service' AND target = ?1) OR (scope = 'category' AND target = ?2) \
            OR (scope = 'platform' AND target = ?3) OR scope = 'default' \
         ORDER BY CASE scope WHEN 'service' THEN 0 WHEN 'category' THEN 1 \
                             WHEN 'platform' THEN 2 ELSE 3 END"
    ))?;
    let rules = stmt
        .query_map(
            params![service.to_string(), category, platform.as_str()],
            rule_from_row,
        )?
        .collect::<rusqlite::Result<Vec<_>>>()?;
    Ok(rules)
}

/// A service's selling rate, from [`Engine::sale_rates`].
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct SaleRate {
    /// The service's local id.
    pub service: i64,
    /// The provider's rate per 1000.
    #[serde(serialize_with = "money_text")]
    pub cost_rate: Decimal,
    /// The selling rate per 1000.
    #[serde(serialize_with = "money_text")]
    pub sale_rate: Decimal,
    /// `(sale − cost) / sale`, in percent (2 places); `null` for a free sale.
    #[serde(with = "opt_money")]
    pub margin_percent: Option<Decimal>,
    /// Whether the selling rate is the service's manual price.
    pub manual: bool,
    /// Whether no rule applies (the selling rate is then the cost).
    pub unpriced: bool,
}

/// The rules of `all` (any order) that apply to `s`, most specific first.
fn applicable<'a>(all: &'a [PriceRule], s: &CatalogService) -> Vec<&'a PriceRule> {
    let rank = |r: &PriceRule| -> Option<u8> {
        match &r.scope {
            PriceScope::Service(id) if *id == s.id => Some(0),
            PriceScope::Category(c) if *c == s.category => Some(1),
            PriceScope::Platform(p) if *p == s.platform => Some(2),
            PriceScope::Default => Some(3),
            _ => None,
        }
    };
    let mut rules: Vec<(u8, &PriceRule)> =
        all.iter().filter_map(|r| rank(r).map(|k| (k, r))).collect();
    rules.sort_by_key(|(k, _)| *k);
    rules.into_iter().map(|(_, r)| r).collect()
}

/// `rate × quantity / 1000`, exact.
fn for_quantity(rate: Decimal, quantity: u64) -> Decimal {
    (rate * Decimal::from(quantity) / Decimal::ONE_THOUSAND).normalize()
}

impl Engine {
    /// Stores a rule of the price list, replacing the rule of the same scope; answers it.
    /// Bad input (a negative or absurd markup, a zero step, a manual price outside a service
    /// rule, an unknown service or category) is an `input.invalid` error naming the field, and
    /// nothing is written.
    pub fn set_price_rule(&self, rule: PriceRule) -> Result<PriceRule> {
        let now = self.now_ms();
        let text = |v: Option<Decimal>| v.map(money::to_text);
        self.store().write(|tx| {
            validate(tx, &rule)?;
            tx.execute(
                "INSERT INTO price_rules \
                 (scope, target, percent, fixed, min_margin, step, price, updated_at) \
                 VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7, ?8) \
                 ON CONFLICT (scope, target) DO UPDATE SET percent = excluded.percent, \
                   fixed = excluded.fixed, min_margin = excluded.min_margin, \
                   step = excluded.step, price = excluded.price, updated_at = excluded.updated_at",
                params![
                    rule.scope.level(),
                    rule.scope.target(),
                    text(rule.percent),
                    text(rule.fixed),
                    text(rule.min_margin),
                    text(rule.step),
                    text(rule.price),
                    now
                ],
            )?;
            stored_rule(tx, &rule.scope)?
                .ok_or_else(|| EngineError::Internal("a stored price rule vanished".into()))
        })
    }

    /// The rule of one scope, if there is one.
    pub fn price_rule(&self, scope: &PriceScope) -> Result<Option<PriceRule>> {
        self.store().read(|c| stored_rule(c, scope))
    }

    /// Every rule, most general first (default, platforms, categories, services).
    pub fn price_rules(&self) -> Result<Vec<PriceRule>> {
        self.store().read(|c| {
            let mut stmt = c.prepare_cached(&format!(
                "SELECT {RULE_COLUMNS} FROM price_rules \
                 ORDER BY CASE scope WHEN 'default' THEN 0 WHEN 'platform' THEN 1 \
                                     WHEN 'category' THEN 2 ELSE 3 END, target"
            ))?;
            let rules = stmt
                .query_map([], rule_from_row)?
                .collect::<rusqlite::Result<Vec<_>>>()?;
            Ok(rules)
        })
    }

    /// Removes the rule of one scope; answers it (`input.invalid` on `scope` when there is none).
    pub fn remove_price_rule(&self, scope: &PriceScope) -> Result<PriceRule> {
        self.store().write(|tx| {
            let rule = stored_rule(tx, scope)?.ok_or_else(|| {
                EngineError::input("scope", format!("there is no {scope} price rule"))
            })?;
            tx.execute(
                "DELETE FROM price_rules WHERE scope = ?1 AND target = ?2",
                params![scope.level(), scope.target()],
            )?;
            Ok(rule)
        })
    }

    /// The selling rates of many services (a catalog page): the price list is read once and
    /// each service's [`Formula`] evaluated in memory; the same answers as
    /// [`Engine::price_quote`] without a quantity, in the order of `services`.
    pub fn sale_rates(&self, services: &[CatalogService]) -> Result<Vec<SaleRate>> {
        if services.is_empty() {
            return Ok(Vec::new());
        }
        let all = self.price_rules()?;
        Ok(services
            .iter()
            .map(|s| {
                let formula = Formula::from_rules(applicable(&all, s));
                let sale_rate = formula.sale_rate(s.rate);
                SaleRate {
                    service: s.id,
                    cost_rate: s.rate.normalize(),
                    sale_rate,
                    margin_percent: margin_percent(s.rate, sale_rate),
                    manual: formula.manual.is_some(),
                    unpriced: formula.is_empty(),
                }
            })
            .collect())
    }

    /// A service's cost, selling rate and margin, and the same for `quantity` when given.
    pub fn price_quote(&self, service: i64, quantity: Option<u64>) -> Result<PriceQuote> {
        if quantity == Some(0) {
            return Err(EngineError::input("quantity", "must be at least 1"));
        }
        let s = self.service(service)?;
        let rules = self
            .store()
            .read(|c| rules_for(c, s.id, &s.category, s.platform))?;
        let formula = Formula::from_rules(&rules);
        let sale_rate = formula.sale_rate(s.rate);
        Ok(PriceQuote {
            service: s.id,
            provider: s.provider,
            service_id: s.service_id,
            name: s.name,
            currency: s.currency,
            cost_rate: s.rate.normalize(),
            sale_rate,
            margin_percent: margin_percent(s.rate, sale_rate),
            manual: formula.manual.is_some(),
            unpriced: formula.is_empty(),
            quantity,
            cost: quantity.map(|q| for_quantity(s.rate, q)),
            sale: quantity.map(|q| for_quantity(sale_rate, q)),
        })
    }
}
