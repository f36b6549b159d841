//! Placing an order safely (architecture.md §3): check, journal, send once, record the outcome.

use rusqlite::params;
use rust_decimal::Decimal;
use serde::Serialize;
use serde_json::json;
use smm_panel::{
    quantity_from, Delivery, OrderFields, PanelError, PlacedOrder, ServiceLimits, ServiceType,
};

use super::validate::{self, Checked};
use super::OrderError;
use super::{add_event, order_by_id, order_by_key, NewOrder, Order, OrderStatus};
use crate::engine::Engine;
use crate::error::{EngineError, Result};
use crate::money;
use crate::provider_call::ProviderCall;
use crate::providers::Provider;

/// The largest order request (comments, usernames…), in bytes.
pub const MAX_ORDER_BYTES: usize = smm_panel::MAX_ORDER_BYTES;
/// The most entries in one list (comments, usernames, keywords…).
pub const MAX_LIST_ENTRIES: usize = smm_panel::MAX_LIST_ENTRIES;
/// The longest idempotency key, in characters.
const MAX_KEY_CHARS: usize = 200;

/// What an order would cost, checked against the catalog, without placing it.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct OrderQuote {
    /// The provider's name.
    pub provider: String,
    /// The provider's service id.
    pub service_id: String,
    /// The service name.
    pub service_name: String,
    /// The service type.
    pub service_type: String,
    /// Units per run (or entries for list types).
    pub quantity: Option<u64>,
    /// Drip-feed runs.
    pub runs: Option<u64>,
    /// Estimated cost, all runs included.
    pub estimated_cost: Decimal,
    /// The provider's account currency.
    pub currency: Option<String>,
    /// The balance available for this order: the last known balance less the orders placed
    /// since it was read ([`Engine::available_balance`]).
    pub balance: Option<Decimal>,
    /// The estimate exceeds the available balance.
    pub exceeds_balance: bool,
    /// The customer, as stored (`None`: no customer).
    pub customer: Option<String>,
    /// The customer is not known yet: placing adds them.
    pub new_customer: bool,
    /// What the customer pays: the price given, else the price list's for this quantity.
    pub sale_price: Option<Decimal>,
    /// The sale price comes from the price list (not given with the order).
    pub sale_from_price_list: bool,
    /// `sale_price − estimated_cost`.
    pub profit: Option<Decimal>,
    /// The sale price is below the estimated cost: allowed, shown before placing.
    pub below_cost: bool,
}

/// The largest sale price of one order.
const MAX_SALE_PRICE: Decimal = Decimal::from_parts(1_000_000_000, 0, 0, false, 0);
/// The most decimal places of a sale price.
const SALE_PRICE_DP: u32 = 8;

/// The sale terms of a new order, checked.
#[derive(Debug, Clone, Default)]
pub(super) struct SaleTerms {
    /// The customer's name and key.
    pub(super) customer: Option<(String, String)>,
    /// The sale price.
    pub(super) price: Option<Decimal>,
    /// It comes from the price list.
    pub(super) from_price_list: bool,
}

/// Checks a sale price given with an order.
pub(crate) fn check_sale_price(p: Decimal) -> Result<Decimal> {
    if p.is_sign_negative() && !p.is_zero() {
        return Err(EngineError::input("sale_price", "must not be negative"));
    }
    if p > MAX_SALE_PRICE {
        return Err(EngineError::input(
            "sale_price",
            "must be at most 1000000000",
        ));
    }
    if p.normalize().scale() > SALE_PRICE_DP {
        return Err(EngineError::input(
            "sale_price",
            "has more than 8 decimal places",
        ));
    }
    Ok(p.normalize())
}

/// Checks an idempotency key given by the caller.
pub(crate) fn check_key(key: &str) -> Result<String, OrderError> {
    let k = key.trim();
    if k.is_empty() || k.chars().count() > MAX_KEY_CHARS || k.chars().any(char::is_control) {
        return Err(OrderError::IdempotencyKeyInvalid);
    }
    Ok(k.to_string())
}

/// A fresh random idempotency key.
pub(crate) fn generate_key() -> Result<String> {
    let mut bytes = [0u8; 16];
    getrandom::fill(&mut bytes).map_err(|e| EngineError::Internal(e.to_string()))?;
    Ok(bytes.iter().map(|b| format!("{b:02x}")).collect())
}

