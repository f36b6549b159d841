//! Providers: add, list, update, enable/disable, remove (soft), and their presets.

mod connection;
pub mod presets;
pub mod validate;

use jiff::Timestamp;
use rusqlite::{params, Connection, OptionalExtension, Row};
use rust_decimal::Decimal;
use serde::Serialize;

use crate::clock::from_millis;
use crate::engine::Engine;
use crate::error::{EngineError, Result};
use crate::money;
use crate::secrets::{hint_from_last4, last4, ApiKey};

pub use connection::BalanceCheck;
pub use presets::{preset, Preset, PRESETS};

/// Default concurrent requests to one provider.
pub const DEFAULT_MAX_CONCURRENCY: u32 = 4;
/// Default requests per minute to one provider.
pub const DEFAULT_REQUESTS_PER_MINUTE: u32 = 60;

/// A provider as the UI and the CLI see it: the key only as `••••1234`.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct Provider {
    /// Local id.
    pub id: i64,
    /// Unique slug.
    pub name: String,
    /// The name shown to people.
    pub display_name: String,
    /// The API v2 endpoint.
    pub api_url: String,
    /// `••••` and the key's last 4 characters.
    pub key_hint: String,
    /// Whether syncs and orders use this provider.
    pub active: bool,
    /// Higher first.
    pub priority: i64,
    /// The account currency, from the last balance check.
    pub currency: Option<String>,
    /// The last known balance.
    pub last_balance: Option<Decimal>,
    /// When the balance was last checked.
    pub balance_checked_at: Option<Timestamp>,
    /// The last failed connection test or sync (never contains the key).
    pub last_error: Option<String>,
    /// The User-Agent sent to this provider (None: the client's default).
    pub user_agent: Option<String>,
    /// Concurrent requests allowed.
    pub max_concurrency: u32,
    /// Requests per minute allowed.
    pub requests_per_minute: u32,
    /// A demo (simulator) provider, kept out of real totals.
    pub is_demo: bool,
    /// Alert when the balance falls below this.
    pub low_balance_threshold: Option<Decimal>,
    /// When the catalog was last synced.
    pub catalog_synced_at: Option<Timestamp>,
    /// When it was added.
    pub created_at: Timestamp,
    /// When it was last changed.
    pub updated_at: Timestamp,
    /// When it was removed (orders and history stay readable).
    pub removed_at: Option<Timestamp>,
    /// Replies that carried PHP notices before their JSON (the provider shows PHP errors to
    /// API callers; the JSON after them was decoded). 0 for a clean provider.
    pub noisy_replies: u64,
    /// When the last such reply came.
    pub noisy_reply_at: Option<Timestamp>,
}

/// What a new provider needs.
#[derive(Debug, Clone)]
pub struct NewProvider {
    /// Unique slug.
    pub name: String,
    /// Defaults to the name.
    pub display_name: Option<String>,
    /// https, or http on loopback only.
    pub api_url: String,
    /// The API key (encrypted before it is stored).
    pub api_key: ApiKey,
    /// Higher first; default 0.
    pub priority: i64,
    /// Empty or None: the client's default.
    pub user_agent: Option<String>,
    /// Default 4.
    pub max_concurrency: Option<u32>,
    /// Default 60.
    pub requests_per_minute: Option<u32>,
    /// Alert threshold; none by default.
    pub low_balance_threshold: Option<Decimal>,
    /// A demo (simulator) provider.
    pub is_demo: bool,
}

impl NewProvider {
    /// A provider with the given name, URL and key, and defaults for the rest.
    pub fn new(name: impl Into<String>, api_url: impl Into<String>, api_key: ApiKey) -> Self {
        Self {
            name: name.into(),
            display_name: None,
            api_url: api_url.into(),
            api_key,
            priority: 0,
            user_agent: None,
            max_concurrency: None,
            requests_per_minute: None,
            low_balance_threshold: None,
            is_demo: false,
        }
    }

    /// A provider from a preset: its name, display name and URL.
    pub fn from_preset(preset: &Preset, api_key: ApiKey) -> Self {
        let mut p = Self::new(preset.name, preset.api_url, api_key);
        p.display_name = Some(preset.display_name.to_string());
        p
    }
}

/// Changes to a provider; `None` leaves a field as it is.
#[derive(Debug, Clone, Default)]
pub struct ProviderUpdate {
    /// A new display name.
    pub display_name: Option<String>,
    /// A new API URL.
    pub api_url: Option<String>,
    /// A new API key.
    pub api_key: Option<ApiKey>,
    /// A new priority.
    pub priority: Option<i64>,
    /// A new User-Agent (`Some("")` goes back to the default).
    pub user_agent: Option<String>,
    /// A new concurrency limit.
    pub max_concurrency: Option<u32>,
    /// A new rate limit.
    pub requests_per_minute: Option<u32>,
    /// A new threshold (`Some(None)` removes it).
    pub low_balance_threshold: Option<Option<Decimal>>,
    /// Enable or disable.
    pub active: Option<bool>,
}

