//! Resolving an order in state `unknown`: the user found it at the provider (attach its id),
//! or it was not placed (it may then be submitted again as a linked attempt).

use jiff::Timestamp;
use rusqlite::{params, OptionalExtension};
use rust_decimal::Decimal;
use serde::{Deserialize, Serialize};
use serde_json::json;
use smm_panel::{PanelError, ProviderReason};

use super::track::apply_state;
use super::OrderError;
use super::{add_event, order_by_id, Order, OrderStatus, ORDER_COLUMNS, ORDER_FROM};
use crate::engine::Engine;
use crate::error::{EngineError, ErrorBody, Result};

/// How an order in state `unknown` is resolved.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "snake_case", tag = "kind", content = "external_id")]
pub enum Resolution {
    /// The user found the order at the provider: its order id. It is tracked from then on.
    ExternalId(String),
    /// The order was not placed; it may be submitted again ([`Engine::resubmit_order`]).
    NotPlaced,
}

/// What helps decide whether an `unknown` order was placed.
///
/// The protocol has no "list my orders" and no lookup by link, so the provider cannot be asked
/// directly. What we show: the balance before (the last known balance when the order was
/// journaled) and a fresh balance now — a drop of about the expected charge suggests it was
/// placed (other orders placed since then also move it; they are counted); other local orders
/// at this provider on the same link; and the original request. Submitting again is itself a
/// check: while the first order is active the provider refuses a second one on the same link
/// ("duplicate active link").
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct ResolveHelp {
    /// The order, with its original request (service snapshot, link, quantity, params).
    pub order: Order,
    /// The balance when the order was journaled.
    pub balance_before: Option<Decimal>,
    /// When that balance was fetched.
    pub balance_before_at: Option<Timestamp>,
    /// The balance now (fetched for this help), when the provider answered.
    pub balance_now: Option<Decimal>,
    /// Why the balance could not be fetched.
    pub balance_error: Option<ErrorBody>,
    /// `balance_now - balance_before`.
    pub balance_change: Option<Decimal>,
    /// What the order should have cost.
    pub expected_charge: Decimal,
    /// Other orders at this provider journaled since the "before" balance was fetched (or,
    /// without one, after this order): they may have moved the balance too.
    pub later_orders: u64,
    /// Their estimated cost.
    pub later_orders_cost: Decimal,
    /// Other local orders at this provider on the same link, newest first (at most 20).
    pub same_link_orders: Vec<Order>,
}

fn check_external_id(text: &str) -> Result<String, OrderError> {
    let t = text.trim();
    if t.is_empty() || t.len() > 64 || t.contains([',', ' ', '\n', '\r', '\t']) {
        return Err(OrderError::ExternalIdInvalid(t.chars().take(64).collect()));
    }
    Ok(t.to_string())
}

impl Engine {
    /// Gathers what helps resolve an `unknown` order (fetches the balance now).
    pub async fn resolve_help(&self, id: i64) -> Result<ResolveHelp> {
        let order = self.order(id)?;
        let provider = self.provider_by_id(order.provider_id)?;
        let (balance_now, balance_error) = if provider.removed_at.is_none() {
            match self.test_provider(&provider.name).await {
                Ok(check) => (Some(check.balance), None),
                Err(e) => (None, Some(e.to_body())),
            }
        } else {
            (None, None)
        };
        let (later_orders, later_costs, same_link_orders) = self.store().read(|c| {
            let mut stmt = c.prepare_cached(
                "SELECT estimated_cost FROM orders WHERE provider_id = ?1 AND id != ?2 \
                 AND status NOT IN ('rejected', 'not_sent', 'not_placed') \
                 AND (CASE WHEN ?3 IS NULL THEN id > ?2 ELSE created_at >= ?3 END)",
            )?;
            let since = order.balance_before_at.map(crate::clock::to_millis);
            let costs: Vec<String> = stmt
                .query_map(params![order.provider_id, id, since], |r| r.get(0))?
                .collect::<rusqlite::Result<_>>()?;
            let same: Vec<Order> = match &order.link {
                Some(link) => c
                    .prepare_cached(&format!(
                        "SELECT {ORDER_COLUMNS} FROM {ORDER_FROM} WHERE o.provider_id = ?1 \
                         AND o.link = ?2 AND o.id != ?3 ORDER BY o.created_at DESC, o.id DESC \
                         LIMIT 20"
                    ))?
                    .query_map(params![order.provider_id, link, id], super::order_from_row)?
                    .collect::<rusqlite::Result<_>>()?,
                None => Vec::new(),
            };
            Ok((costs.len() as u64, costs, same))
        })?;
        let mut later_orders_cost = Decimal::ZERO;
        for c in later_costs {
            later_orders_cost += crate::money::from_text(&c)?;
        }
        Ok(ResolveHelp {
            balance_before: order.balance_before,
            balance_before_at: order.balance_before_at,
            balance_change: balance_now.zip(order.balance_before).map(|(n, b)| n - b),
            balance_now,
            balance_error,
            expected_charge: order.estimated_cost,
            later_orders,
            later_orders_cost,
            same_link_orders,
            order,
        })
    }

