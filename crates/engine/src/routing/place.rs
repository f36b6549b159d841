//! Placing a routed order: at the best member of an offer group that can take it, moving on
//! to the next member only when the attempt was certainly not placed.
//!
//! Each attempt is an ordinary order placed through [`Engine::place_order`]'s path (journal
//! first, one `add`, outcome classes), with the idempotency key `<route key>/route/<n>`. The
//! next member is tried only after a definite rejection or a request that provably never left
//! (`rejected`, `not_sent`); an accepted order ends the route, and an unknown outcome stops it
//! (the order stays `unknown`, the members not tried are named): never a second provider for
//! an order that may exist. The route's key names the route (`routes`), so the same routed
//! request again answers the same result without calling any provider.

use rusqlite::{params, Connection, OptionalExtension};
use rust_decimal::Decimal;
use serde::Serialize;
use serde_json::{json, Value};

use super::{MemberRef, MemberSkip, RouteError, RouteGroup, RouteRule, MAX_GROUP_MEMBERS};
use crate::engine::Engine;
use crate::error::{EngineError, Result};
use crate::orders::{
    add_event, check_key, check_order, check_sale_price, generate_key, order_by_key,
    service_row_of, NewOrder, Order, OrderError, OrderStatus, RouteStep,
};
use crate::providers::Provider;
use crate::scheduler::JobState;

/// One attempt of a routed order: an order at one member.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct RouteAttempt {
    /// 1-based attempt number.
    pub attempt: u32,
    /// The order.
    pub order_id: i64,
    /// The provider's name.
    pub provider: String,
    /// The provider's service id.
    pub service_id: String,
    /// Where the order stands.
    pub status: OrderStatus,
    /// The typed reason when the provider refused it.
    pub reject_reason: Option<String>,
    /// Estimated cost.
    pub estimated_cost: Decimal,
}

/// What a routed order did.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct RoutedPlacement {
    /// The routed request's idempotency key (the same key answers this again).
    pub route_key: String,
    /// The offer group.
    pub group: String,
    /// The last attempt: accepted, unknown (resolve it), or refused when every member that
    /// could take the order refused it.
    pub order: Order,
    /// Every attempt, first first.
    pub attempts: Vec<RouteAttempt>,
    /// The members passed over by this call, and why (inactive, offline, balance, min/max…).
    pub skipped: Vec<MemberSkip>,
    /// The members not tried. When the order is `unknown` these are where it could still go
    /// once it is resolved as not placed.
    pub remaining: Vec<MemberRef>,
    /// Whether this call sent anything (false: the key already named this route).
    pub sent: bool,
}

/// Where a routed order would go now, best first, and the members passed over.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct RoutePreview {
    /// The group.
    pub group: String,
    /// Its rule.
    pub rule: RouteRule,
    /// The members that can take the order, in the order they would be tried.
    pub candidates: Vec<RouteChoice>,
    /// The members that cannot, and why.
    pub skipped: Vec<MemberSkip>,
}

/// One member that can take a routed order.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct RouteChoice {
    /// The provider's name.
    pub provider: String,
    /// The provider's service id.
    pub service_id: String,
    /// Estimated cost there.
    pub estimated_cost: Decimal,
    /// The provider's currency.
    pub currency: Option<String>,
}

/// A stored routed request.
struct Route {
    id: i64,
    group_name: String,
    request: Value,
    finished: bool,
}

/// A member that can take the order, with what it would cost there.
struct Candidate {
    position: u32,
    provider: Provider,
    service_id: String,
    cost: Decimal,
}

/// The members that can take an order, best first, and why the others cannot.
struct Selection {
    candidates: Vec<Candidate>,
    skipped: Vec<MemberSkip>,
    /// The checks' own errors, one per skipped member (`None` for a skip of another kind).
    errors: Vec<Option<EngineError>>,
}

/// The idempotency key of attempt `n` of route `key`.
fn attempt_key(key: &str, n: usize) -> String {
    format!("{key}/route/{n}")
}

/// What a routed request asks for, as stored and compared on a replay (no key, no force).
fn request_of(group: &str, new: &NewOrder) -> Value {
    json!({
        "group": group.trim().to_lowercase(),
        "fields": serde_json::to_value(&new.fields).unwrap_or(Value::Null),
        "customer": new.customer.as_deref().map(str::trim).filter(|c| !c.is_empty())
            .map(str::to_lowercase),
        "sale_price": new.sale_price.map(|p| crate::money::to_text(p.normalize())),
    })
}

