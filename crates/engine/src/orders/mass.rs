//! Mass orders: `service_id|link|quantity[|sale_price[|customer]]` lines for one provider,
//! checked line by line;
//! nothing is placed unless every line is valid (or only the valid ones are asked for);
//! placed with the provider's concurrency limit, with progress and a result per line. Each
//! line's idempotency key is derived from the batch key and its line number, so running the
//! same batch again places nothing twice.

use rust_decimal::Decimal;
use serde::{Deserialize, Serialize};
use tokio::task::JoinSet;

use super::{validate, NewOrder, Order, OrderStatus};
use super::{LineError, OrderError};
use crate::engine::Engine;
use crate::error::{EngineError, ErrorBody, Result};

/// The most lines one mass order may have.
pub const MAX_MASS_ORDER_LINES: usize = 10_000;

/// One parsed line.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct MassLine {
    /// 1-based line number in the text.
    pub line: usize,
    /// The provider's service id.
    pub service_id: String,
    /// Target link.
    pub link: String,
    /// Quantity.
    pub quantity: u64,
    /// What the customer pays for this line (the fourth field), when given.
    pub sale_price: Option<Decimal>,
    /// The customer of this line (the fifth field), when given.
    pub customer: Option<String>,
}

/// A mass order to place.
#[derive(Debug, Clone, Default, PartialEq, Serialize, Deserialize)]
#[serde(default)]
pub struct MassOrder {
    /// The provider's name.
    pub provider: String,
    /// The lines, `service_id|link|quantity[|sale_price[|customer]]`; blank lines and `#`
    /// comments are skipped.
    pub text: String,
    /// The customer of every line that names none.
    pub customer: Option<String>,
    /// The sale price of every line that gives none (else the price list's, per line).
    pub sale_price: Option<Decimal>,
    /// The batch key (default: derived from the provider and the text, so the same file run
    /// twice places nothing twice; give a new key to place the same lines again on purpose).
    pub batch_key: Option<String>,
    /// Place the valid lines even when some are invalid.
    pub valid_only: bool,
    /// Place even when the estimated total exceeds the last known balance.
    pub force: bool,
}

/// A checked line with its cost.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct MassLineQuote {
    /// The line.
    #[serde(flatten)]
    pub line: MassLine,
    /// The service name.
    pub service_name: String,
    /// Estimated cost.
    pub estimated_cost: Decimal,
    /// What the customer pays: the line's, the batch's, else the price list's.
    pub sale_price: Option<Decimal>,
    /// The customer: the line's, else the batch's.
    pub customer: Option<String>,
}

/// What a mass order would do: valid lines with costs, invalid lines with their errors.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct MassOrderPreview {
    /// The provider's name.
    pub provider: String,
    /// Valid lines.
    pub lines: Vec<MassLineQuote>,
    /// Invalid lines.
    pub errors: Vec<LineError>,
    /// The estimated total of the valid lines.
    pub total_cost: Decimal,
    /// The sale total of the valid lines that have a sale price.
    pub total_sale: Option<Decimal>,
    /// Lines sold below their estimated cost (allowed; shown before placing).
    pub below_cost: Vec<usize>,
    /// The provider's account currency.
    pub currency: Option<String>,
    /// The balance available: the last known balance less the orders placed since it was read.
    pub balance: Option<Decimal>,
    /// The total exceeds the available balance.
    pub exceeds_balance: bool,
}

/// The result of one line.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct MassLineResult {
    /// 1-based line number.
    pub line: usize,
    /// The order, when one was journaled.
    pub order: Option<Order>,
    /// Why the line failed before an order existed.
    pub error: Option<ErrorBody>,
    /// Whether this run sent the line's `add` (false: an earlier run placed it; nothing new
    /// was sent).
    pub sent: bool,
}

/// Progress of a mass order, reported after each line.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct MassProgress {
    /// Lines finished.
    pub done: usize,
    /// Lines to place.
    pub total: usize,
    /// The line just finished.
    pub result: MassLineResult,
}

