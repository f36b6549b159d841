//! Routed mass orders: `link|quantity[|sale_price[|customer]]` lines, each one a routed order
//! through one offer group ([`Engine::place_routed_order`]). Nothing is placed unless some
//! member can take every line (or only the lines that can are asked for); each line's route
//! key is derived from the batch key and its line number, so running the same batch again
//! places nothing twice.

use rust_decimal::Decimal;
use serde::{Deserialize, Serialize};
use tokio::task::JoinSet;

use super::RoutedPlacement;
use crate::engine::Engine;
use crate::error::{EngineError, ErrorBody, Result};
use crate::orders::{parse_mass_order, LineError, NewOrder, OrderError, MAX_MASS_ORDER_LINES};

/// Routed lines placed at once (each under its provider's own limits).
const IN_FLIGHT: usize = 4;

/// A mass order through an offer group.
#[derive(Debug, Clone, Default, PartialEq, Serialize, Deserialize)]
#[serde(default)]
pub struct RoutedMassOrder {
    /// The offer group's name.
    pub group: String,
    /// The lines, `link|quantity[|sale_price[|customer]]`; blank lines and `#` comments are
    /// skipped.
    pub text: String,
    /// The customer of every line that names none.
    pub customer: Option<String>,
    /// The sale price of every line that gives none.
    pub sale_price: Option<Decimal>,
    /// The batch key (default: derived from the group and the text).
    pub batch_key: Option<String>,
    /// Place the lines some member can take even when others cannot.
    pub valid_only: bool,
    /// Pass over no member for its balance.
    pub force: bool,
}

/// The result of one routed line.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct RoutedLineResult {
    /// 1-based line number.
    pub line: usize,
    /// What the routing did, when it journaled an order.
    pub placement: Option<RoutedPlacement>,
    /// Why the line failed before an order existed.
    pub error: Option<ErrorBody>,
}

/// What a routed mass order did.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct RoutedMassReport {
    /// The batch key (run again with it: nothing is placed twice).
    pub batch_key: String,
    /// The group.
    pub group: String,
    /// Per line, in line order.
    pub results: Vec<RoutedLineResult>,
    /// Lines no member could take, skipped (`valid_only`).
    pub skipped: Vec<LineError>,
    /// Lines accepted by a provider.
    pub accepted: usize,
    /// Lines every member refused, or that failed before sending.
    pub failed: usize,
    /// Lines whose outcome is unknown (resolve them).
    pub unknown: usize,
    /// Lines an earlier run of the same batch already placed.
    pub already_placed: usize,
}

/// The lines of a routed mass order as the provider mass order's parser reads them.
fn as_mass_text(text: &str) -> String {
    text.lines()
        .map(|l| {
            let t = l.trim();
            if t.is_empty() || t.starts_with('#') {
                String::new()
            } else {
                format!("-|{t}")
            }
        })
        .collect::<Vec<_>>()
        .join("\n")
}

/// The default batch key: FNV-1a of the group and the lines (as the provider mass order's).
fn content_key(group: &str, text: &str) -> String {
    let mut out = String::from("routed-");
    let normalized: Vec<&str> = text.lines().map(str::trim).collect();
    let body = normalized.join("\n");
    for offset in [0xcbf2_9ce4_8422_2325u64, 0x6c62_272e_07bb_0142] {
        let mut h = offset;
        for b in group
            .trim()
            .to_lowercase()
            .bytes()
            .chain([0u8])
            .chain(body.bytes())
        {
            h ^= u64::from(b);
            h = h.wrapping_mul(0x0000_0100_0000_01b3);
        }
        out.push_str(&format!("{h:016x}"));
    }
    out
}

