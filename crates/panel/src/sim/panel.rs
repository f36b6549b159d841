//! The simulated panel's books: catalog, balance, orders and refills, on a clock passed in.

use std::collections::{BTreeMap, HashMap};
use std::time::Duration;

use rand::rngs::SmallRng;
use rand::{Rng, SeedableRng};
use rust_decimal::Decimal;
use serde_json::{json, Map, Value};

use super::{Dialect, SimOrder};
use crate::action::Action;
use crate::service::{estimate_cost, Service, ServiceType};
use crate::status::OrderStatus;

/// What an order will do, drawn when it is placed.
#[derive(Debug, Clone)]
struct Order {
    id: u64,
    service: String,
    service_type: ServiceType,
    link: Option<String>,
    /// Units over all runs.
    quantity: u64,
    runs: Option<u64>,
    /// Subscription post limit.
    posts: Option<u64>,
    full_charge: Decimal,
    placed_at: Duration,
    start_after: Duration,
    duration: Duration,
    /// Units that will be delivered (less than `quantity` for a partial order).
    target: u64,
    start_count: u64,
    /// Set when the order was ended early, by an accepted cancel or by
    /// [`Panel::finish`]: (when, units delivered by then).
    canceled: Option<(Duration, u64)>,
    /// The refund of a partial or canceled order has been credited.
    settled: bool,
}

/// An order's progress at one instant.
struct Progress {
    status: OrderStatus,
    delivered: u64,
    charge: Decimal,
}

impl Order {
    fn progress(&self, now: Duration) -> Progress {
        if let Some((_, delivered)) = self.canceled {
            let status = if delivered == 0 {
                OrderStatus::Canceled
            } else {
                OrderStatus::Partial
            };
            return Progress {
                status,
                delivered,
                charge: self.charge_for(delivered),
            };
        }
        let start = self.placed_at + self.start_after;
        let end = start + self.duration;
        if self.service_type == ServiceType::Subscriptions {
            let posts = now.saturating_sub(start).as_secs() / 3600;
            let done = self.posts.is_some_and(|limit| posts >= limit);
            return Progress {
                status: if now < start {
                    OrderStatus::Pending
                } else if done {
                    OrderStatus::Completed
                } else {
                    OrderStatus::Active
                },
                delivered: self.posts.map_or(posts, |l| posts.min(l)),
                charge: self.full_charge,
            };
        }
        if now < start {
            return Progress {
                status: OrderStatus::Pending,
                delivered: 0,
                charge: self.full_charge,
            };
        }
        if now < end {
            let elapsed = (now - start).as_millis();
            let total = self.duration.as_millis().max(1);
            let delivered = (u128::from(self.target) * elapsed / total) as u64;
            return Progress {
                status: OrderStatus::InProgress,
                delivered,
                charge: self.full_charge,
            };
        }
        if self.target < self.quantity {
            Progress {
                status: OrderStatus::Partial,
                delivered: self.target,
                charge: self.charge_for(self.target),
            }
        } else {
            Progress {
                status: OrderStatus::Completed,
                delivered: self.quantity,
                charge: self.full_charge,
            }
        }
    }

    /// The charge for `delivered` units: proportional, rounded to 5 places.
    fn charge_for(&self, delivered: u64) -> Decimal {
        if self.quantity == 0 || delivered >= self.quantity {
            return self.full_charge;
        }
        (self.full_charge * Decimal::from(delivered) / Decimal::from(self.quantity)).round_dp(5)
    }

    fn is_active(&self, now: Duration) -> bool {
        !self.progress(now).status.is_terminal()
    }
}

#[derive(Debug, Clone)]
struct Refill {
    order: u64,
    requested_at: Duration,
    rejected: bool,
}

impl Refill {
    fn status(&self, now: Duration) -> &'static str {
        let age = now.saturating_sub(self.requested_at);
        if age < Duration::from_secs(120) {
            "Pending"
        } else if age < Duration::from_secs(1800) {
            "In progress"
        } else if self.rejected {
            "Rejected"
        } else {
            "Completed"
        }
    }
}

/// The simulated account.
pub(crate) struct Panel {
    pub(crate) key: String,
    pub(crate) currency: String,
    pub(crate) balance: Decimal,
    services: Vec<Service>,
    index: HashMap<String, usize>,
    orders: BTreeMap<u64, Order>,
    refills: BTreeMap<u64, Refill>,
    next_order: u64,
    next_refill: u64,
    rng: SmallRng,
}