/// What `new` asks differently from `stored` (empty: the same request).
fn differences(stored: &Value, new: &Value) -> Vec<String> {
    let mut differs = Vec::new();
    for k in ["group", "customer", "sale_price"] {
        if stored.get(k) != new.get(k) {
            differs.push(k.to_string());
        }
    }
    let empty = serde_json::Map::new();
    let field_map = |v: &Value| v.get("fields").and_then(Value::as_object).cloned();
    let (was, now) = (
        field_map(stored).unwrap_or_else(|| empty.clone()),
        field_map(new).unwrap_or(empty),
    );
    let mut keys: Vec<&String> = was.keys().chain(now.keys()).collect();
    keys.sort();
    keys.dedup();
    for k in keys {
        let none = Value::Null;
        let (a, b) = (was.get(k).unwrap_or(&none), now.get(k).unwrap_or(&none));
        let blank = |v: &Value| v.is_null() || v.as_array().is_some_and(|a| a.is_empty());
        if a != b && !(blank(a) && blank(b)) {
            differs.push(k.clone());
        }
    }
    differs
}

fn route_by_key(conn: &Connection, key: &str) -> Result<Option<Route>> {
    let row = conn
        .prepare_cached(
            "SELECT id, group_name, request, finished_at IS NOT NULL FROM routes \
             WHERE idempotency_key = ?1",
        )?
        .query_row([key], |r| {
            Ok((
                r.get::<_, i64>(0)?,
                r.get::<_, String>(1)?,
                r.get::<_, String>(2)?,
                r.get::<_, bool>(3)?,
            ))
        })
        .optional()?;
    row.map(|(id, group_name, request, finished)| {
        Ok(Route {
            id,
            group_name,
            request: serde_json::from_str(&request)
                .map_err(|e| EngineError::Internal(format!("stored route request: {e}")))?,
            finished,
        })
    })
    .transpose()
}

/// The attempts of route `key`, in order (keys `<key>/route/1`, `/2`, … with no gap).
fn attempts_of(conn: &Connection, key: &str) -> Result<Vec<Order>> {
    let mut out = Vec::new();
    for n in 1..=MAX_GROUP_MEMBERS + 1 {
        match order_by_key(conn, &attempt_key(key, n))? {
            Some(o) => out.push(o),
            None => break,
        }
    }
    Ok(out)
}

fn attempt_of(n: usize, o: &Order) -> RouteAttempt {
    RouteAttempt {
        attempt: n as u32 + 1,
        order_id: o.id,
        provider: o.provider.clone(),
        service_id: o.service_id.clone(),
        status: o.status,
        reject_reason: o.reject_reason.clone(),
        estimated_cost: o.estimated_cost,
    }
}

/// Checks the sale terms given with a routed order (as every attempt would).
fn check_sale(new: &NewOrder) -> Result<()> {
    if let Some(c) = new.customer.as_deref().filter(|c| !c.trim().is_empty()) {
        crate::customers::check_name(c)?;
    }
    if let Some(p) = new.sale_price {
        check_sale_price(p)?;
    }
    Ok(())
}

/// The error for a routed order no member can take: the members' own error when they all
/// failed the same check of the order's fields (a bad link, a missing field), "no member
/// accepts this quantity" when min/max ruled every one out, else every member's reason.
fn no_member(
    group: &str,
    skipped: Vec<MemberSkip>,
    errors: Vec<Option<EngineError>>,
) -> EngineError {
    let quantity = |c: &str| c == "order.quantity_below_min" || c == "order.quantity_above_max";
    if !skipped.is_empty() && skipped.iter().all(|s| quantity(&s.code)) {
        return RouteError::QuantityUnaccepted {
            group: group.to_string(),
            skipped,
        }
        .into();
    }
    let same_form_error = skipped.first().is_some_and(|first| {
        first.code.starts_with("order.")
            && !quantity(&first.code)
            && first.code != "order.service_not_found"
            && first.code != "order.insufficient_balance"
            && skipped.iter().all(|s| s.code == first.code)
    });
    if same_form_error {
        if let Some(e) = errors.into_iter().flatten().next() {
            return e;
        }
    }
    RouteError::NoProvider {
        group: group.to_string(),
        skipped,
    }
    .into()
}