/// The provider reason code of a refusal, for `reject_reason`.
pub(crate) fn reject_code(e: &PanelError) -> String {
    match e {
        PanelError::Provider { reason, .. } => reason.code().to_string(),
        PanelError::Http { status, .. } => format!("http_{status}"),
        other => other.code(),
    }
}

/// The provider's message of a refusal, verbatim when it sent one.
pub(crate) fn provider_message(e: &PanelError) -> String {
    match e {
        PanelError::Provider { message, .. } => message.clone(),
        other => other.to_string(),
    }
}

impl Engine {
    /// Checks an order against the synced service and estimates its cost; writes nothing.
    pub fn quote_order(&self, new: &NewOrder) -> Result<OrderQuote> {
        let (provider, checked) = self.check_new_order(new)?;
        let sale = self.sale_terms(new, &checked)?;
        let new_customer = match &sale.customer {
            Some((_, key)) => self
                .store()
                .read(|c| crate::customers::id_by_name(c, key))?
                .is_none(),
            None => false,
        };
        let available = self.available_balance(&provider)?;
        let exceeds = available.is_some_and(|b| checked.estimated_cost > b);
        let profit = sale.price.map(|p| (p - checked.estimated_cost).normalize());
        Ok(OrderQuote {
            customer: sale.customer.map(|(name, _)| name),
            new_customer,
            sale_price: sale.price,
            sale_from_price_list: sale.from_price_list,
            below_cost: profit.is_some_and(|p| p.is_sign_negative() && !p.is_zero()),
            profit,
            provider: provider.name,
            service_id: checked.service.service_id.clone(),
            service_name: checked.service.name.clone(),
            service_type: checked.service.type_name.clone(),
            quantity: checked.quantity,
            runs: new.fields.runs,
            estimated_cost: checked.estimated_cost,
            currency: provider.currency,
            balance: available,
            exceeds_balance: exceeds,
        })
    }

    /// Places an order safely. The same idempotency key always returns the same order
    /// without a second `add`. Everything is checked before anything is written; the order is
    /// journaled (`submitting`) before the request starts; the answer makes it `pending`,
    /// `rejected`, `not_sent` (never left, after automatic retries) or `unknown` (may have
    /// been placed: never resent automatically, see [`Engine::resolve_order`]).
    pub async fn place_order(&self, new: NewOrder) -> Result<Order> {
        Ok(self.place(new, None, None).await?.order)
    }

    /// [`Engine::place_order`], also telling whether this call sent anything: a key that
    /// already names the same order answers it with `sent: false`; a key that names an order
    /// with other details is [`OrderError::IdempotencyConflict`] (nothing is sent).
    pub async fn place_order_reported(&self, new: NewOrder) -> Result<Placement> {
        self.place(new, None, None).await
    }

    /// Submits again an order that was certainly not placed (`not_placed`, `not_sent`,
    /// `rejected`), as a new attempt linked to it. Repeating the call returns the same attempt.
    pub async fn resubmit_order(&self, id: i64, force: bool) -> Result<Order> {
        self.resubmit_order_with(id, &OrderFields::default(), force)
            .await
    }

    /// [`Engine::resubmit_order`] with the fields set in `changes` replacing the stored ones
    /// (a corrected link, say).
    pub async fn resubmit_order_with(
        &self,
        id: i64,
        changes: &OrderFields,
        force: bool,
    ) -> Result<Order> {
        let new = self.resubmission(id, changes, force)?;
        Ok(self.place(new, Some(id), None).await?.order)
    }

    /// The new attempt a resubmission of order `id` would place (for a quote); writes nothing.
    pub fn resubmission(&self, id: i64, changes: &OrderFields, force: bool) -> Result<NewOrder> {
        let old = self.order(id)?;
        if !old.status.is_not_placed() {
            return Err(OrderError::NotResubmittable {
                id,
                status: old.status.to_string(),
            }
            .into());
        }
        let provider = self.provider_by_id(old.provider_id)?;
        let mut fields = OrderFields::from_stored(&old.params);
        fields.link.clone_from(&old.link);
        // Where lines make the quantity it is derived again, never stored twice.
        let service_type = ServiceType::parse(&old.service_type);
        fields.quantity = old
            .quantity
            .filter(|_| quantity_from(&service_type).is_none());
        fields.overlay(changes);
        Ok(NewOrder {
            provider: provider.name,
            service_id: old.service_id.clone(),
            fields,
            idempotency_key: Some(format!("{}/resubmit", old.idempotency_key)),
            force,
            // The same sale: the customer and price the first attempt was sold at.
            customer: old.customer.clone(),
            sale_price: old.sale_price,
        })
    }