    /// Resolves an order in state `unknown`. With an external id the provider is asked for
    /// its status first: an id it does not know is refused (`order.external_id_unknown`);
    /// when the provider cannot be reached the id is attached unverified. `NotPlaced` makes the
    /// order final; [`Engine::resubmit_order`] then submits a linked new attempt.
    pub async fn resolve_order(&self, id: i64, resolution: Resolution) -> Result<Order> {
        let order = self.resolve_order_now(id, resolution).await?;
        self.emit(crate::events::EngineEvent::OrdersChanged { ids: vec![id] });
        Ok(order)
    }

    async fn resolve_order_now(&self, id: i64, resolution: Resolution) -> Result<Order> {
        let order = self.order(id)?;
        if order.status != OrderStatus::Unknown {
            return Err(OrderError::NotUnknown {
                id,
                status: order.status.to_string(),
            }
            .into());
        }
        match resolution {
            Resolution::NotPlaced => {
                let now = self.now_ms();
                self.store().write(|tx| {
                    let n = tx.execute(
                        "UPDATE orders SET status = 'not_placed', updated_at = ?2, \
                         finished_at = ?2 WHERE id = ?1 AND status = 'unknown'",
                        params![id, now],
                    )?;
                    if n == 0 {
                        let o = order_by_id(tx, id)?;
                        return Err(OrderError::NotUnknown {
                            id,
                            status: o.status.to_string(),
                        }
                        .into());
                    }
                    add_event(
                        tx,
                        id,
                        now,
                        "resolved",
                        Some(OrderStatus::NotPlaced),
                        &json!({ "resolution": "not_placed" }),
                    )?;
                    order_by_id(tx, id)
                })
            }
            Resolution::ExternalId(ext) => {
                let ext = check_external_id(&ext)?;
                let taken = self
                    .store()
                    .read(|c| external_taken(c, order.provider_id, &ext, id))?;
                if let Some(other) = taken {
                    return Err(OrderError::ExternalIdTaken {
                        external_id: ext,
                        other,
                    }
                    .into());
                }
                let provider = self.provider_by_id(order.provider_id)?;
                let client = self.client_for(&provider)?;
                let asked = ext.clone();
                let (state, verified) = match self
                    .logged_call(&provider, "status", move || async move {
                        client.status(&asked).await
                    })
                    .await
                {
                    Ok(s) => (Some(s), true),
                    Err(EngineError::Panel {
                        source:
                            PanelError::Provider {
                                reason: ProviderReason::UnknownOrder,
                                ..
                            },
                        ..
                    }) => return Err(OrderError::ExternalIdUnknown(ext).into()),
                    Err(e) => {
                        tracing::warn!(order = id, error = %e, "external id attached unverified");
                        (None, false)
                    }
                };
                let now = self.now_ms();
                self.store().write(|tx| {
                    if let Some(other) = external_taken(tx, order.provider_id, &ext, id)? {
                        return Err(OrderError::ExternalIdTaken {
                            external_id: ext.clone(),
                            other,
                        }
                        .into());
                    }
                    let n = tx.execute(
                        "UPDATE orders SET status = 'pending', external_id = ?2, \
                         submitted_at = ifnull(submitted_at, ?3), updated_at = ?3, \
                         last_error = NULL WHERE id = ?1 AND status = 'unknown'",
                        params![id, ext, now],
                    )?;
                    if n == 0 {
                        let o = order_by_id(tx, id)?;
                        return Err(OrderError::NotUnknown {
                            id,
                            status: o.status.to_string(),
                        }
                        .into());
                    }
                    add_event(
                        tx,
                        id,
                        now,
                        "resolved",
                        Some(OrderStatus::Pending),
                        &json!({ "resolution": "external_id", "external_id": ext,
                                 "verified": verified }),
                    )?;
                    if let Some(state) = &state {
                        apply_state(tx, id, state, now)?;
                    }
                    order_by_id(tx, id)
                })
            }
        }
    }
}

fn external_taken(
    conn: &rusqlite::Connection,
    provider_id: i64,
    ext: &str,
    except: i64,
) -> Result<Option<i64>> {
    Ok(conn
        .query_row(
            "SELECT id FROM orders WHERE provider_id = ?1 AND external_id = ?2 AND id != ?3",
            params![provider_id, ext, except],
            |r| r.get(0),
        )
        .optional()?)
}