impl Engine {
    /// Places a mass order through an offer group: every line a routed order
    /// ([`Engine::place_routed_order`]) with the key `<batch key>:<line>`. Nothing is placed
    /// unless every line parses and some member can take it (or `valid_only`).
    pub async fn place_routed_mass_order(
        &self,
        order: RoutedMassOrder,
        progress: &(dyn Fn(&RoutedLineResult) + Send + Sync),
    ) -> Result<RoutedMassReport> {
        let group = self.offer_group(&order.group)?;
        let (lines, mut errors) = parse_mass_order(&as_mass_text(&order.text));
        for e in &mut errors {
            if e.code == "mass_order.line_format" {
                e.message = "expected link|quantity[|sale_price[|customer]]".into();
            }
        }
        let total_lines = lines.len() + errors.len();
        if total_lines == 0 {
            return Err(OrderError::MassOrderEmpty.into());
        }
        if total_lines > MAX_MASS_ORDER_LINES {
            return Err(OrderError::MassOrderTooLarge(total_lines, MAX_MASS_ORDER_LINES).into());
        }
        let batch_key = match &order.batch_key {
            Some(k) if !k.trim().is_empty() => k.trim().to_string(),
            Some(_) => return Err(OrderError::IdempotencyKeyInvalid.into()),
            None => content_key(&group.name, &order.text),
        };
        let offline = self.offline_providers()?;
        let mut news = Vec::new();
        for l in lines {
            let mut new = NewOrder::new("", "", &l.link, l.quantity);
            new.idempotency_key = Some(format!("{batch_key}:{}", l.line));
            new.customer = l.customer.or_else(|| order.customer.clone());
            new.sale_price = l.sale_price.or(order.sale_price);
            new.force = order.force;
            // A line some member can take now (or one an earlier run already routed).
            match self.check_routed_line(&group, &new, &offline) {
                Ok(()) => news.push((l.line, new)),
                Err(
                    e @ (EngineError::Order(_) | EngineError::Input { .. } | EngineError::Route(_)),
                ) => errors.push(LineError {
                    line: l.line,
                    code: e.code(),
                    message: e.to_string(),
                }),
                Err(e) => return Err(e),
            }
        }
        errors.sort_by_key(|e| e.line);
        if !errors.is_empty() && !order.valid_only {
            return Err(OrderError::MassOrderInvalid(errors).into());
        }
        let mut queue = news.into_iter();
        let mut tasks: JoinSet<RoutedLineResult> = JoinSet::new();
        let mut results = Vec::new();
        loop {
            while tasks.len() < IN_FLIGHT {
                let Some((line, new)) = queue.next() else {
                    break;
                };
                let engine = self.clone();
                let name = group.name.clone();
                tasks.spawn(async move {
                    match engine.place_routed_order(&name, new).await {
                        Ok(p) => RoutedLineResult {
                            line,
                            placement: Some(p),
                            error: None,
                        },
                        Err(e) => RoutedLineResult {
                            line,
                            placement: None,
                            error: Some(e.to_body()),
                        },
                    }
                });
            }
            let Some(joined) = tasks.join_next().await else {
                break;
            };
            let result = joined
                .map_err(|e| EngineError::Internal(format!("routed mass order task: {e}")))?;
            progress(&result);
            results.push(result);
        }
        results.sort_by_key(|r| r.line);
        let status = |r: &RoutedLineResult| r.placement.as_ref().map(|p| p.order.status);
        let accepted = results
            .iter()
            .filter(|r| status(r).is_some_and(|s| s.is_open() || s.is_terminal()))
            .count();
        let unknown = results
            .iter()
            .filter(|r| {
                status(r).is_some_and(|s| !s.is_not_placed() && !s.is_open() && !s.is_terminal())
            })
            .count();
        Ok(RoutedMassReport {
            batch_key,
            group: group.name,
            failed: results.len() - accepted - unknown,
            accepted,
            unknown,
            already_placed: results
                .iter()
                .filter(|r| r.placement.as_ref().is_some_and(|p| !p.sent))
                .count(),
            results,
            skipped: errors,
        })
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn lines_read_as_link_and_quantity() {
        let (lines, errors) = parse_mass_order(&as_mass_text(
            "# header\nhttps://x.com/a|100\n\nhttps://x.com/b|50|2.5|Sara\nhttps://x.com/c\n",
        ));
        assert_eq!(lines.len(), 2);
        assert_eq!((lines[0].line, lines[0].quantity), (2, 100));
        assert_eq!(lines[1].customer.as_deref(), Some("Sara"));
        assert_eq!(
            errors.iter().map(|e| (e.line, e.code)).collect::<Vec<_>>(),
            [(5, "mass_order.line_format")]
        );
        assert_ne!(
            content_key("g", "https://x.com/a|100"),
            content_key("h", "https://x.com/a|100")
        );
    }
}
