//! Catalog sync: fetch `services`, diff against the store in one transaction per provider,
//! and record new, removed and changed services with price history. Nothing changed, nothing
//! written.

use std::collections::{HashMap, HashSet};
use std::time::Instant;

use rusqlite::{params, Transaction};
use rust_decimal::Decimal;
use serde::Serialize;
use smm_panel::Service;

use crate::catalog::platform;
use crate::engine::Engine;
use crate::error::{EngineError, Result};
use crate::money;
use crate::providers::Provider;

/// What one provider's sync changed.
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize)]
pub struct CatalogDiff {
    /// The provider's name.
    pub provider: String,
    /// Services in the provider's reply.
    pub total: u64,
    /// New services.
    pub added: u64,
    /// Services gone upstream (marked removed).
    pub removed: u64,
    /// Services back after being removed.
    pub restored: u64,
    /// Services whose rate, min or max changed (one price history row each).
    pub price_changed: u64,
    /// Services whose other fields (name, category, type, flags, description) changed.
    pub details_changed: u64,
    /// Services exactly as stored.
    pub unchanged: u64,
    /// Rows the catalog transaction wrote (0 when nothing changed).
    pub rows_written: u64,
    /// Duplicate service ids in the reply (the first one wins).
    pub duplicates_ignored: u64,
    /// Time spent writing, in milliseconds.
    pub store_ms: u64,
}

/// One provider's sync result, for "sync all": the diff or the error.
#[derive(Debug, Clone, Serialize)]
pub struct SyncOutcome {
    /// The provider's name.
    pub provider: String,
    /// The diff, when the sync worked.
    pub diff: Option<CatalogDiff>,
    /// The error as `{code, message}`, when it did not.
    pub error: Option<crate::error::ErrorBody>,
}

/// A stored service, as far as the diff needs it.
struct Stored {
    id: i64,
    name: String,
    service_type: String,
    category: String,
    rate: Decimal,
    min: i64,
    max: i64,
    refill: bool,
    cancel: bool,
    dripfeed: bool,
    description: Option<String>,
    removed: bool,
}

fn to_i64(n: u64) -> i64 {
    i64::try_from(n).unwrap_or(i64::MAX)
}