    /// The customer and sale price of a checked order: the price given, else the price
    /// list's rate applied to the same units as the estimate.
    pub(super) fn sale_terms(&self, new: &NewOrder, checked: &Checked) -> Result<SaleTerms> {
        let customer = new
            .customer
            .as_deref()
            .filter(|c| !c.trim().is_empty())
            .map(crate::customers::check_name)
            .transpose()?;
        if let Some(p) = new.sale_price {
            return Ok(SaleTerms {
                customer,
                price: Some(check_sale_price(p)?),
                from_price_list: false,
            });
        }
        let quote = self.price_quote(checked.service.id, None)?;
        let price = (!quote.unpriced).then(|| {
            let rate = checked.service.rate;
            if rate.is_zero() {
                quote.sale_rate * Decimal::from(checked.quantity.unwrap_or(0))
                    / Decimal::ONE_THOUSAND
            } else {
                checked.estimated_cost * quote.sale_rate / rate
            }
            .normalize()
        });
        Ok(SaleTerms {
            customer,
            from_price_list: price.is_some(),
            price,
        })
    }

    fn check_new_order(&self, new: &NewOrder) -> Result<(Provider, Checked)> {
        let provider = self.provider(new.provider.trim())?;
        if !provider.active {
            return Err(EngineError::ProviderInactive(provider.name));
        }
        let service = self
            .store()
            .read(|c| validate::service_row(c, provider.id, &provider.name, &new.service_id))?;
        let checked = validate::check(new, service)?;
        Ok((provider, checked))
    }

    /// Places one attempt of a routed order ([`crate::routing`]): [`Engine::place_order`]'s
    /// path, with the route's `routed` event journaled with the order (and `rerouted` on the
    /// attempt before it) in the same transaction.
    pub(crate) async fn place_route_attempt(
        &self,
        new: NewOrder,
        step: &RouteStep,
    ) -> Result<Placement> {
        self.place(new, None, Some(step)).await
    }

    async fn place(
        &self,
        new: NewOrder,
        parent: Option<i64>,
        route: Option<&RouteStep>,
    ) -> Result<Placement> {
        let key = match &new.idempotency_key {
            Some(k) => check_key(k)?,
            None => generate_key()?,
        };
        if let Some(existing) = self.order_by_idempotency_key(&key)? {
            return replay(&key, existing, &new);
        }
        let (provider, checked) = self.check_new_order(&new)?;
        let sale = self.sale_terms(&new, &checked)?;
        if !new.force {
            if let Some(balance) = self.available_balance(&provider)? {
                if checked.estimated_cost > balance {
                    return Err(OrderError::InsufficientBalance {
                        cost: checked.estimated_cost,
                        balance,
                        currency: provider.currency.clone().unwrap_or_default(),
                    }
                    .into());
                }
            }
        }
        let client = self.client_for(&provider)?;
        let id = match self.journal(&key, &provider, &checked, &sale, parent, route)? {
            Ok(id) => id,
            Err(existing) => return replay(&key, *existing, &new),
        };
        // Under the provider's limits, shared with the scheduler's jobs (the user goes first).
        let call = self
            .call_provider(&provider, "add", || client.add(&checked.request))
            .await;
        let order = self.record_placement(&provider, id, &call)?;
        self.emit(crate::events::EngineEvent::OrdersChanged {
            ids: vec![order.id],
        });
        Ok(Placement { order, sent: true })
    }