/// What a mass order did.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct MassOrderReport {
    /// The batch key (run again with it: nothing is placed twice).
    pub batch_key: String,
    /// Per line, in line order.
    pub results: Vec<MassLineResult>,
    /// Invalid lines that were skipped (`valid_only`).
    pub skipped: Vec<LineError>,
    /// Lines whose order the provider accepted.
    pub accepted: usize,
    /// Lines refused by the provider or failed before sending.
    pub failed: usize,
    /// Lines whose outcome is unknown (resolve them).
    pub unknown: usize,
    /// Lines an earlier run of the same batch already placed: nothing new was sent for them.
    pub already_placed: usize,
}

/// Parses `service_id|link|quantity[|sale_price[|customer]]` lines; blank lines and lines
/// starting with `#` are skipped; an empty sale price field (`1|link|100||Sara`) means none.
/// Every problem carries its line number.
pub fn parse_mass_order(text: &str) -> (Vec<MassLine>, Vec<LineError>) {
    let mut lines = Vec::new();
    let mut errors = Vec::new();
    for (i, raw) in text.lines().enumerate() {
        let n = i + 1;
        let t = raw.trim();
        if t.is_empty() || t.starts_with('#') {
            continue;
        }
        let parts: Vec<&str> = t.split('|').map(str::trim).collect();
        let (service_id, link, quantity, sale, customer) = match parts.as_slice() {
            [s, l, q] => (*s, *l, *q, "", ""),
            [s, l, q, p] => (*s, *l, *q, *p, ""),
            [s, l, q, p, c] => (*s, *l, *q, *p, *c),
            _ => {
                errors.push(LineError {
                    line: n,
                    code: "mass_order.line_format",
                    message: format!(
                        "expected service_id|link|quantity[|sale_price[|customer]], got {} \
                         field(s)",
                        parts.len()
                    ),
                });
                continue;
            }
        };
        if service_id.is_empty() {
            errors.push(LineError {
                line: n,
                code: "mass_order.service_missing",
                message: "the service id is empty".into(),
            });
            continue;
        }
        let Ok(quantity) = quantity.parse::<u64>() else {
            errors.push(LineError {
                line: n,
                code: "mass_order.quantity_invalid",
                message: format!("\"{quantity}\" is not a whole number"),
            });
            continue;
        };
        let sale_price = match sale {
            "" => None,
            p => match p.parse::<Decimal>() {
                Ok(p) => Some(p),
                Err(_) => {
                    errors.push(LineError {
                        line: n,
                        code: "mass_order.sale_price_invalid",
                        message: format!("\"{p}\" is not an amount (like 2.50)"),
                    });
                    continue;
                }
            },
        };
        lines.push(MassLine {
            line: n,
            service_id: service_id.to_string(),
            link: link.to_string(),
            quantity,
            sale_price,
            customer: (!customer.is_empty()).then(|| customer.to_string()),
        });
    }
    (lines, errors)
}

impl Engine {
    /// The estimated cost of the lines of batch `batch_key` already journaled (and not
    /// certainly unplaced).
    fn batch_cost_so_far(&self, batch_key: &str) -> Result<Decimal> {
        // Keys `<batch>:<line>` form the range [`<batch>:`, `<batch>;`) of the unique index.
        let (low, high) = (format!("{batch_key}:"), format!("{batch_key};"));
        let costs: Vec<String> = self.store().read(|c| {
            c.prepare_cached(
                "SELECT estimated_cost FROM orders \
                 WHERE idempotency_key >= ?1 AND idempotency_key < ?2 \
                 AND status NOT IN ('rejected', 'not_sent', 'not_placed')",
            )?
            .query_map(rusqlite::params![low, high], |r| r.get(0))?
            .collect::<rusqlite::Result<_>>()
            .map_err(Into::into)
        })?;
        let mut total = Decimal::ZERO;
        for c in costs {
            total += crate::money::from_text(&c)?;
        }
        Ok(total)
    }
}

/// FNV-1a over the bytes, with two offsets for 128 bits: a stable content key.
fn content_key(provider: &str, text: &str) -> String {
    let mut out = String::from("mass-");
    for offset in [0xcbf2_9ce4_8422_2325u64, 0x6c62_272e_07bb_0142] {
        let mut h = offset;
        let normalized: Vec<&str> = text.lines().map(str::trim).collect();
        for b in provider
            .trim()
            .bytes()
            .chain([0u8])
            .chain(normalized.join("\n").bytes())
        {
            h ^= u64::from(b);
            h = h.wrapping_mul(0x0000_0100_0000_01b3);
        }
        out.push_str(&format!("{h:016x}"));
    }
    out
}