/// Applies a fetched catalog to the store for one provider. Runs inside `tx`.
pub(crate) fn apply(
    tx: &Transaction<'_>,
    provider_id: i64,
    fetched: &[Service],
    now: i64,
) -> Result<CatalogDiff> {
    let changes_before = tx.total_changes();
    let mut stored: HashMap<String, Stored> = HashMap::new();
    {
        let mut stmt = tx.prepare_cached(
            "SELECT id, service_id, name, type, category, rate, min, max, refill, cancel, \
             dripfeed, description, removed_at IS NOT NULL FROM services WHERE provider_id = ?1",
        )?;
        let mut rows = stmt.query([provider_id])?;
        while let Some(r) = rows.next()? {
            let rate: String = r.get(5)?;
            stored.insert(
                r.get(1)?,
                Stored {
                    id: r.get(0)?,
                    name: r.get(2)?,
                    service_type: r.get(3)?,
                    category: r.get(4)?,
                    rate: money::from_text(&rate)?,
                    min: r.get(6)?,
                    max: r.get(7)?,
                    refill: r.get(8)?,
                    cancel: r.get(9)?,
                    dripfeed: r.get(10)?,
                    description: r.get(11)?,
                    removed: r.get(12)?,
                },
            );
        }
    }

    let mut diff = CatalogDiff {
        total: fetched.len() as u64,
        ..Default::default()
    };
    let mut seen: HashSet<&str> = HashSet::with_capacity(fetched.len());
    let mut insert = tx.prepare_cached(
        "INSERT INTO services (provider_id, service_id, name, type, category, rate, rate_sort, \
         min, max, refill, cancel, dripfeed, description, platform, kind, offer_key, search_text, \
         first_seen, last_seen) \
         VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7, ?8, ?9, ?10, ?11, ?12, ?13, ?14, ?15, ?16, ?17, ?18, ?18)",
    )?;
    let mut update = tx.prepare_cached(
        "UPDATE services SET name = ?2, type = ?3, category = ?4, rate = ?5, rate_sort = ?6, \
         min = ?7, max = ?8, refill = ?9, cancel = ?10, dripfeed = ?11, description = ?12, \
         platform = ?13, kind = ?14, offer_key = ?15, search_text = ?16, last_seen = ?17, \
         removed_at = NULL WHERE id = ?1",
    )?;
    let mut history = tx.prepare_cached(
        "INSERT INTO price_history (service_ref, provider_id, changed_at, old_rate, new_rate, \
         old_min, new_min, old_max, new_max) VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7, ?8, ?9)",
    )?;

    for s in fetched {
        if !seen.insert(s.id.as_str()) {
            diff.duplicates_ignored += 1;
            continue;
        }
        let service_type = s.service_type.as_str();
        let (min, max) = (to_i64(s.min), to_i64(s.max));
        let description = s.description.as_deref().filter(|d| !d.trim().is_empty());
        let derived = || {
            let platform = platform::platform(&s.name, &s.category);
            let kind = platform::kind(&s.name, &s.category, service_type);
            let key = platform::offer_key(platform, kind, service_type, &s.name);
            (
                platform,
                kind,
                key,
                platform::search_text(&s.id, &s.name, &s.category),
            )
        };
        match stored.get(&s.id) {
            None => {
                let (platform, kind, key, search) = derived();
                insert.execute(params![
                    provider_id,
                    s.id,
                    s.name,
                    service_type,
                    s.category,
                    money::to_text(s.rate),
                    money::sort_key(s.rate),
                    min,
                    max,
                    s.refill,
                    s.cancel,
                    s.dripfeed,
                    description,
                    platform.as_str(),
                    kind,
                    key,
                    search,
                    now
                ])?;
                diff.added += 1;
            }
            Some(old) => {
                let price_changed = old.rate != s.rate || old.min != min || old.max != max;
                let details_changed = old.name != s.name
                    || old.service_type != service_type
                    || old.category != s.category
                    || old.refill != s.refill
                    || old.cancel != s.cancel
                    || old.dripfeed != s.dripfeed
                    || old.description.as_deref() != description;
                if !price_changed && !details_changed && !old.removed {
                    diff.unchanged += 1;
                    continue;
                }
                let (platform, kind, key, search) = derived();
                update.execute(params![
                    old.id,
                    s.name,
                    service_type,
                    s.category,
                    money::to_text(s.rate),
                    money::sort_key(s.rate),
                    min,
                    max,
                    s.refill,
                    s.cancel,
                    s.dripfeed,
                    description,
                    platform.as_str(),
                    kind,
                    key,
                    search,
                    now
                ])?;
                if price_changed {
                    history.execute(params![
                        old.id,
                        provider_id,
                        now,
                        money::to_text(old.rate),
                        money::to_text(s.rate),
                        old.min,
                        min,
                        old.max,
                        max
                    ])?;
                    diff.price_changed += 1;
                }
                if details_changed {
                    diff.details_changed += 1;
                }
                if old.removed {
                    diff.restored += 1;
                }
            }
        }
    }

    let mut remove = tx.prepare_cached(
        "UPDATE services SET removed_at = ?2 WHERE id = ?1 AND removed_at IS NULL",
    )?;
    for (service_id, old) in &stored {
        if !old.removed && !seen.contains(service_id.as_str()) {
            remove.execute(params![old.id, now])?;
            diff.removed += 1;
        }
    }
    diff.rows_written = tx.total_changes() - changes_before;
    Ok(diff)
}

impl Engine {
    /// Syncs one provider's catalog: fetches `services` and stores the diff in one
    /// transaction. A disabled provider is refused (`provider.inactive`).
    pub async fn sync_catalog(&self, name: &str) -> Result<CatalogDiff> {
        let provider = self.provider(name)?;
        if !provider.active {
            return Err(EngineError::ProviderInactive(provider.name));
        }
        self.sync_provider_catalog(provider).await
    }