/// Form parameters of one request.
pub(crate) type Params = Vec<(String, String)>;

fn param<'a>(params: &'a Params, name: &str) -> Option<&'a str> {
    params
        .iter()
        .find(|(k, _)| k == name)
        .map(|(_, v)| v.as_str())
}

/// An error reply in plain or key form.
fn error(dialect: &Dialect, plain: &str, key: Option<&str>) -> Value {
    let message = match key {
        Some(k) if dialect.key_style_errors => k,
        _ => plain,
    };
    json!({ "error": message })
}

fn id_value(id: u64, dialect: &Dialect) -> Value {
    if dialect.string_ids {
        Value::String(id.to_string())
    } else {
        json!(id)
    }
}

fn money_value(amount: Decimal, dialect: &Dialect) -> Value {
    if dialect.money_as_numbers {
        let text = amount.normalize().to_string();
        serde_json::from_str::<Value>(&text).unwrap_or(Value::String(text))
    } else {
        Value::String(format_money(amount))
    }
}

/// Money as panels print it: at least 2 and at most 7 decimal places.
fn format_money(amount: Decimal) -> String {
    let mut d = amount.round_dp(7).normalize();
    if d.scale() < 2 {
        d.rescale(2);
    }
    d.to_string()
}

fn count_value(n: u64, dialect: &Dialect) -> Value {
    if dialect.money_as_numbers {
        json!(n)
    } else {
        Value::String(n.to_string())
    }
}

fn status_text(status: &OrderStatus, dialect: &Dialect) -> String {
    let text = match status {
        OrderStatus::Canceled if dialect.cancelled_spelling => "Cancelled",
        other => other.as_str(),
    };
    if dialect.snake_case_statuses {
        text.to_lowercase().replace(' ', "_")
    } else {
        text.to_owned()
    }
}

/// True for something that looks like a web link.
fn is_link(link: &str) -> bool {
    let Ok(url) = url::Url::parse(link.trim()) else {
        return false;
    };
    matches!(url.scheme(), "http" | "https")
        && url
            .host_str()
            .is_some_and(|h| h.contains('.') || h == "localhost")
}

fn lines(text: Option<&str>) -> Vec<&str> {
    text.unwrap_or("")
        .split('\n')
        .map(|l| l.trim_end_matches('\r'))
        .filter(|l| !l.trim().is_empty())
        .collect()
}

impl Panel {
    pub(crate) fn new(
        seed: u64,
        key: String,
        currency: String,
        balance: Decimal,
        services: Vec<Service>,
    ) -> Panel {
        let mut panel = Panel {
            key,
            currency,
            balance,
            services: Vec::new(),
            index: HashMap::new(),
            orders: BTreeMap::new(),
            refills: BTreeMap::new(),
            next_order: 10_001,
            next_refill: 501,
            rng: SmallRng::seed_from_u64(seed),
        };
        for s in services {
            panel.upsert_service(s);
        }
        panel
    }

    /// The next order and refill ids (at least 1).
    pub(crate) fn starting_ids(mut self, order: u64, refill: u64) -> Panel {
        self.next_order = order.max(1);
        self.next_refill = refill.max(1);
        self
    }

    pub(crate) fn catalog(&self) -> Vec<Service> {
        self.services.clone()
    }

    pub(crate) fn upsert_service(&mut self, service: Service) {
        match self.index.get(&service.id) {
            Some(&i) => self.services[i] = service,
            None => {
                self.index.insert(service.id.clone(), self.services.len());
                self.services.push(service);
            }
        }
    }

    pub(crate) fn remove_service(&mut self, id: &str) -> bool {
        let Some(i) = self.index.remove(id) else {
            return false;
        };
        self.services.remove(i);
        for (n, s) in self.services.iter().enumerate().skip(i) {
            self.index.insert(s.id.clone(), n);
        }
        true
    }

    pub(crate) fn orders(&self, now: Duration) -> Vec<SimOrder> {
        self.orders.values().map(|o| snapshot(o, now)).collect()
    }

    pub(crate) fn order(&self, id: &str, now: Duration) -> Option<SimOrder> {
        let id: u64 = id.trim().parse().ok()?;
        self.orders.get(&id).map(|o| snapshot(o, now))
    }

    /// Credits the refunds of orders that became partial or were canceled.
    pub(crate) fn settle(&mut self, now: Duration) {
        for order in self.orders.values_mut() {
            if order.settled {
                continue;
            }
            let p = order.progress(now);
            if p.status.is_terminal() {
                order.settled = true;
                self.balance += order.full_charge - p.charge;
            }
        }
    }