impl Engine {
    /// Places `new` (its provider and service left empty) at the best member of offer group
    /// `group` that can take it now: active, not offline, enough available balance (unless
    /// `force`), min/max accepting the quantity; the cheapest (or the user's first) of them.
    /// A definite rejection or a request that never left moves on to the next member; an
    /// unknown outcome stops the routing. The same idempotency key answers the same result
    /// without sending anything; nothing is written when no member can take the order.
    pub async fn place_routed_order(&self, group: &str, new: NewOrder) -> Result<RoutedPlacement> {
        if !new.provider.trim().is_empty() || !new.service_id.trim().is_empty() {
            return Err(EngineError::input(
                "group",
                "give an offer group or a provider and service, not both",
            ));
        }
        if group.trim().is_empty() {
            return Err(EngineError::input(
                "group",
                "the offer group's name is empty",
            ));
        }
        let key = match &new.idempotency_key {
            Some(k) => check_key(k)?,
            None => generate_key()?,
        };
        let request = request_of(group, &new);
        let existing = self.store().read(|c| route_by_key(c, &key))?;
        if let Some(route) = &existing {
            self.check_replay(&key, route, &request)?;
            if route.finished {
                return self.route_report(&key, &route.group_name, Vec::new(), false);
            }
        }
        let g = self.offer_group(group)?;
        check_sale(&new)?;
        let offline = self.offline_providers()?;
        let route_id = match existing {
            Some(route) => route.id,
            None => {
                // Nothing is written unless some member can take the order.
                let first = self.select(&g, &new, &[], &offline)?;
                if first.candidates.is_empty() {
                    return Err(no_member(&g.name, first.skipped, first.errors));
                }
                self.open_route(&key, &g, &request)?
            }
        };
        self.route_from(route_id, &key, &g, &new, &offline).await
    }

    /// Where a routed order would go now (the members in the order they would be tried) and
    /// why the others would be passed over; writes nothing, sends nothing.
    pub fn preview_routed_order(&self, group: &str, new: &NewOrder) -> Result<RoutePreview> {
        let g = self.offer_group(group)?;
        check_sale(new)?;
        let s = self.select(&g, new, &[], &self.offline_providers()?)?;
        if s.candidates.is_empty() {
            return Err(no_member(&g.name, s.skipped, s.errors));
        }
        Ok(RoutePreview {
            group: g.name,
            rule: g.rule,
            candidates: s
                .candidates
                .into_iter()
                .map(|c| RouteChoice {
                    provider: c.provider.name,
                    service_id: c.service_id,
                    estimated_cost: c.cost,
                    currency: c.provider.currency,
                })
                .collect(),
            skipped: s.skipped,
        })
    }

    /// The providers the scheduler counts as offline (their jobs keep failing).
    pub(super) fn offline_providers(&self) -> Result<Vec<String>> {
        Ok(self
            .provider_health()?
            .into_iter()
            .filter(|h| h.state == JobState::Offline)
            .map(|h| h.provider)
            .collect())
    }

    /// Checks that some member of `g` can take `new` now (or that its key already names a
    /// route); writes nothing.
    pub(super) fn check_routed_line(
        &self,
        g: &RouteGroup,
        new: &NewOrder,
        offline: &[String],
    ) -> Result<()> {
        if let Some(key) = &new.idempotency_key {
            if self.store().read(|c| route_by_key(c, key))?.is_some() {
                return Ok(());
            }
        }
        check_sale(new)?;
        let s = self.select(g, new, &[], offline)?;
        if s.candidates.is_empty() {
            return Err(no_member(&g.name, s.skipped, s.errors));
        }
        Ok(())
    }

    /// A replay must ask for the same thing as the stored route.
    fn check_replay(&self, key: &str, route: &Route, request: &Value) -> Result<()> {
        let differs = differences(&route.request, request);
        if differs.is_empty() {
            return Ok(());
        }
        let order = self
            .store()
            .read(|c| attempts_of(c, key))?
            .last()
            .map_or(0, |o| o.id);
        Err(OrderError::IdempotencyConflict {
            key: key.to_string(),
            order,
            differs,
        }
        .into())
    }

    /// Records the routed request (or finds the one a concurrent call recorded first).
    fn open_route(&self, key: &str, g: &RouteGroup, request: &Value) -> Result<i64> {
        let now = self.now_ms();
        let raced = self.store().write(|tx| {
            if let Some(route) = route_by_key(tx, key)? {
                return Ok(Err(route));
            }
            tx.execute(
                "INSERT INTO routes (idempotency_key, group_id, group_name, request, created_at) \
                 VALUES (?1, ?2, ?3, ?4, ?5)",
                params![key, g.id, g.name, request.to_string(), now],
            )?;
            Ok(Ok(tx.last_insert_rowid()))
        })?;
        match raced {
            Ok(id) => Ok(id),
            Err(route) => {
                self.check_replay(key, &route, request)?;
                Ok(route.id)
            }
        }
    }

