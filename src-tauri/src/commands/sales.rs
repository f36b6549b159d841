//! Sales commands (issue #15): customers with their totals, the selling price list, and the
//! revenue, cost and profit of a range for the Dashboard.

use serde::{Deserialize, Serialize};
use smm_engine::catalog::Platform;
use smm_engine::customers::{Customer, CustomerQuery, NewCustomer};
use smm_engine::pricing::{PriceRule, PriceScope};
use smm_engine::profit::{Earnings, EarningsGroup, Profit};
use smm_engine::stats::StatsQuery;
use tauri::State;

use super::{blocking, money, parse_money, parse_optional_time, time};
use crate::error::IpcError;
use crate::AppState;

/// Money earned in one currency (decimal strings).
#[derive(Debug, Clone, Serialize, specta::Type)]
#[serde(rename_all = "camelCase")]
pub struct EarningsView {
    /// The currency ("" when the provider never said).
    pub currency: String,
    /// Sold orders counted.
    pub orders: u32,
    /// What the customers were billed.
    pub revenue: String,
    /// What the providers charged for those orders.
    pub cost: String,
    /// `revenue − cost`.
    pub profit: String,
    /// `profit ÷ revenue` in percent (2 places); `null` without revenue.
    pub margin_percent: Option<String>,
}

impl From<Earnings> for EarningsView {
    fn from(e: Earnings) -> Self {
        Self {
            currency: e.currency,
            orders: u32::try_from(e.orders).unwrap_or(u32::MAX),
            revenue: money(e.revenue),
            cost: money(e.cost),
            profit: money(e.profit),
            margin_percent: e.margin_percent.map(money),
        }
    }
}

fn earnings(e: Vec<Earnings>) -> Vec<EarningsView> {
    e.into_iter().map(EarningsView::from).collect()
}

/// A customer with their totals.
#[derive(Debug, Clone, Serialize, specta::Type)]
#[serde(rename_all = "camelCase")]
pub struct CustomerView {
    /// Local id.
    #[specta(type = u32)]
    pub id: i64,
    /// The name.
    pub name: String,
    /// The contact, when given.
    pub contact: Option<String>,
    /// When added (RFC 3339).
    pub created_at: String,
    /// Orders placed for this customer (every state).
    pub orders: u32,
    /// The newest of those orders (RFC 3339).
    pub last_order_at: Option<String>,
    /// Billed, cost and profit of their settled sold orders, per currency.
    pub earnings: Vec<EarningsView>,
}

impl From<Customer> for CustomerView {
    fn from(c: Customer) -> Self {
        Self {
            id: c.id,
            name: c.name,
            contact: c.contact,
            created_at: time(c.created_at),
            orders: u32::try_from(c.orders).unwrap_or(u32::MAX),
            last_order_at: c.last_order_at.map(time),
            earnings: earnings(c.earnings),
        }
    }
}

/// Customers with totals, most recent order first; `search`: text of the name or contact.
#[tauri::command]
#[specta::specta]
pub async fn list_customers(
    state: State<'_, AppState>,
    search: Option<String>,
) -> Result<Vec<CustomerView>, IpcError> {
    let engine = state.engine()?;
    let q = CustomerQuery {
        search: search.filter(|s| !s.trim().is_empty()),
        limit: None,
    };
    let list = blocking(move || Ok(engine.customers(&q)?)).await?;
    Ok(list.into_iter().map(CustomerView::from).collect())
}

/// Adds a customer (a name taken is `customer.name_taken` on the `customer` field).
#[tauri::command]
#[specta::specta]
pub async fn add_customer(
    state: State<'_, AppState>,
    customer: NewCustomer,
) -> Result<CustomerView, IpcError> {
    let engine = state.engine()?;
    let added = blocking(move || Ok(engine.add_customer(&customer)?)).await?;
    Ok(added.into())
}

/// One customer with totals.
#[tauri::command]
#[specta::specta]
pub async fn get_customer(state: State<'_, AppState>, id: i32) -> Result<CustomerView, IpcError> {
    let engine = state.engine()?;
    Ok(blocking(move || Ok(engine.customer(id.into())?))
        .await?
        .into())
}