    /// Journal first: commits the order in state `submitting`. `Err(existing)` when another
    /// call with the same key got there first (nothing is sent then).
    fn journal(
        &self,
        key: &str,
        provider: &Provider,
        checked: &Checked,
        sale: &SaleTerms,
        parent: Option<i64>,
        route: Option<&RouteStep>,
    ) -> Result<std::result::Result<i64, Box<Order>>> {
        let now = self.now_ms();
        let balance_before = provider.last_balance.map(money::to_text);
        let balance_at = provider.balance_checked_at.map(crate::clock::to_millis);
        self.store().write(|tx| {
            if let Some(existing) = order_by_key(tx, key)? {
                return Ok(Err(Box::new(existing)));
            }
            let s = &checked.service;
            let customer = match &sale.customer {
                Some((name, key)) => Some(crate::customers::find_or_add(tx, name, key, now)?),
                None => None,
            };
            tx.prepare_cached(
                "INSERT INTO orders (idempotency_key, provider_id, service_ref, service_id, \
                 service_name, service_type, service_rate, link, quantity, params, \
                 estimated_cost, currency, status, parent_order_id, created_at, updated_at, \
                 journal_balance, journal_balance_at, customer_id, sale_price) \
                 VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7, ?8, ?9, ?10, ?11, ?12, 'submitting', ?13, \
                 ?14, ?14, ?15, ?16, ?17, ?18)",
            )?
            .execute(params![
                key,
                provider.id,
                s.id,
                s.service_id,
                s.name,
                s.type_name,
                money::to_text(s.rate),
                checked.link,
                checked.quantity.map(|q| q as i64),
                checked.params.to_string(),
                money::to_text(checked.estimated_cost),
                provider.currency,
                parent,
                now,
                balance_before,
                balance_at,
                customer.map(|(id, _)| id),
                sale.price.map(money::to_text),
            ])?;
            let id = tx.last_insert_rowid();
            add_event(
                tx,
                id,
                now,
                "created",
                Some(OrderStatus::Submitting),
                &json!({
                    "estimated_cost": money::to_text(checked.estimated_cost),
                    "currency": provider.currency,
                    "balance_before": balance_before,
                    "service": { "id": s.service_id, "name": s.name, "type": s.type_name,
                                 "rate": money::to_text(s.rate) },
                    "parent_order_id": parent,
                    "customer": sale.customer.as_ref().map(|(name, _)| name),
                    "new_customer": customer.is_some_and(|(_, new)| new),
                    "sale_price": sale.price.map(money::to_text),
                }),
            )?;
            // The original remembers its resubmission (same transaction: both or neither).
            if let Some(parent) = parent {
                add_event(
                    tx,
                    parent,
                    now,
                    "resubmitted",
                    None,
                    &json!({ "new_order_id": id }),
                )?;
            }
            // A routed attempt: the route on its timeline, and the attempt before it (certainly
            // not placed) names this one.
            if let Some(step) = route {
                add_event(tx, id, now, "routed", None, &step.detail)?;
                if let Some(previous) = step.previous {
                    add_event(
                        tx,
                        previous,
                        now,
                        "rerouted",
                        None,
                        &json!({ "new_order_id": id, "provider": provider.name }),
                    )?;
                }
            }
            Ok(Ok(id))
        })
    }

    /// Records the answer to `add` and the API call in one transaction.
    fn record_placement(
        &self,
        provider: &Provider,
        id: i64,
        call: &ProviderCall<PlacedOrder>,
    ) -> Result<Order> {
        let (result, http_status) = (&call.result, call.entry.http_status);
        let now = self.now_ms();
        let order = self.record_call(provider, &call.entry, |tx| {
            // Crash recovery in another process may have marked the order unknown meanwhile:
            // a definite answer still wins over "unknown".
            let open = "WHERE id = ?1 AND status IN ('submitting', 'unknown')";
            match result {
                Ok(placed) => {
                    // An acceptance is recorded even if the order was meanwhile resolved as
                    // not placed (by hand, from another process): the provider has it.
                    let before: String =
                        tx.query_row("SELECT status FROM orders WHERE id = ?1", [id], |r| {
                            r.get(0)
                        })?;
                    let n = tx.execute(
                        "UPDATE orders SET status = 'pending', external_id = ?2, \
                         submitted_at = ?3, updated_at = ?3, last_error = NULL, \
                         finished_at = NULL \
                         WHERE id = ?1 AND status IN ('submitting', 'unknown', 'not_placed')",
                        params![id, placed.id, now],
                    )?;
                    if n > 0 {
                        add_event(
                            tx,
                            id,
                            now,
                            "accepted",
                            Some(OrderStatus::Pending),
                            &json!({ "external_id": placed.id, "was": before }),
                        )?;
                    }
                }
                Err(e) => {
                    let (status, kind) = match e.delivery() {
                        Delivery::Rejected => (OrderStatus::Rejected, "rejected"),
                        Delivery::NeverSent => (OrderStatus::NotSent, "not_sent"),
                        Delivery::MaybeSent => (OrderStatus::Unknown, "unknown"),
                    };
                    let reason = (status == OrderStatus::Rejected).then(|| reject_code(e));
                    let finished = (status != OrderStatus::Unknown).then_some(now);
                    tx.execute(
                        &format!(
                            "UPDATE orders SET status = ?2, reject_reason = ?3, last_error = ?4, \
                             updated_at = ?5, finished_at = ?6 {open}"
                        ),
                        params![id, status.as_str(), reason, e.to_string(), now, finished],
                    )?;
                    add_event(
                        tx,
                        id,
                        now,
                        kind,
                        Some(status),
                        &json!({
                            "code": e.code(),
                            "reason": reason,
                            "message": provider_message(e),
                            "http_status": http_status,
                        }),
                    )?;
                }
            }
            order_by_id(tx, id)
        })?;
        tracing::info!(
            order = id,
            provider = %provider.name,
            status = %order.status,
            external_id = order.external_id.as_deref().unwrap_or(""),
            "order placed"
        );
        Ok(order)
    }
}