    /// The attempts, one member after another, until one is placed or may be.
    async fn route_from(
        &self,
        route_id: i64,
        key: &str,
        g: &RouteGroup,
        new: &NewOrder,
        offline: &[String],
    ) -> Result<RoutedPlacement> {
        let mut passed_over: Vec<MemberSkip> = Vec::new();
        let mut excluded: Vec<(i64, String)> = Vec::new();
        let mut sent = false;
        // The members the last selection passed over (inactive, balance, min/max…).
        let mut last_skipped: Vec<MemberSkip> = Vec::new();
        // Each round journals an attempt or rules a member out: bounded by the members.
        for _ in 0..=2 * MAX_GROUP_MEMBERS + 2 {
            let attempts = self.store().read(|c| attempts_of(c, key))?;
            if let Some(last) = attempts.last() {
                if !last.status.is_not_placed() {
                    // Accepted, unknown, or still being sent (by another call): the route
                    // ends here, whatever happens to this order.
                    if last.status == OrderStatus::Unknown && sent {
                        let remaining = self.untried(g, &attempts);
                        self.note(
                            last.id,
                            "route_stopped",
                            json!({
                                "reason": "the outcome is unknown: the order may exist, so no \
                                           other provider is tried",
                                "remaining": remaining,
                            }),
                        )?;
                    }
                    self.finish_route(route_id)?;
                    let mut skipped = passed_over;
                    skipped.extend(last_skipped);
                    return self.route_report(key, &g.name, skipped, sent);
                }
            }
            let mut tried: Vec<(i64, String)> = attempts
                .iter()
                .map(|o| (o.provider_id, o.service_id.clone()))
                .collect();
            tried.extend(excluded.iter().cloned());
            let selection = self.select(g, new, &tried, offline)?;
            last_skipped.clone_from(&selection.skipped);
            let Some(best) = selection.candidates.first() else {
                let mut skipped = passed_over;
                skipped.extend(selection.skipped);
                if let Some(last) = attempts.last() {
                    if sent {
                        self.note(
                            last.id,
                            "route_exhausted",
                            json!({ "attempts": attempts.len(), "skipped": skipped }),
                        )?;
                    }
                }
                self.finish_route(route_id)?;
                if attempts.is_empty() {
                    return Err(no_member(&g.name, skipped, selection.errors));
                }
                return self.route_report(key, &g.name, skipped, sent);
            };
            let n = attempts.len() + 1;
            let attempt_key = attempt_key(key, n);
            let mut attempt = new.clone();
            attempt.provider.clone_from(&best.provider.name);
            attempt.service_id.clone_from(&best.service_id);
            attempt.idempotency_key = Some(attempt_key.clone());
            let step = RouteStep {
                detail: json!({
                    "group": g.name,
                    "rule": g.rule,
                    "route_key": key,
                    "attempt": n,
                    "provider": best.provider.name,
                    "service_id": best.service_id,
                    "previous": attempts.iter().map(|o| json!({
                        "order_id": o.id,
                        "provider": o.provider,
                        "service_id": o.service_id,
                        "status": o.status,
                        "reason": o.reject_reason,
                        "error": o.last_error,
                    })).collect::<Vec<_>>(),
                    "remaining": selection.candidates[1..].iter()
                        .map(|c| MemberRef::new(&c.provider.name, &c.service_id))
                        .collect::<Vec<_>>(),
                    "skipped": passed_over.iter().chain(&selection.skipped).collect::<Vec<_>>(),
                }),
                previous: attempts.last().map(|o| o.id),
            };
            match self.place_route_attempt(attempt, &step).await {
                Ok(p) => sent |= p.sent,
                Err(e) => {
                    if self.order_by_idempotency_key(&attempt_key)?.is_none() {
                        // Refused before anything was journaled (a balance read since, say):
                        // nothing was sent, the next member may take it.
                        passed_over.push(MemberSkip {
                            provider: best.provider.name.clone(),
                            service_id: best.service_id.clone(),
                            code: e.code().to_string(),
                            message: e.to_string(),
                        });
                        excluded.push((best.provider.id, best.service_id.clone()));
                    }
                }
            }
        }
        Err(EngineError::Internal(
            "routing did not end within the group's members".into(),
        ))
    }