const COLUMNS: &str = "id, name, display_name, api_url, key_last4, active, priority, currency, \
     last_balance, balance_checked_at, last_error, user_agent, max_concurrency, \
     requests_per_minute, is_demo, low_balance_threshold, catalog_synced_at, created_at, \
     updated_at, removed_at, noisy_replies, noisy_reply_at";

fn opt_money(text: Option<String>) -> rusqlite::Result<Option<Decimal>> {
    text.map(|t| {
        money::from_text(&t).map_err(|e| {
            rusqlite::Error::FromSqlConversionFailure(0, rusqlite::types::Type::Text, e.into())
        })
    })
    .transpose()
}

fn from_row(r: &Row<'_>) -> rusqlite::Result<Provider> {
    Ok(Provider {
        id: r.get(0)?,
        name: r.get(1)?,
        display_name: r.get(2)?,
        api_url: r.get(3)?,
        key_hint: hint_from_last4(&r.get::<_, String>(4)?),
        active: r.get(5)?,
        priority: r.get(6)?,
        currency: r.get(7)?,
        last_balance: opt_money(r.get(8)?)?,
        balance_checked_at: r.get::<_, Option<i64>>(9)?.map(from_millis),
        last_error: r.get(10)?,
        user_agent: r.get(11)?,
        max_concurrency: r.get(12)?,
        requests_per_minute: r.get(13)?,
        is_demo: r.get(14)?,
        low_balance_threshold: opt_money(r.get(15)?)?,
        catalog_synced_at: r.get::<_, Option<i64>>(16)?.map(from_millis),
        created_at: from_millis(r.get(17)?),
        updated_at: from_millis(r.get(18)?),
        removed_at: r.get::<_, Option<i64>>(19)?.map(from_millis),
        noisy_replies: r.get::<_, i64>(20)?.max(0) as u64,
        noisy_reply_at: r.get::<_, Option<i64>>(21)?.map(from_millis),
    })
}

/// The live provider with this name.
pub(crate) fn by_name(conn: &Connection, name: &str) -> Result<Provider> {
    conn.prepare_cached(&format!(
        "SELECT {COLUMNS} FROM providers WHERE name = ?1 AND removed_at IS NULL"
    ))?
    .query_row([name], from_row)
    .optional()?
    .ok_or_else(|| EngineError::ProviderNotFound(name.to_string()))
}

/// Any provider, removed ones included (orders point at them).
pub(crate) fn by_id(conn: &Connection, id: i64) -> Result<Provider> {
    conn.prepare_cached(&format!("SELECT {COLUMNS} FROM providers WHERE id = ?1"))?
        .query_row([id], from_row)
        .optional()?
        .ok_or_else(|| EngineError::ProviderNotFound(format!("#{id}")))
}

fn name_taken(conn: &Connection, name: &str) -> Result<bool> {
    Ok(conn.query_row(
        "SELECT EXISTS (SELECT 1 FROM providers WHERE name = ?1 AND removed_at IS NULL)",
        [name],
        |r| r.get(0),
    )?)
}

