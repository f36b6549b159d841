//! Talking to a provider: building its client, the one path of every provider call (limits,
//! timing, API log, "provider failing"), and "test connection".

use std::future::Future;
use std::sync::atomic::{AtomicU64, Ordering};
use std::sync::{Arc, PoisonError};

use jiff::Timestamp;
use rusqlite::{params, Transaction};
use rust_decimal::Decimal;
use serde::Serialize;
use smm_panel::{Client, PanelError, ProviderConfig};

use crate::clock::to_millis;
use crate::engine::Engine;
use crate::error::{EngineError, Result};
use crate::money;
use crate::provider_call::log::{self as api_log, ApiCall};
use crate::provider_call::{timed_call, ProviderCall};
use crate::providers::{by_name, Provider};

/// The error code of a call the provider refused because of the key.
const KEY_REJECTED_CODE: &str = "provider.invalid_key";

/// The result of a successful connection test.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct BalanceCheck {
    /// The provider's name.
    pub provider: String,
    /// The balance the provider reported.
    pub balance: Decimal,
    /// The account currency, when the provider said.
    pub currency: Option<String>,
    /// When it was checked.
    pub checked_at: Timestamp,
}

impl Engine {
    /// A client for a live provider, with its decrypted key, user agent and the engine's retry
    /// policy. The key never leaves the client.
    pub(crate) fn client_for(&self, provider: &Provider) -> Result<Client> {
        let key = self.provider_key(provider.id)?;
        let mut config = ProviderConfig::new(provider.api_url.clone(), key);
        if let Some(ua) = &provider.user_agent {
            config.user_agent = ua.clone();
        }
        config.retry = self.inner.retry.clone();
        config.noisy_replies = self.noisy_replies(provider.id);
        Client::new(config).map_err(|source| EngineError::Panel {
            provider: provider.name.clone(),
            source,
        })
    }

    /// Makes one provider call once the provider's limits allow it, and times it. The caller
    /// stores the entry with [`Engine::record_call`], together with what it learned.
    pub(crate) async fn call_provider<T, F, Fut>(
        &self,
        provider: &Provider,
        action: &str,
        call: F,
    ) -> ProviderCall<T>
    where
        F: FnOnce() -> Fut,
        Fut: Future<Output = Result<T, PanelError>>,
    {
        // Shared with every job and user action of this provider (background work yields).
        timed_call(
            &self.inner.background.limits,
            self.inner.clock.as_ref(),
            provider.id,
            provider.max_concurrency,
            provider.requests_per_minute,
            action,
            call,
        )
        .await
    }

    /// The most recent logged calls, newest first (all providers when `provider_id` is None).
    pub fn recent_api_calls(&self, provider_id: Option<i64>, limit: u32) -> Result<Vec<ApiCall>> {
        self.store()
            .read(|c| api_log::recent(c, provider_id, limit))
    }

    /// The counter of noisy replies (PHP notices before the JSON) that every client of this
    /// provider adds to; [`Engine::record_call`] moves it into the provider's row.
    fn noisy_replies(&self, provider_id: i64) -> Arc<AtomicU64> {
        let mut counters = self
            .inner
            .noisy_replies
            .lock()
            .unwrap_or_else(PoisonError::into_inner);
        counters.entry(provider_id).or_default().clone()
    }