    /// The members that can take `new`, best first by the group's rule; `tried` are left out.
    fn select(
        &self,
        g: &RouteGroup,
        new: &NewOrder,
        tried: &[(i64, String)],
        offline: &[String],
    ) -> Result<Selection> {
        let mut s = Selection {
            candidates: Vec::new(),
            skipped: Vec::new(),
            errors: Vec::new(),
        };
        for m in &g.members {
            if tried
                .iter()
                .any(|(p, id)| *p == m.provider_id && *id == m.service_id)
            {
                continue;
            }
            let mut skip = |code: &str, message: String, error: Option<EngineError>| {
                s.skipped.push(MemberSkip {
                    provider: m.provider.clone(),
                    service_id: m.service_id.clone(),
                    code: code.to_string(),
                    message,
                });
                s.errors.push(error);
            };
            let provider = self.provider_by_id(m.provider_id)?;
            if provider.removed_at.is_some() {
                skip(
                    "provider.not_found",
                    "the provider was removed".into(),
                    None,
                );
                continue;
            }
            if !provider.active {
                skip("provider.inactive", "the provider is disabled".into(), None);
                continue;
            }
            if offline.contains(&provider.name) {
                skip(
                    "provider.offline",
                    "the provider is offline (its background jobs keep failing)".into(),
                    None,
                );
                continue;
            }
            let mut attempt = new.clone();
            attempt.provider.clone_from(&provider.name);
            attempt.service_id.clone_from(&m.service_id);
            let checked = self
                .store()
                .read(|c| service_row_of(c, provider.id, &provider.name, &m.service_id))
                .and_then(|row| Ok(check_order(&attempt, row)?));
            let checked = match checked {
                Ok(c) => c,
                Err(e @ (EngineError::Order(_) | EngineError::Input { .. })) => {
                    skip(e.code(), e.to_string(), Some(e));
                    continue;
                }
                Err(e) => return Err(e),
            };
            if !new.force {
                if let Some(balance) = self.available_balance(&provider)? {
                    if checked.estimated_cost > balance {
                        let e: EngineError = OrderError::InsufficientBalance {
                            cost: checked.estimated_cost,
                            balance,
                            currency: provider.currency.clone().unwrap_or_default(),
                        }
                        .into();
                        skip(e.code(), e.to_string(), Some(e));
                        continue;
                    }
                }
            }
            s.candidates.push(Candidate {
                position: m.position,
                provider,
                service_id: m.service_id.clone(),
                cost: checked.estimated_cost,
            });
        }
        if g.rule == RouteRule::Cheapest {
            s.candidates
                .sort_by(|a, b| a.cost.cmp(&b.cost).then(a.position.cmp(&b.position)));
        }
        Ok(s)
    }

    /// The group's members no attempt went to.
    fn untried(&self, g: &RouteGroup, attempts: &[Order]) -> Vec<MemberRef> {
        g.members
            .iter()
            .filter(|m| {
                !attempts
                    .iter()
                    .any(|o| o.provider_id == m.provider_id && o.service_id == m.service_id)
            })
            .map(|m| MemberRef::new(&m.provider, &m.service_id))
            .collect()
    }

    /// Appends a routing event to an order's timeline.
    fn note(&self, order_id: i64, kind: &str, detail: Value) -> Result<()> {
        let now = self.now_ms();
        self.store()
            .write(|tx| add_event(tx, order_id, now, kind, None, &detail))
    }

    fn finish_route(&self, route_id: i64) -> Result<()> {
        let now = self.now_ms();
        self.store().write(|tx| {
            tx.execute(
                "UPDATE routes SET finished_at = ?2 WHERE id = ?1 AND finished_at IS NULL",
                params![route_id, now],
            )?;
            Ok(())
        })
    }

    /// The result of route `key` as stored.
    fn route_report(
        &self,
        key: &str,
        group: &str,
        skipped: Vec<MemberSkip>,
        sent: bool,
    ) -> Result<RoutedPlacement> {
        let attempts = self.store().read(|c| attempts_of(c, key))?;
        let Some(order) = attempts.last().cloned() else {
            return Err(RouteError::NoProvider {
                group: group.to_string(),
                skipped,
            }
            .into());
        };
        let remaining = match self.store().read(|c| super::group_by_name(c, group))? {
            Some(g) => self.untried(&g, &attempts),
            None => Vec::new(),
        };
        Ok(RoutedPlacement {
            route_key: key.to_string(),
            group: group.to_string(),
            attempts: attempts
                .iter()
                .enumerate()
                .map(|(i, o)| attempt_of(i, o))
                .collect(),
            order,
            skipped,
            remaining,
            sent,
        })
    }
}
