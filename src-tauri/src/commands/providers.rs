//! Provider commands: presets, list, add, edit, enable/disable, remove, test, sync, demo.

use serde::{Deserialize, Serialize};
use smm_engine::{ApiKey, Engine, NewProvider, Provider, ProviderUpdate, ServiceQuery};
use tauri::State;

use super::catalog::DiffView;
use super::{blocking, money, time};
use crate::error::IpcError;
use crate::AppState;

/// A known provider the add form offers.
#[derive(Debug, Clone, Serialize, specta::Type)]
#[serde(rename_all = "camelCase")]
pub struct PresetView {
    /// `jap`, `smmkings`, `secsers`.
    pub id: String,
    /// The provider name (slug) the preset creates.
    pub name: String,
    /// The name shown to people.
    pub display_name: String,
    /// The API v2 endpoint.
    pub api_url: String,
}

/// A provider as the Providers screen shows it: the key only as `••••1234`.
#[derive(Debug, Clone, Serialize, specta::Type)]
#[serde(rename_all = "camelCase")]
pub struct ProviderView {
    /// Unique slug.
    pub name: String,
    /// The name shown to people.
    pub display_name: String,
    /// The API v2 endpoint.
    pub api_url: String,
    /// `••••` and the key's last 4 characters.
    pub key_hint: String,
    /// Enabled.
    pub active: bool,
    /// Higher first.
    #[specta(type = u32)]
    pub priority: i64,
    /// The account currency, from the last balance check.
    pub currency: Option<String>,
    /// The last known balance (a decimal string).
    pub balance: Option<String>,
    /// When the balance was checked (RFC 3339).
    pub balance_checked_at: Option<String>,
    /// The last failed test or sync: the provider is failing.
    pub last_error: Option<String>,
    /// A demo (simulator) provider.
    pub is_demo: bool,
    /// Live services in the catalog.
    #[specta(type = u32)]
    pub services: u64,
    /// When the catalog was last synced (RFC 3339).
    pub catalog_synced_at: Option<String>,
    /// Replies that carried PHP notices before their JSON (the JSON was still read).
    #[specta(type = u32)]
    pub noisy_replies: u64,
    /// When the last such reply came (RFC 3339).
    pub noisy_reply_at: Option<String>,
}

impl ProviderView {
    fn new(p: Provider, services: u64) -> Self {
        Self {
            name: p.name,
            display_name: p.display_name,
            api_url: p.api_url,
            key_hint: p.key_hint,
            active: p.active,
            priority: p.priority,
            currency: p.currency,
            balance: p.last_balance.map(money),
            balance_checked_at: p.balance_checked_at.map(time),
            last_error: p.last_error,
            is_demo: p.is_demo,
            services,
            catalog_synced_at: p.catalog_synced_at.map(time),
            noisy_replies: p.noisy_replies,
            noisy_reply_at: p.noisy_reply_at.map(time),
        }
    }
}

/// The add form. Empty optional fields mean "the default".
#[derive(Debug, Clone, Deserialize, specta::Type)]
#[serde(rename_all = "camelCase")]
pub struct ProviderInput {
    /// Unique slug.
    pub name: String,
    /// The name shown to people (empty: the slug).
    pub display_name: String,
    /// The API v2 endpoint.
    pub api_url: String,
    /// The API key (write-only: it never comes back).
    pub api_key: String,
    /// Higher first.
    pub priority: i32,
}

/// The edit form: the key only when the user typed a new one.
#[derive(Debug, Clone, Deserialize, specta::Type)]
#[serde(rename_all = "camelCase")]
pub struct ProviderEdit {
    /// The name shown to people.
    pub display_name: String,
    /// The API v2 endpoint.
    pub api_url: String,
    /// A new API key, or null to keep the stored one.
    pub api_key: Option<String>,
    /// Higher first.
    pub priority: i32,
}

/// The result of "Test connection".
#[derive(Debug, Clone, Serialize, specta::Type)]
#[serde(rename_all = "camelCase")]
pub struct BalanceView {
    /// The balance (a decimal string).
    pub balance: String,
    /// The account currency, when the provider said.
    pub currency: Option<String>,
    /// When it was checked (RFC 3339).
    pub checked_at: String,
}

/// "Try the demo panel": the provider and what its first sync found.
#[derive(Debug, Clone, Serialize, specta::Type)]
#[serde(rename_all = "camelCase")]
pub struct DemoView {
    /// The demo provider.
    pub provider: ProviderView,
    /// The catalog sync.
    pub diff: DiffView,
}