    /// Answers one request (the key is already checked).
    pub(crate) fn handle(
        &mut self,
        action: Action,
        params: &Params,
        now: Duration,
        dialect: &Dialect,
    ) -> Value {
        self.settle(now);
        match action {
            Action::Services => self.services_reply(dialect),
            Action::Balance => {
                let mut m = Map::new();
                m.insert("balance".into(), money_value(self.balance, dialect));
                if !dialect.omit_currency {
                    m.insert("currency".into(), Value::String(self.currency.clone()));
                }
                Value::Object(m)
            }
            Action::Add => self.add(params, now, dialect),
            Action::Status => match (param(params, "order"), param(params, "orders")) {
                (_, Some(ids)) => {
                    let mut m = Map::new();
                    for id in split_ids(ids) {
                        m.insert(id.to_owned(), self.status_item(id, now, dialect));
                    }
                    Value::Object(m)
                }
                (Some(id), None) => self.status_item(id, now, dialect),
                (None, None) => error(
                    dialect,
                    "Incorrect order ID",
                    Some("error.incorrect_order_id"),
                ),
            },
            Action::Refill => match (param(params, "order"), param(params, "orders")) {
                (_, Some(ids)) => Value::Array(
                    split_ids(ids)
                        .map(|id| {
                            let refill = match self.refill(id, now) {
                                Ok(r) => id_value(r, dialect),
                                Err((plain, key)) => error(dialect, plain, key),
                            };
                            json!({ "order": order_key(id, dialect), "refill": refill })
                        })
                        .collect(),
                ),
                (Some(id), None) => match self.refill(id, now) {
                    // The template sends the single refill id as a string.
                    Ok(r) => json!({ "refill": r.to_string() }),
                    Err((plain, key)) => error(dialect, plain, key),
                },
                (None, None) => error(
                    dialect,
                    "Incorrect order ID",
                    Some("error.incorrect_order_id"),
                ),
            },
            Action::RefillStatus => match (param(params, "refill"), param(params, "refills")) {
                (_, Some(ids)) => Value::Array(
                    split_ids(ids)
                        .map(|id| {
                            let status = match self.refill_status(id, now) {
                                Some(s) => Value::String(s.to_owned()),
                                None => error(
                                    dialect,
                                    "Refill not found",
                                    Some("error.refill_not_found"),
                                ),
                            };
                            json!({ "refill": order_key(id, dialect), "status": status })
                        })
                        .collect(),
                ),
                (Some(id), None) => match self.refill_status(id, now) {
                    Some(s) => json!({ "status": s }),
                    None => error(dialect, "Refill not found", Some("error.refill_not_found")),
                },
                (None, None) => error(dialect, "Refill not found", Some("error.refill_not_found")),
            },
            Action::Cancel => {
                let ids = param(params, "orders").or_else(|| param(params, "order"));
                let Some(ids) = ids else {
                    return error(
                        dialect,
                        "Incorrect order ID",
                        Some("error.incorrect_order_id"),
                    );
                };
                Value::Array(
                    split_ids(ids)
                        .map(|id| {
                            let cancel = match self.cancel(id, now) {
                                Ok(()) => json!(1),
                                Err((plain, key)) => error(dialect, plain, key),
                            };
                            json!({ "order": order_key(id, dialect), "cancel": cancel })
                        })
                        .collect(),
                )
            }
        }
    }

    fn services_reply(&self, dialect: &Dialect) -> Value {
        services_value(&self.services, dialect)
    }