/// Changes a customer's contact (`null` or blank removes it); bad text is an
/// `input.invalid` on `contact`.
#[tauri::command]
#[specta::specta]
pub async fn set_customer_contact(
    state: State<'_, AppState>,
    id: i32,
    contact: Option<String>,
) -> Result<CustomerView, IpcError> {
    let engine = state.engine()?;
    let changed =
        blocking(move || Ok(engine.set_customer_contact(id.into(), contact.as_deref())?)).await?;
    Ok(changed.into())
}

/// What a price rule applies to: `default`, `platform`, `category` or `service`.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize, specta::Type)]
#[serde(rename_all = "snake_case")]
pub enum PriceLevel {
    /// Every service no other rule sets a value for.
    Default,
    /// One platform's services.
    Platform,
    /// One category, by name.
    Category,
    /// One service, by local id.
    Service,
}

/// One rule of the price list (amounts as decimal strings; `null`: from a less specific rule).
#[derive(Debug, Clone, Serialize, Deserialize, specta::Type)]
#[serde(rename_all = "camelCase")]
pub struct PriceRuleView {
    /// What it applies to.
    pub level: PriceLevel,
    /// The platform (`instagram`), category name or service id; "" for the default.
    pub target: String,
    /// Markup in percent.
    pub percent: Option<String>,
    /// Added per 1000.
    pub fixed: Option<String>,
    /// Least margin, in percent of the selling price.
    pub min_margin: Option<String>,
    /// Price step the selling rate is rounded up to.
    pub step: Option<String>,
    /// Manual selling rate per 1000 (service rules only).
    pub price: Option<String>,
}

impl From<PriceRule> for PriceRuleView {
    fn from(r: PriceRule) -> Self {
        let level = match r.scope {
            PriceScope::Default => PriceLevel::Default,
            PriceScope::Platform(_) => PriceLevel::Platform,
            PriceScope::Category(_) => PriceLevel::Category,
            PriceScope::Service(_) => PriceLevel::Service,
        };
        Self {
            level,
            target: r.scope.target(),
            percent: r.percent.map(money),
            fixed: r.fixed.map(money),
            min_margin: r.min_margin.map(money),
            step: r.step.map(money),
            price: r.price.map(money),
        }
    }
}

/// The engine's scope for a level and target; a bad target is `input.invalid` on `target`.
fn scope_of(level: PriceLevel, target: &str) -> Result<PriceScope, IpcError> {
    let target = target.trim();
    Ok(match level {
        PriceLevel::Default => PriceScope::Default,
        PriceLevel::Platform => PriceScope::Platform(
            Platform::parse(target)
                .ok_or_else(|| IpcError::input("target", format!("{target:?} is no platform")))?,
        ),
        PriceLevel::Category => PriceScope::Category(target.to_string()),
        PriceLevel::Service => PriceScope::Service(
            target
                .trim_start_matches('#')
                .parse()
                .map_err(|_| IpcError::input("target", format!("{target:?} is no service id")))?,
        ),
    })
}

fn amount(field: &str, v: Option<&String>) -> Result<Option<rust_decimal::Decimal>, IpcError> {
    v.filter(|t| !t.trim().is_empty())
        .map(|t| parse_money(field, t))
        .transpose()
}

/// Every rule of the price list, most general first.
#[tauri::command]
#[specta::specta]
pub async fn price_rules(state: State<'_, AppState>) -> Result<Vec<PriceRuleView>, IpcError> {
    let engine = state.engine()?;
    let rules = blocking(move || Ok(engine.price_rules()?)).await?;
    Ok(rules.into_iter().map(PriceRuleView::from).collect())
}

/// Stores a rule (replacing the rule of the same scope); bad input names its field.
#[tauri::command]
#[specta::specta]
pub async fn set_price_rule(
    state: State<'_, AppState>,
    rule: PriceRuleView,
) -> Result<PriceRuleView, IpcError> {
    let r = PriceRule {
        scope: scope_of(rule.level, &rule.target)?,
        percent: amount("percent", rule.percent.as_ref())?,
        fixed: amount("fixed", rule.fixed.as_ref())?,
        min_margin: amount("minMargin", rule.min_margin.as_ref())?,
        step: amount("step", rule.step.as_ref())?,
        price: amount("price", rule.price.as_ref())?,
    };
    let engine = state.engine()?;
    let stored = blocking(move || Ok(engine.set_price_rule(r)?)).await?;
    Ok(stored.into())
}