/// What the journal records of a routed attempt ([`Engine::place_route_attempt`]).
#[derive(Debug, Clone)]
pub(crate) struct RouteStep {
    /// The `routed` event's detail (group, route key, attempt, earlier attempts, remaining).
    pub(crate) detail: serde_json::Value,
    /// The attempt before this one, which gets a `rerouted` event.
    pub(crate) previous: Option<i64>,
}

/// An order placed, or answered again under its idempotency key.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct Placement {
    /// The order.
    #[serde(flatten)]
    pub order: Order,
    /// Whether this call journaled it and sent the `add` (false: the key already named it,
    /// nothing new was sent).
    pub sent: bool,
}

/// The answer to a key that already names `existing`: the same order when `new` asks for the
/// same thing, a conflict naming what differs otherwise. Nothing is sent either way.
fn replay(key: &str, existing: Order, new: &NewOrder) -> Result<Placement> {
    let differs = differences(&existing, new);
    if differs.is_empty() {
        return Ok(Placement {
            order: existing,
            sent: false,
        });
    }
    Err(OrderError::IdempotencyConflict {
        key: key.to_string(),
        order: existing.id,
        differs,
    }
    .into())
}

/// What `new` asks for differently from `existing`, field by field (empty: the same order).
/// `new` is normalized by the order definition against the service as it was ordered, with
/// its limits lifted: a replay is compared, not checked again.
fn differences(existing: &Order, new: &NewOrder) -> Vec<String> {
    let mut differs = Vec::new();
    if new.provider.trim() != existing.provider {
        differs.push("provider".to_string());
    }
    if new.service_id.trim() != existing.service_id {
        differs.push("service".to_string());
    }
    // The sale terms are compared only where the caller gave them (a default was computed).
    if let Some(c) = new.customer.as_deref().filter(|c| !c.trim().is_empty()) {
        let key = crate::customers::check_name(c).map(|(_, k)| k).ok();
        if key != existing.customer.as_deref().map(str::to_lowercase) {
            differs.push("customer".to_string());
        }
    }
    if let Some(p) = new.sale_price {
        if Some(p.normalize()) != existing.sale_price.map(|e| e.normalize()) {
            differs.push("sale_price".to_string());
        }
    }
    let loose = ServiceLimits {
        min: 0,
        max: u64::MAX,
        dripfeed: true,
        rate: existing.service_rate,
    };
    let t = ServiceType::parse(&existing.service_type);
    let Ok(built) = new.fields.build(&existing.service_id, &t, &loose) else {
        differs.push("fields".to_string());
        return differs;
    };
    if built.link != existing.link {
        differs.push("link".to_string());
    }
    if built.quantity != existing.quantity {
        differs.push("quantity".to_string());
    }
    let empty = serde_json::Map::new();
    let (was, now) = (
        existing.params.as_object().unwrap_or(&empty),
        built.params.as_object().unwrap_or(&empty),
    );
    let mut keys: Vec<&String> = was.keys().chain(now.keys()).collect();
    keys.sort();
    keys.dedup();
    for k in keys {
        if was.get(k) != now.get(k) {
            differs.push(k.clone());
        }
    }
    differs
}