    fn add(&mut self, params: &Params, now: Duration, dialect: &Dialect) -> Value {
        let service = param(params, "service").map(str::trim).unwrap_or("");
        let Some(service) = self.index.get(service).map(|&i| self.services[i].clone()) else {
            return error(
                dialect,
                "Incorrect service ID",
                Some("error.incorrect_service_id"),
            );
        };
        let t = &service.service_type;
        let link = param(params, "link").map(str::to_owned);
        let has_link = !matches!(t, ServiceType::Subscriptions | ServiceType::Other(_));
        if has_link && !link.as_deref().is_some_and(is_link) {
            return error(dialect, "Incorrect link", Some("neworder.error.link"));
        }
        let quantity_param = param(params, "quantity");
        // Units per run, by type.
        let units: Option<u64> = match t {
            ServiceType::Package | ServiceType::CustomCommentsPackage => None,
            ServiceType::CustomComments | ServiceType::CommentReplies => {
                Some(lines(param(params, "comments")).len() as u64)
            }
            ServiceType::MentionsCustomList => Some(lines(param(params, "usernames")).len() as u64),
            ServiceType::Subscriptions => None,
            _ => match quantity_param.map(|q| q.trim().parse::<u64>()) {
                Some(Ok(q)) => Some(q),
                _ => {
                    return error(
                        dialect,
                        "Incorrect quantity",
                        Some("neworder.error.invalid_quantity"),
                    )
                }
            },
        };
        if let Some(missing) = self.missing_param(t, params) {
            return error(dialect, &format!("Incorrect {missing}"), None);
        }
        if let Some(q) = units {
            if q < service.min {
                return error(
                    dialect,
                    &format!("Quantity less than minimal {}", service.min),
                    Some("neworder.error.min_quantity"),
                );
            }
            if q > service.max {
                return error(
                    dialect,
                    &format!("Quantity more than maximum {}", service.max),
                    Some("neworder.error.max_quantity"),
                );
            }
        }
        let runs = match (param(params, "runs"), param(params, "interval")) {
            (None, None) => None,
            (Some(r), Some(i)) => {
                if !service.dripfeed {
                    return error(
                        dialect,
                        "This services does not support Dripfeed feature!",
                        None,
                    );
                }
                match (r.trim().parse::<u64>(), i.trim().parse::<u64>()) {
                    (Ok(r), Ok(_)) if r >= 1 => Some(r),
                    _ => return error(dialect, "Incorrect request", None),
                }
            }
            _ => return error(dialect, "Incorrect request", None),
        };
        let (sub_min, sub_max, posts) = if *t == ServiceType::Subscriptions {
            let num = |n: &str| param(params, n).and_then(|v| v.trim().parse::<u64>().ok());
            match (num("min"), num("max")) {
                (Some(min), Some(max)) if min >= 1 && min <= max => {
                    if min < service.min {
                        return error(
                            dialect,
                            &format!("Quantity less than minimal {}", service.min),
                            Some("neworder.error.min_quantity"),
                        );
                    }
                    if max > service.max {
                        return error(
                            dialect,
                            &format!("Quantity more than maximum {}", service.max),
                            Some("neworder.error.max_quantity"),
                        );
                    }
                    (min, max, num("posts").filter(|p| *p > 0))
                }
                _ => {
                    return error(
                        dialect,
                        "Incorrect quantity",
                        Some("neworder.error.invalid_quantity"),
                    )
                }
            }
        } else {
            (0, 0, None)
        };
        if let Some(link) = &link {
            let duplicate = self.orders.values().any(|o| {
                o.link.as_deref() == Some(link.as_str())
                    && o.service == service.id
                    && o.is_active(now)
            });
            if duplicate && has_link {
                return error(
                    dialect,
                    "You have active order with this link. Please wait until order being completed.",
                    Some("neworder.error.link_duplicate"),
                );
            }
        }
        let cost = match t {
            ServiceType::Subscriptions => {
                estimate_cost(service.rate, t, sub_max, Some(posts.unwrap_or(1)))
            }
            _ => estimate_cost(service.rate, t, units.unwrap_or(1), runs),
        }
        .round_dp(7);
        let _ = sub_min;
        if cost > self.balance {
            return error(
                dialect,
                "Not enough funds on balance",
                Some("neworder.error.not_enough_funds"),
            );
        }
        self.balance -= cost;
        let quantity = units.unwrap_or(1) * runs.unwrap_or(1);
        let id = self.next_order;
        self.next_order += 1;
        let partial = quantity >= 10 && self.rng.random_bool(0.15);
        let target = if partial {
            quantity * self.rng.random_range(30..=90) / 100
        } else {
            quantity
        };
        let minutes = match runs {
            Some(r) => {
                r * param(params, "interval")
                    .and_then(|i| i.trim().parse().ok())
                    .unwrap_or(0)
            }
            None => (quantity / self.rng.random_range(50..=500)).clamp(5, 24 * 60),
        };
        let order = Order {
            id,
            service: service.id.clone(),
            service_type: t.clone(),
            link: if has_link { link } else { None },
            quantity,
            runs,
            posts,
            full_charge: cost,
            placed_at: now,
            start_after: Duration::from_secs(self.rng.random_range(60..=600)),
            duration: Duration::from_secs(minutes.max(5) * 60),
            target,
            start_count: self.rng.random_range(0..100_000),
            canceled: None,
            settled: false,
        };
        self.orders.insert(id, order);
        json!({ "order": id_value(id, dialect) })
    }