    /// Stores a call in the API log in the same transaction as what `record` writes (both or
    /// neither), with the provider's noisy replies since the last call; then counts it for the
    /// "provider failing" alert and raises or clears "key rejected".
    pub(crate) fn record_call<R>(
        &self,
        provider: &Provider,
        entry: &ApiCall,
        record: impl FnOnce(&Transaction<'_>) -> Result<R>,
    ) -> Result<R> {
        let counter = self.noisy_replies(provider.id);
        let noisy = counter.swap(0, Ordering::Relaxed);
        let recorded = self.store().write(|tx| {
            api_log::record(tx, entry)?;
            if noisy > 0 {
                tx.execute(
                    "UPDATE providers SET noisy_replies = noisy_replies + ?2, noisy_reply_at = ?3 \
                     WHERE id = ?1",
                    params![provider.id, noisy as i64, to_millis(entry.started_at)],
                )?;
            }
            record(tx)
        });
        let recorded = recorded.inspect_err(|_| {
            // Not stored: counted again with the next call.
            counter.fetch_add(noisy, Ordering::Relaxed);
        })?;
        // "Provider failing" counts calls the provider did not answer.
        let answered = matches!(entry.outcome.as_str(), "ok" | "rejected");
        if let Err(e) = self.note_provider_call(provider.id, answered) {
            tracing::warn!(provider = %provider.name, "provider failing alert: {e}");
        }
        let key = match (entry.outcome.as_str(), entry.error_code.as_deref()) {
            (_, Some(KEY_REJECTED_CODE)) => Some(true),
            ("ok", _) => Some(false),
            _ => None,
        };
        if let Some(rejected) = key {
            if let Err(e) = self.note_key_answer(provider, rejected) {
                tracing::warn!(provider = %provider.name, "key rejected alert: {e}");
            }
        }
        Ok(recorded)
    }

    /// Runs one provider call under the provider's limits and logs it (action, start,
    /// duration, outcome, HTTP status).
    pub(crate) async fn logged_call<T, F, Fut>(
        &self,
        provider: &Provider,
        action: &str,
        call: F,
    ) -> Result<T>
    where
        F: FnOnce() -> Fut,
        Fut: Future<Output = Result<T, PanelError>>,
    {
        let ProviderCall { result, entry } = self.call_provider(provider, action, call).await;
        self.record_call(provider, &entry, |_| Ok(()))?;
        result.map_err(|source| EngineError::Panel {
            provider: provider.name.clone(),
            source,
        })
    }

    /// Remembers (or clears) a provider's last error.
    pub(crate) fn set_provider_error(&self, provider_id: i64, error: Option<&str>) -> Result<()> {
        self.store().write(|tx| {
            tx.execute(
                "UPDATE providers SET last_error = ?1 WHERE id = ?2 AND last_error IS NOT ?1",
                params![error, provider_id],
            )?;
            Ok(())
        })
    }

    /// "Test connection": asks the provider for its balance and stores it (the provider's
    /// balance and currency, a balance snapshot, the call in the API log). Works for disabled
    /// providers too, so a key can be checked before the provider is enabled. A balance below
    /// the provider's threshold raises the low-balance alert; one back above clears it.
    pub async fn test_provider(&self, name: &str) -> Result<BalanceCheck> {
        let provider = self.provider(name)?;
        let client = self.client_for(&provider)?;
        let result = self
            .logged_call(&provider, "balance", move || async move {
                client.balance().await
            })
            .await;
        let balance = match result {
            Ok(b) => b,
            Err(e) => {
                self.set_provider_error(provider.id, Some(&e.to_string()))?;
                return Err(e);
            }
        };
        let checked_at = self.now();
        let now = to_millis(checked_at);
        let currency = balance.currency.clone().or(provider.currency.clone());
        let amount = money::to_text(balance.amount);
        let id = self.store().write(|tx| {
            // The provider may have been removed meanwhile: then nothing is stored.
            let current = by_name(tx, name)?;
            tx.execute(
                "UPDATE providers SET last_balance = ?1, currency = ?2, balance_checked_at = ?3, \
                 last_error = NULL WHERE id = ?4",
                params![amount, currency, now, current.id],
            )?;
            tx.execute(
                "INSERT INTO balance_snapshots (provider_id, amount, currency, taken_at) \
                 VALUES (?1, ?2, ?3, ?4)",
                params![
                    current.id,
                    amount,
                    currency.clone().unwrap_or_default(),
                    now
                ],
            )?;
            Ok(current.id)
        })?;
        // Every recorded balance meets the low-balance check here, once: the CLI, the app's
        // check now, a provider test and the background job alike. The threshold as stored
        // now, with the currency just fetched.
        self.check_low_balance(&self.provider_by_id(id)?, balance.amount)?;
        // What the provider took since the last reading, against what SMM Desk knows of.
        self.reconcile_balance(id)?;
        Ok(BalanceCheck {
            provider: provider.name,
            balance: balance.amount.normalize(),
            currency,
            checked_at,
        })
    }
}
