//! The margin alert (issue #15): after a catalog sync, a service whose provider raised its
//! rate and whose selling price now earns less than the price list's minimum margin (or less
//! than nothing, where no minimum is set) is named in the alerts inbox. The formula's own
//! minimum keeps computed prices above it, so this catches manual prices and fixed-only rules.
//! The alert clears once the margin is back (the rate fell, or the price was changed).

use rusqlite::params;
use rust_decimal::Decimal;
use serde_json::json;

use super::{margin_percent, rules_for, Formula};
use crate::alerts::{AlertKind, Subject};
use crate::engine::Engine;
use crate::error::Result;
use crate::money;

impl Engine {
    /// Raises or clears margin alerts for provider `provider_id`'s services repriced upwards
    /// since `since`, and re-checks its open ones.
    pub(crate) fn check_margin_alerts(&self, provider_id: i64, since: i64) -> Result<()> {
        let candidates: Vec<i64> = self.store().read(|c| {
            let mut ids = Vec::new();
            let mut stmt = c.prepare_cached(
                "SELECT service_ref, old_rate, new_rate FROM price_history \
                 WHERE provider_id = ?1 AND changed_at >= ?2",
            )?;
            let mut rows = stmt.query(params![provider_id, since])?;
            while let Some(r) = rows.next()? {
                let (old, new): (String, String) = (r.get(1)?, r.get(2)?);
                if money::from_text(&new)? > money::from_text(&old)? {
                    ids.push(r.get(0)?);
                }
            }
            let mut stmt = c.prepare_cached(
                "SELECT service_ref FROM alerts WHERE kind = ?1 AND provider_id = ?2 \
                 AND cleared_at IS NULL AND service_ref IS NOT NULL",
            )?;
            for id in stmt.query_map(params![AlertKind::MarginLow.as_str(), provider_id], |r| {
                r.get::<_, i64>(0)
            })? {
                ids.push(id?);
            }
            ids.sort_unstable();
            ids.dedup();
            Ok(ids)
        })?;
        for id in candidates {
            let s = self.service(id)?;
            let rules = self
                .store()
                .read(|c| rules_for(c, s.id, &s.category, s.platform))?;
            let formula = Formula::from_rules(&rules);
            let subject = format!("margin:{id}");
            if formula.is_empty() || s.removed_at.is_some() {
                self.clear_alert(AlertKind::MarginLow, &subject)?;
                continue;
            }
            let sale = formula.sale_rate(s.rate);
            let minimum = formula.min_margin.as_ref().map_or(Decimal::ZERO, |m| m.0);
            let margin = margin_percent(s.rate, sale);
            if margin.is_some_and(|m| m >= minimum) {
                self.clear_alert(AlertKind::MarginLow, &subject)?;
                continue;
            }
            self.raise_alert(
                AlertKind::MarginLow,
                Subject {
                    key: subject,
                    provider_id: Some(provider_id),
                    service_ref: Some(id),
                    ..Subject::default()
                },
                json!({
                    "service_id": s.service_id,
                    "service": s.name,
                    "cost_rate": money::to_text(s.rate),
                    "sale_rate": money::to_text(sale),
                    "margin": margin.map(money::to_text),
                    "min_margin": money::to_text(minimum),
                    "currency": s.currency,
                }),
            )?;
        }
        Ok(())
    }
}
