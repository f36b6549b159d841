//! Cross-provider comparison: the same offer (platform, kind, type and significant name
//! words) on several providers, cheapest first.

use rust_decimal::Decimal;
use serde::Serialize;

use crate::catalog::Platform;
use crate::engine::Engine;
use crate::error::{EngineError, Result};
use crate::money;

/// Which offers to compare.
#[derive(Debug, Clone, Default)]
pub struct OfferQuery {
    /// Only this platform.
    pub platform: Option<Platform>,
    /// Only this kind (`followers`, `likes`, …).
    pub kind: Option<String>,
    /// Text in the offer's name.
    pub search: Option<String>,
    /// At most this many groups (default 50, at most 500).
    pub limit: Option<u32>,
}

/// One provider's service in an offer group.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct Offer {
    /// The service's local id.
    pub service_ref: i64,
    /// The provider's name.
    pub provider: String,
    /// The provider's service id.
    pub service_id: String,
    /// The name as this provider writes it.
    pub name: String,
    /// Price per 1000.
    pub rate: Decimal,
    /// The provider's currency, when known.
    pub currency: Option<String>,
    /// Smallest quantity.
    pub min: u64,
    /// Largest quantity.
    pub max: u64,
    /// True for the cheapest offer of the group (per currency).
    pub cheapest: bool,
}

/// Services that are the same offer on at least two providers, cheapest first.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct OfferGroup {
    /// The grouping key.
    pub key: String,
    /// Platform.
    pub platform: Platform,
    /// Kind.
    pub kind: String,
    /// The offers, cheapest first.
    pub offers: Vec<Offer>,
}

impl Engine {
    /// Groups live services that are the same offer on two or more live providers.
    pub fn compare_offers(&self, q: &OfferQuery) -> Result<Vec<OfferGroup>> {
        let limit = match q.limit {
            None => 50,
            Some(n) if (1..=500).contains(&n) => n,
            Some(_) => return Err(EngineError::input("limit", "must be between 1 and 500")),
        };
        let search = q
            .search
            .as_deref()
            .map(|s| format!("%{}%", s.trim().to_lowercase().replace(['%', '_'], "")));
        self.store().read(|c| {
            let mut stmt = c.prepare_cached(
                "WITH live AS ( \
                   SELECT s.* FROM services s JOIN providers p ON p.id = s.provider_id \
                   WHERE s.removed_at IS NULL AND p.removed_at IS NULL AND p.active = 1), \
                 groups AS ( \
                   SELECT offer_key FROM live \
                   WHERE (?1 IS NULL OR platform = ?1) AND (?2 IS NULL OR kind = ?2) \
                     AND (?3 IS NULL OR search_text LIKE ?3) \
                   GROUP BY offer_key HAVING count(DISTINCT provider_id) >= 2 \
                   ORDER BY offer_key LIMIT ?4) \
                 SELECT l.offer_key, l.platform, l.kind, l.id, p.name, l.service_id, l.name, \
                   l.rate, p.currency, l.min, l.max \
                 FROM live l JOIN groups g ON g.offer_key = l.offer_key \
                   JOIN providers p ON p.id = l.provider_id \
                 ORDER BY l.offer_key, l.rate_sort, p.priority DESC, l.id",
            )?;
            let rows = stmt.query_map(
                rusqlite::params![q.platform.map(Platform::as_str), q.kind, search, limit],
                |r| {
                    let rate: String = r.get(7)?;
                    Ok((
                        r.get::<_, String>(0)?,
                        r.get::<_, String>(1)?,
                        r.get::<_, String>(2)?,
                        Offer {
                            service_ref: r.get(3)?,
                            provider: r.get(4)?,
                            service_id: r.get(5)?,
                            name: r.get(6)?,
                            rate: money::from_text(&rate).map_err(|e| {
                                rusqlite::Error::FromSqlConversionFailure(
                                    7,
                                    rusqlite::types::Type::Text,
                                    e.into(),
                                )
                            })?,
                            currency: r.get(8)?,
                            min: r.get::<_, i64>(9)?.max(0) as u64,
                            max: r.get::<_, i64>(10)?.max(0) as u64,
                            cheapest: false,
                        },
                    ))
                },
            )?;
            let mut groups: Vec<OfferGroup> = Vec::new();
            for row in rows {
                let (key, platform, kind, offer) = row?;
                match groups.last_mut() {
                    Some(g) if g.key == key => g.offers.push(offer),
                    _ => groups.push(OfferGroup {
                        key,
                        platform: Platform::from_stored(&platform),
                        kind,
                        offers: vec![offer],
                    }),
                }
            }
            for g in &mut groups {
                mark_cheapest(&mut g.offers);
            }
            Ok(groups)
        })
    }
}

/// Marks the cheapest offer of each currency (rates in different currencies do not compare).
fn mark_cheapest(offers: &mut [Offer]) {
    let mut best: Vec<(Option<String>, Decimal)> = Vec::new();
    for o in offers.iter() {
        match best.iter_mut().find(|(c, _)| *c == o.currency) {
            Some((_, rate)) if o.rate < *rate => *rate = o.rate,
            Some(_) => {}
            None => best.push((o.currency.clone(), o.rate)),
        }
    }
    for o in offers.iter_mut() {
        o.cheapest = best.iter().any(|(c, r)| *c == o.currency && *r == o.rate);
    }
}