/// Removes the rule of one scope.
#[tauri::command]
#[specta::specta]
pub async fn remove_price_rule(
    state: State<'_, AppState>,
    level: PriceLevel,
    target: String,
) -> Result<PriceRuleView, IpcError> {
    let scope = scope_of(level, &target)?;
    let engine = state.engine()?;
    let removed = blocking(move || Ok(engine.remove_price_rule(&scope)?)).await?;
    Ok(removed.into())
}

/// Earnings of one group (a day, a provider, a customer…).
#[derive(Debug, Clone, Serialize, specta::Type)]
#[serde(rename_all = "camelCase")]
pub struct EarningsGroupView {
    /// The day (`2026-11-24`), the provider's or customer's name, the platform or category.
    pub key: String,
    /// Per currency.
    pub earnings: Vec<EarningsView>,
}

fn groups(g: Vec<EarningsGroup>) -> Vec<EarningsGroupView> {
    g.into_iter()
        .map(|g| EarningsGroupView {
            key: g.key,
            earnings: earnings(g.earnings),
        })
        .collect()
}

/// Revenue, cost and profit of a range.
#[derive(Debug, Clone, Serialize, specta::Type)]
#[serde(rename_all = "camelCase")]
pub struct ProfitView {
    /// Every sold order, per currency.
    pub overall: Vec<EarningsView>,
    /// Per UTC day, oldest first.
    pub per_day: Vec<EarningsGroupView>,
    /// Per provider.
    pub providers: Vec<EarningsGroupView>,
    /// Per platform.
    pub platforms: Vec<EarningsGroupView>,
    /// Per category.
    pub categories: Vec<EarningsGroupView>,
    /// The top customers by profit.
    pub customers: Vec<EarningsGroupView>,
    /// Orders placed without a sale price.
    pub unsold_orders: u32,
}

impl From<Profit> for ProfitView {
    fn from(p: Profit) -> Self {
        Self {
            overall: earnings(p.overall),
            per_day: groups(p.per_day),
            providers: groups(p.providers),
            platforms: groups(p.platforms),
            categories: groups(p.categories),
            customers: groups(p.customers),
            unsold_orders: u32::try_from(p.unsold_orders).unwrap_or(u32::MAX),
        }
    }
}

/// Revenue, cost and profit between `from` and `to` (RFC 3339): all real providers, or one
/// provider by name (the demo panel apart), like `dashboard_stats`.
#[tauri::command]
#[specta::specta]
pub async fn dashboard_profit(
    state: State<'_, AppState>,
    from: Option<String>,
    to: Option<String>,
    provider: Option<String>,
) -> Result<ProfitView, IpcError> {
    let q = StatsQuery {
        provider,
        from: parse_optional_time("from", from.as_deref())?,
        to: parse_optional_time("to", to.as_deref())?,
    };
    let engine = state.engine()?;
    let p = blocking(move || Ok(engine.profit(&q)?)).await?;
    Ok(p.into())
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn scopes_read_their_target_and_bad_ones_name_it() {
        assert_eq!(
            scope_of(PriceLevel::Default, "").unwrap(),
            PriceScope::Default
        );
        assert_eq!(
            scope_of(PriceLevel::Platform, "ig").unwrap(),
            PriceScope::Platform(Platform::Instagram)
        );
        assert_eq!(
            scope_of(PriceLevel::Service, "#12").unwrap(),
            PriceScope::Service(12)
        );
        for (level, bad) in [
            (PriceLevel::Platform, "myspace"),
            (PriceLevel::Service, "x"),
        ] {
            let e = scope_of(level, bad).unwrap_err();
            assert_eq!(e.field.as_deref(), Some("target"), "{bad}");
        }
    }
}