    /// The first type-specific field that is missing, by wire name.
    fn missing_param(&self, t: &ServiceType, params: &Params) -> Option<&'static str> {
        let needs: &[&'static str] = match t {
            ServiceType::CustomComments | ServiceType::CustomCommentsPackage => &["comments"],
            ServiceType::CommentReplies => &["username", "comments"],
            ServiceType::Seo => &["keywords"],
            ServiceType::Mentions | ServiceType::MentionsCustomList => &["usernames"],
            ServiceType::MentionsWithHashtags => &["usernames", "hashtags"],
            ServiceType::MentionsHashtag => &["hashtag"],
            ServiceType::MentionsUserFollowers | ServiceType::CommentLikes => &["username"],
            ServiceType::MentionsMediaLikers => &["media"],
            ServiceType::Poll => &["answer_number"],
            ServiceType::InvitesFromGroups => &["groups"],
            ServiceType::Subscriptions => &["username", "delay"],
            _ => &[],
        };
        needs
            .iter()
            .copied()
            .find(|n| param(params, n).is_none_or(|v| v.trim().is_empty()))
    }

    fn status_item(&self, id: &str, now: Duration, dialect: &Dialect) -> Value {
        let Some(order) = id
            .trim()
            .parse::<u64>()
            .ok()
            .and_then(|n| self.orders.get(&n))
        else {
            return error(
                dialect,
                "Incorrect order ID",
                Some("error.incorrect_order_id"),
            );
        };
        let p = order.progress(now);
        let mut m = Map::new();
        m.insert("charge".into(), money_value(p.charge, dialect));
        m.insert(
            "start_count".into(),
            count_value(order.start_count, dialect),
        );
        m.insert(
            "status".into(),
            Value::String(status_text(&p.status, dialect)),
        );
        if order.service_type == ServiceType::Subscriptions {
            m.insert("posts".into(), count_value(p.delivered, dialect));
        } else {
            m.insert(
                "remains".into(),
                count_value(order.quantity - p.delivered.min(order.quantity), dialect),
            );
        }
        if let Some(runs) = order.runs {
            let done = (p.delivered * runs)
                .checked_div(order.quantity)
                .unwrap_or(0);
            m.insert("runs".into(), count_value(done, dialect));
        }
        if !dialect.omit_currency {
            m.insert("currency".into(), Value::String(self.currency.clone()));
        }
        Value::Object(m)
    }

    fn refill(
        &mut self,
        id: &str,
        now: Duration,
    ) -> Result<u64, (&'static str, Option<&'static str>)> {
        let unknown = ("Incorrect order ID", Some("error.incorrect_order_id"));
        let order = id
            .trim()
            .parse::<u64>()
            .ok()
            .and_then(|n| self.orders.get(&n))
            .ok_or(unknown)?;
        let refillable = self
            .index
            .get(&order.service)
            .is_some_and(|&i| self.services[i].refill);
        let status = order.progress(now).status;
        if !refillable || !matches!(status, OrderStatus::Completed | OrderStatus::Partial) {
            return Err((
                "Order not eligible for refill.",
                Some("error.refill_not_allowed"),
            ));
        }
        let refill = self.next_refill;
        self.next_refill += 1;
        let rejected = self.rng.random_bool(0.1);
        let order = order.id;
        self.refills.insert(
            refill,
            Refill {
                order,
                requested_at: now,
                rejected,
            },
        );
        Ok(refill)
    }

    fn refill_status(&self, id: &str, now: Duration) -> Option<&'static str> {
        let refill = self.refills.get(&id.trim().parse::<u64>().ok()?)?;
        let _ = refill.order;
        Some(refill.status(now))
    }

    fn cancel(
        &mut self,
        id: &str,
        now: Duration,
    ) -> Result<(), (&'static str, Option<&'static str>)> {
        let unknown = ("Incorrect order ID", Some("error.incorrect_order_id"));
        let n = id.trim().parse::<u64>().map_err(|_| unknown)?;
        let cancelable = {
            let order = self.orders.get(&n).ok_or(unknown)?;
            self.index
                .get(&order.service)
                .is_some_and(|&i| self.services[i].cancel)
        };
        let order = self.orders.get_mut(&n).ok_or(unknown)?;
        let p = order.progress(now);
        if !cancelable || p.status.is_terminal() || order.canceled.is_some() {
            return Err(("Order is not eligible for cancel.", None));
        }
        order.canceled = Some((now, p.delivered));
        self.settle(now);
        Ok(())
    }
}