    /// Syncs every active provider's catalog; one result per provider, in name order. One provider's failure does not stop the others.
    pub async fn sync_all_catalogs(&self) -> Result<Vec<SyncOutcome>> {
        let providers: Vec<Provider> = self
            .list_providers()?
            .into_iter()
            .filter(|p| p.active)
            .collect();
        // One after the other: each provider has its own limits, and a catalog write holds
        // the write lock anyway.
        let mut outcomes = Vec::with_capacity(providers.len());
        for provider in providers {
            let name = provider.name.clone();
            let result = self.sync_provider_catalog(provider).await;
            let (diff, error) = match result {
                Ok(d) => (Some(d), None),
                Err(e) => (None, Some(e.to_body())),
            };
            outcomes.push(SyncOutcome {
                provider: name,
                diff,
                error,
            });
        }
        outcomes.sort_by(|a, b| a.provider.cmp(&b.provider));
        Ok(outcomes)
    }

    async fn sync_provider_catalog(&self, provider: Provider) -> Result<CatalogDiff> {
        let started = self.now_ms();
        self.job_started("catalog_sync", provider.id, started)?;
        let client = self.client_for(&provider)?;
        let fetched = match self
            .logged_call(&provider, "services", move || async move {
                client.services().await
            })
            .await
        {
            Ok(f) => f,
            Err(e) => {
                let message = e.to_string();
                self.set_provider_error(provider.id, Some(&message))?;
                self.job_finished("catalog_sync", provider.id, Some(&message))?;
                return Err(e);
            }
        };
        let engine = self.clone();
        let provider_id = provider.id;
        let mut diff = tokio::task::spawn_blocking(move || {
            let timer = Instant::now();
            let now = engine.now_ms();
            let mut diff = engine.store().write(|tx| {
                let live: bool = tx.query_row(
                    "SELECT removed_at IS NULL FROM providers WHERE id = ?1",
                    [provider_id],
                    |r| r.get(0),
                )?;
                if !live {
                    return Err(EngineError::ProviderNotFound(format!("#{provider_id}")));
                }
                let diff = apply(tx, provider_id, &fetched, now)?;
                tx.execute(
                    "UPDATE providers SET catalog_synced_at = ?1, last_error = NULL WHERE id = ?2",
                    params![now, provider_id],
                )?;
                Ok(diff)
            })?;
            diff.store_ms = u64::try_from(timer.elapsed().as_millis()).unwrap_or(u64::MAX);
            Ok::<_, EngineError>(diff)
        })
        .await
        .map_err(|e| EngineError::Internal(format!("catalog store task failed: {e}")))??;
        diff.provider = provider.name.clone();
        self.job_finished("catalog_sync", provider.id, None)?;
        // A raised rate may have pushed a selling price below the minimum margin.
        self.check_margin_alerts(provider.id, started)?;
        tracing::info!(
            provider = %provider.name,
            total = diff.total,
            added = diff.added,
            removed = diff.removed,
            price_changed = diff.price_changed,
            "catalog synced"
        );
        Ok(diff)
    }

    /// Marks a job as started for a provider (the scheduler's bookkeeping).
    pub(crate) fn job_started(&self, job: &str, provider_id: i64, now: i64) -> Result<()> {
        self.store().write(|tx| {
            tx.execute(
                "INSERT INTO job_runs (job, provider_id, last_started_at) VALUES (?1, ?2, ?3) \
                 ON CONFLICT (job, ifnull(provider_id, 0)) DO UPDATE SET last_started_at = ?3",
                params![job, provider_id, now],
            )?;
            Ok(())
        })
    }

    /// Marks a job as finished, with its error if it failed.
    pub(crate) fn job_finished(
        &self,
        job: &str,
        provider_id: i64,
        error: Option<&str>,
    ) -> Result<()> {
        let now = self.now_ms();
        self.store().write(|tx| {
            match error {
                None => tx.execute(
                    "UPDATE job_runs SET last_success_at = ?3 WHERE job = ?1 AND provider_id = ?2",
                    params![job, provider_id, now],
                )?,
                Some(e) => tx.execute(
                    "UPDATE job_runs SET last_error = ?3, last_error_at = ?4 \
                     WHERE job = ?1 AND provider_id = ?2",
                    params![job, provider_id, e, now],
                )?,
            };
            Ok(())
        })
    }
}