impl Engine {
    /// Checks every line of a mass order against the catalog; writes nothing.
    pub fn check_mass_order(&self, provider: &str, text: &str) -> Result<MassOrderPreview> {
        self.check_mass_order_sold(provider, text, None, None)
    }

    /// [`Engine::check_mass_order`] with the batch's customer and sale price for the lines
    /// that give none.
    pub fn check_mass_order_sold(
        &self,
        provider: &str,
        text: &str,
        customer: Option<&str>,
        sale_price: Option<Decimal>,
    ) -> Result<MassOrderPreview> {
        let (parsed, mut errors) = parse_mass_order(text);
        let total_lines = parsed.len() + errors.len();
        if total_lines == 0 {
            return Err(OrderError::MassOrderEmpty.into());
        }
        if total_lines > MAX_MASS_ORDER_LINES {
            return Err(OrderError::MassOrderTooLarge(total_lines, MAX_MASS_ORDER_LINES).into());
        }
        let p = self.provider(provider.trim())?;
        if !p.active {
            return Err(EngineError::ProviderInactive(p.name));
        }
        let mut lines = Vec::new();
        let mut total = Decimal::ZERO;
        let (mut total_sale, mut below_cost) = (None::<Decimal>, Vec::new());
        for l in parsed {
            let mut new = NewOrder::new(&p.name, &l.service_id, &l.link, l.quantity);
            new.customer = l.customer.clone().or_else(|| customer.map(str::to_string));
            new.sale_price = l.sale_price.or(sale_price);
            let checked = self
                .store()
                .read(|c| validate::service_row(c, p.id, &p.name, &l.service_id))
                .and_then(|s| Ok(validate::check(&new, s)?))
                .and_then(|ch| Ok((self.sale_terms(&new, &ch)?, ch)));
            match checked {
                Ok((sale, ch)) => {
                    total += ch.estimated_cost;
                    if let Some(price) = sale.price {
                        *total_sale.get_or_insert_default() += price;
                        if price < ch.estimated_cost {
                            below_cost.push(l.line);
                        }
                    }
                    lines.push(MassLineQuote {
                        service_name: ch.service.name.clone(),
                        estimated_cost: ch.estimated_cost,
                        sale_price: sale.price,
                        customer: sale.customer.map(|(name, _)| name),
                        line: l,
                    });
                }
                Err(e @ (EngineError::Order(_) | EngineError::Input { .. })) => {
                    errors.push(LineError {
                        line: l.line,
                        code: e.code(),
                        message: e.to_string(),
                    })
                }
                Err(e) => return Err(e),
            }
        }
        errors.sort_by_key(|e| e.line);
        let available = self.available_balance(&p)?;
        Ok(MassOrderPreview {
            provider: p.name,
            exceeds_balance: available.is_some_and(|b| total > b),
            lines,
            errors,
            total_cost: total,
            total_sale: total_sale.map(|t| t.normalize()),
            below_cost,
            currency: p.currency,
            balance: available,
        })
    }