impl Panel {
    /// Ends an open order now with `delivered` units, as the upstream panel does when it runs
    /// out of supply (fewer than ordered: partial) or gives up (none: canceled); the refund of
    /// what was not delivered is credited at once.
    pub(crate) fn finish(
        &mut self,
        id: &str,
        delivered: u64,
        now: Duration,
    ) -> Result<SimOrder, FinishError> {
        let n = id
            .trim()
            .parse::<u64>()
            .map_err(|_| FinishError::UnknownOrder(id.to_owned()))?;
        let order = self
            .orders
            .get_mut(&n)
            .ok_or_else(|| FinishError::UnknownOrder(id.to_owned()))?;
        let status = order.progress(now).status;
        if status.is_terminal() {
            return Err(FinishError::AlreadyFinished(status));
        }
        if delivered >= order.quantity {
            return Err(FinishError::TooMany {
                delivered,
                quantity: order.quantity,
            });
        }
        order.canceled = Some((now, delivered));
        self.settle(now);
        let order = self
            .orders
            .get(&n)
            .ok_or(FinishError::UnknownOrder(id.to_owned()))?;
        Ok(snapshot(order, now))
    }
}

/// Why [`Panel::finish`] refused.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
pub enum FinishError {
    /// No order has this id.
    #[error("no order {0}")]
    UnknownOrder(String),
    /// The order has already finished.
    #[error("the order has already finished ({})", .0.as_str())]
    AlreadyFinished(OrderStatus),
    /// A partial order delivers at least one unit (finish it as canceled for none).
    #[error("a partial order delivers at least 1 unit; finish it as canceled for none")]
    NothingDelivered,
    /// A partial order delivers fewer units than ordered.
    #[error("{delivered} delivered is not fewer than the {quantity} ordered")]
    TooMany {
        /// Units asked to be delivered.
        delivered: u64,
        /// Units ordered.
        quantity: u64,
    },
}

/// The `services` reply for a catalog, in a dialect.
pub(crate) fn services_value(services: &[Service], dialect: &Dialect) -> Value {
    Value::Array(
        services
            .iter()
            .map(|s| {
                let mut m = Map::new();
                let id = match s.id.parse::<u64>() {
                    Ok(n) if !dialect.string_ids => json!(n),
                    _ => Value::String(s.id.clone()),
                };
                m.insert("service".into(), id);
                m.insert("name".into(), Value::String(s.name.clone()));
                m.insert(
                    "type".into(),
                    Value::String(s.service_type.as_str().to_owned()),
                );
                m.insert("category".into(), Value::String(s.category.clone()));
                let rate = if dialect.money_as_numbers {
                    money_value(s.rate, dialect)
                } else {
                    Value::String(s.rate.to_string())
                };
                m.insert("rate".into(), rate);
                m.insert("min".into(), count_value(s.min, dialect));
                m.insert("max".into(), count_value(s.max, dialect));
                m.insert("refill".into(), Value::Bool(s.refill));
                m.insert("cancel".into(), Value::Bool(s.cancel));
                m.insert("dripfeed".into(), Value::Bool(s.dripfeed));
                if let Some(d) = &s.description {
                    m.insert("desc".into(), Value::String(d.clone()));
                }
                Value::Object(m)
            })
            .collect(),
    )
}

fn snapshot(o: &Order, now: Duration) -> SimOrder {
    let p = o.progress(now);
    SimOrder {
        id: o.id.to_string(),
        service: o.service.clone(),
        link: o.link.clone(),
        quantity: o.quantity,
        charge: p.charge,
        status: p.status,
        remains: o.quantity - p.delivered.min(o.quantity),
        start_count: o.start_count,
        placed_at: o.placed_at,
    }
}

fn split_ids(ids: &str) -> impl Iterator<Item = &str> {
    ids.split(',').map(str::trim).filter(|s| !s.is_empty())
}

/// An id as the template echoes it inside batch items: a number when it is one.
fn order_key(id: &str, dialect: &Dialect) -> Value {
    match id.parse::<u64>() {
        Ok(n) => id_value(n, dialect),
        Err(_) => Value::String(id.to_owned()),
    }
}