impl Engine {
    /// The presets (JAP, SMM Kings, Secsers).
    pub fn presets(&self) -> &'static [Preset] {
        &PRESETS
    }

    /// Adds a provider; the key is encrypted with the new row's id as associated data.
    /// Every field is checked before anything is written.
    pub fn add_provider(&self, new: NewProvider) -> Result<Provider> {
        let name = validate::name(&new.name)?;
        let display_name = validate::display_name(new.display_name.as_deref().unwrap_or(&name))?;
        let api_url = validate::api_url(&new.api_url)?;
        let key = validate::key(&new.api_key)?;
        let priority = validate::priority(new.priority)?;
        let user_agent = validate::user_agent(new.user_agent.as_deref().unwrap_or(""))?;
        let max_concurrency =
            validate::max_concurrency(new.max_concurrency.unwrap_or(DEFAULT_MAX_CONCURRENCY))?;
        let requests_per_minute = validate::requests_per_minute(
            new.requests_per_minute
                .unwrap_or(DEFAULT_REQUESTS_PER_MINUTE),
        )?;
        let threshold = new
            .low_balance_threshold
            .map(validate::threshold)
            .transpose()?
            .map(money::to_text);
        let now = self.now_ms();
        let master = &self.inner.master_key;
        self.store().write(|tx| {
            if name_taken(tx, &name)? {
                return Err(EngineError::ProviderNameTaken(name.clone()));
            }
            tx.execute(
                "INSERT INTO providers (name, display_name, api_url, api_key_enc, key_last4, \
                 priority, user_agent, max_concurrency, requests_per_minute, is_demo, \
                 low_balance_threshold, created_at, updated_at) \
                 VALUES (?1, ?2, ?3, x'', ?4, ?5, ?6, ?7, ?8, ?9, ?10, ?11, ?11)",
                params![
                    name,
                    display_name,
                    api_url,
                    last4(key.expose()),
                    priority,
                    user_agent,
                    max_concurrency,
                    requests_per_minute,
                    new.is_demo,
                    threshold,
                    now
                ],
            )?;
            let id = tx.last_insert_rowid();
            let sealed = master.seal_key(id, &key)?;
            tx.execute(
                "UPDATE providers SET api_key_enc = ?1 WHERE id = ?2",
                params![sealed, id],
            )?;
            by_id(tx, id)
        })
    }

    /// Every live provider, highest priority first.
    pub fn list_providers(&self) -> Result<Vec<Provider>> {
        self.store().read(|c| {
            let mut stmt = c.prepare_cached(&format!(
                "SELECT {COLUMNS} FROM providers WHERE removed_at IS NULL \
                 ORDER BY priority DESC, name"
            ))?;
            let rows = stmt.query_map([], from_row)?;
            Ok(rows.collect::<rusqlite::Result<_>>()?)
        })
    }

    /// The live provider with this name.
    pub fn provider(&self, name: &str) -> Result<Provider> {
        self.store().read(|c| by_name(c, name))
    }

    /// Any provider by id, removed ones included (for orders and history).
    pub fn provider_by_id(&self, id: i64) -> Result<Provider> {
        self.store().read(|c| by_id(c, id))
    }

    /// Changes a provider; every field is checked before anything is written.
    pub fn update_provider(&self, name: &str, update: ProviderUpdate) -> Result<Provider> {
        let display_name = update
            .display_name
            .as_deref()
            .map(validate::display_name)
            .transpose()?;
        let api_url = update
            .api_url
            .as_deref()
            .map(validate::api_url)
            .transpose()?;
        let key = update.api_key.as_ref().map(validate::key).transpose()?;
        let priority = update.priority.map(validate::priority).transpose()?;
        let user_agent = update
            .user_agent
            .as_deref()
            .map(validate::user_agent)
            .transpose()?;
        let max_concurrency = update
            .max_concurrency
            .map(validate::max_concurrency)
            .transpose()?;
        let requests_per_minute = update
            .requests_per_minute
            .map(validate::requests_per_minute)
            .transpose()?;
        let threshold = update
            .low_balance_threshold
            .map(|t| t.map(validate::threshold).transpose())
            .transpose()?;
        let now = self.now_ms();
        let master = &self.inner.master_key;
        self.store().write(|tx| {
            let current = by_name(tx, name)?;
            let id = current.id;
            use rusqlite::types::Value;
            let mut changes: Vec<(&str, Value)> = Vec::new();
            if let Some(v) = display_name {
                changes.push(("display_name", Value::Text(v)));
            }
            if let Some(v) = api_url {
                changes.push(("api_url", Value::Text(v)));
            }
            if let Some(k) = &key {
                changes.push(("api_key_enc", Value::Blob(master.seal_key(id, k)?)));
                changes.push(("key_last4", Value::Text(last4(k.expose()))));
            }
            if let Some(v) = priority {
                changes.push(("priority", Value::Integer(v)));
            }
            if let Some(v) = user_agent {
                changes.push(("user_agent", v.map_or(Value::Null, Value::Text)));
            }
            if let Some(v) = max_concurrency {
                changes.push(("max_concurrency", Value::Integer(v.into())));
            }
            if let Some(v) = requests_per_minute {
                changes.push(("requests_per_minute", Value::Integer(v.into())));
            }
            if let Some(v) = threshold {
                let text = v.map(money::to_text);
                changes.push((
                    "low_balance_threshold",
                    text.map_or(Value::Null, Value::Text),
                ));
            }
            if let Some(v) = update.active {
                changes.push(("active", Value::Integer(v.into())));
            }
            if !changes.is_empty() {
                changes.push(("updated_at", Value::Integer(now)));
            }
            for (column, value) in changes {
                tx.execute(
                    &format!("UPDATE providers SET {column} = ?1 WHERE id = ?2"),
                    params![value, id],
                )?;
            }
            by_id(tx, id)
        })
    }

    /// Enables or disables a provider.
    pub fn set_provider_active(&self, name: &str, active: bool) -> Result<Provider> {
        self.update_provider(
            name,
            ProviderUpdate {
                active: Some(active),
                ..Default::default()
            },
        )
    }

    /// Removes a provider: it disappears from lists and its key is erased, but its orders,
    /// services and history stay readable. Its name may be used again.
    pub fn remove_provider(&self, name: &str) -> Result<Provider> {
        let now = self.now_ms();
        self.store().write(|tx| {
            let current = by_name(tx, name)?;
            tx.execute(
                "UPDATE providers SET removed_at = ?1, updated_at = ?1, active = 0, \
                 api_key_enc = x'' WHERE id = ?2",
                params![now, current.id],
            )?;
            by_id(tx, current.id)
        })
    }

    /// The decrypted key of a live provider; stays inside the engine.
    pub(crate) fn provider_key(&self, provider_id: i64) -> Result<ApiKey> {
        let blob: Vec<u8> = self.store().read(|c| {
            c.query_row(
                "SELECT api_key_enc FROM providers WHERE id = ?1 AND removed_at IS NULL",
                [provider_id],
                |r| r.get(0),
            )
            .optional()?
            .ok_or_else(|| EngineError::ProviderNotFound(format!("#{provider_id}")))
        })?;
        self.inner.master_key.open_key(provider_id, &blob)
    }
}