    /// Places a mass order: nothing unless every line is valid (or `valid_only`), the total
    /// within the last known balance (or `force`), at most the provider's `max_concurrency`
    /// orders in flight; `progress` is called after every line.
    pub async fn place_mass_order(
        &self,
        order: MassOrder,
        progress: &(dyn Fn(&MassProgress) + Send + Sync),
    ) -> Result<MassOrderReport> {
        let preview = self.check_mass_order_sold(
            &order.provider,
            &order.text,
            order.customer.as_deref(),
            order.sale_price,
        )?;
        if !preview.errors.is_empty() && !order.valid_only {
            return Err(OrderError::MassOrderInvalid(preview.errors).into());
        }
        let batch_key = match &order.batch_key {
            Some(k) if !k.trim().is_empty() => k.trim().to_string(),
            Some(_) => return Err(OrderError::IdempotencyKeyInvalid.into()),
            None => content_key(&preview.provider, &order.text),
        };
        // A resumed batch needs only what its lines not yet journaled cost (the journaled ones
        // are already counted against the balance, or in it).
        let remaining = preview.total_cost - self.batch_cost_so_far(&batch_key)?;
        if preview.balance.is_some_and(|b| remaining > b) && !order.force {
            return Err(OrderError::InsufficientBalance {
                cost: remaining,
                balance: preview.balance.unwrap_or_default(),
                currency: preview.currency.clone().unwrap_or_default(),
            }
            .into());
        }
        let limit = self.provider(&preview.provider)?.max_concurrency.max(1) as usize;
        let total = preview.lines.len();
        let mut queue = preview.lines.into_iter();
        let mut tasks: JoinSet<MassLineResult> = JoinSet::new();
        let mut results = Vec::with_capacity(total);
        loop {
            while tasks.len() < limit {
                let Some(q) = queue.next() else { break };
                let engine = self.clone();
                let mut new = NewOrder::new(
                    &preview.provider,
                    &q.line.service_id,
                    &q.line.link,
                    q.line.quantity,
                );
                new.idempotency_key = Some(format!("{batch_key}:{}", q.line.line));
                new.customer = q.customer.clone();
                new.sale_price = q.sale_price;
                new.force = true;
                let line = q.line.line;
                tasks.spawn(async move {
                    match engine.place_order_reported(new).await {
                        Ok(p) => MassLineResult {
                            line,
                            order: Some(p.order),
                            error: None,
                            sent: p.sent,
                        },
                        Err(e) => MassLineResult {
                            line,
                            order: None,
                            error: Some(e.to_body()),
                            sent: false,
                        },
                    }
                });
            }
            let Some(joined) = tasks.join_next().await else {
                break;
            };
            let result =
                joined.map_err(|e| EngineError::Internal(format!("mass order task: {e}")))?;
            results.push(result.clone());
            progress(&MassProgress {
                done: results.len(),
                total,
                result,
            });
        }
        results.sort_by_key(|r| r.line);
        let status = |r: &MassLineResult| r.order.as_ref().map(|o| o.status);
        let accepted = results
            .iter()
            .filter(|r| status(r).is_some_and(|s| s.is_open() || s.is_terminal()))
            .count();
        let unknown = results
            .iter()
            .filter(|r| {
                matches!(
                    status(r),
                    Some(OrderStatus::Unknown | OrderStatus::Submitting)
                )
            })
            .count();
        Ok(MassOrderReport {
            batch_key,
            failed: results.len() - accepted - unknown,
            accepted,
            unknown,
            already_placed: results
                .iter()
                .filter(|r| r.order.is_some() && !r.sent)
                .count(),
            results,
            skipped: preview.errors,
        })
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn lines_parse_with_their_numbers() {
        let text = "# header\n1|https://x.com/a|100\n\n2|https://x.com/b\n3|https://x.com/c|ten\n|https://x.com/d|5\n1|https://x.com/e|5|2.5|Sara\n1|https://x.com/f|5||Omar\n1|https://x.com/g|5|two\n";
        let (lines, errors) = parse_mass_order(text);
        assert_eq!(lines.len(), 3);
        assert_eq!(lines[0].line, 2);
        assert_eq!(
            (lines[1].sale_price, lines[1].customer.as_deref()),
            (Some(Decimal::new(25, 1)), Some("Sara"))
        );
        assert_eq!(
            (lines[2].sale_price, lines[2].customer.as_deref()),
            (None, Some("Omar"))
        );
        let got: Vec<(usize, &str)> = errors.iter().map(|e| (e.line, e.code)).collect();
        assert_eq!(
            got,
            vec![
                (4, "mass_order.line_format"),
                (5, "mass_order.quantity_invalid"),
                (6, "mass_order.service_missing"),
                (9, "mass_order.sale_price_invalid")
            ]
        );
    }

    #[test]
    fn batch_keys_follow_the_content() {
        let a = content_key("demo", "1|https://x.com/a|100\n");
        assert_eq!(a, content_key("demo", "1|https://x.com/a|100"));
        assert_ne!(a, content_key("demo", "1|https://x.com/a|101"));
        assert_ne!(a, content_key("other", "1|https://x.com/a|100"));
    }
}