/// A provider with its count of live services (a query: call it on the blocking pool).
fn view(engine: &Engine, p: Provider) -> Result<ProviderView, IpcError> {
    let services = engine
        .list_services(&ServiceQuery {
            provider: Some(p.name.clone()),
            limit: Some(1),
            ..ServiceQuery::default()
        })?
        .total;
    Ok(ProviderView::new(p, services))
}

/// The presets: Just Another Panel, SMM Kings, Secsers.
#[tauri::command]
#[specta::specta]
pub fn provider_presets(state: State<'_, AppState>) -> Result<Vec<PresetView>, IpcError> {
    Ok(state
        .engine()?
        .presets()
        .iter()
        .map(|p| PresetView {
            id: p.id.into(),
            name: p.name.into(),
            display_name: p.display_name.into(),
            api_url: p.api_url.into(),
        })
        .collect())
}

/// Every live provider, highest priority first.
#[tauri::command]
#[specta::specta]
pub async fn list_providers(state: State<'_, AppState>) -> Result<Vec<ProviderView>, IpcError> {
    let engine = state.engine()?;
    blocking(move || {
        let providers = engine.list_providers()?;
        providers.into_iter().map(|p| view(&engine, p)).collect()
    })
    .await
}

/// Adds a provider; every field is checked by the engine before anything is written.
#[tauri::command]
#[specta::specta]
pub async fn add_provider(
    state: State<'_, AppState>,
    input: ProviderInput,
) -> Result<ProviderView, IpcError> {
    let mut new = NewProvider::new(input.name, input.api_url, ApiKey::new(input.api_key));
    new.display_name = Some(input.display_name).filter(|d| !d.trim().is_empty());
    new.priority = input.priority.into();
    let engine = state.engine()?;
    blocking(move || {
        let p = engine.add_provider(new)?;
        view(&engine, p)
    })
    .await
}

/// Changes a provider's display name, URL, priority and (when given) key.
#[tauri::command]
#[specta::specta]
pub async fn update_provider(
    state: State<'_, AppState>,
    name: String,
    edit: ProviderEdit,
) -> Result<ProviderView, IpcError> {
    let update = ProviderUpdate {
        display_name: Some(edit.display_name),
        api_url: Some(edit.api_url),
        api_key: edit.api_key.map(ApiKey::new),
        priority: Some(edit.priority.into()),
        ..ProviderUpdate::default()
    };
    let engine = state.engine()?;
    blocking(move || {
        let p = engine.update_provider(&name, update)?;
        view(&engine, p)
    })
    .await
}

/// Enables or disables a provider.
#[tauri::command]
#[specta::specta]
pub async fn set_provider_active(
    state: State<'_, AppState>,
    name: String,
    active: bool,
) -> Result<ProviderView, IpcError> {
    let engine = state.engine()?;
    blocking(move || {
        let p = engine.set_provider_active(&name, active)?;
        view(&engine, p)
    })
    .await
}

/// Removes a provider; its orders and history are kept.
#[tauri::command]
#[specta::specta]
pub async fn remove_provider(state: State<'_, AppState>, name: String) -> Result<(), IpcError> {
    let engine = state.engine()?;
    blocking(move || {
        engine.remove_provider(&name)?;
        Ok(())
    })
    .await
}

/// "Test connection": asks the provider for its balance.
#[tauri::command]
#[specta::specta]
pub async fn test_provider(
    state: State<'_, AppState>,
    name: String,
) -> Result<BalanceView, IpcError> {
    let check = state.engine()?.test_provider(&name).await?;
    Ok(BalanceView {
        balance: money(check.balance),
        currency: check.currency,
        checked_at: time(check.checked_at),
    })
}

/// "Try the demo panel": starts the built-in simulator and registers the demo provider.
#[tauri::command]
#[specta::specta]
pub async fn start_demo(state: State<'_, AppState>) -> Result<DemoView, IpcError> {
    let engine = state.engine()?;
    let mut running = state.demo.lock().await;
    let demo = engine.start_demo(state.demo_services).await?;
    let provider = blocking({
        let (engine, p) = (engine.clone(), demo.provider.clone());
        move || view(&engine, p)
    })
    .await?;
    let diff = DiffView::from(&demo.diff);
    // Replacing a previous run stops its server.
    *running = Some(demo);
    Ok(DemoView { provider, diff })
}
