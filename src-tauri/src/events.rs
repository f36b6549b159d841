//! Events the app sends the UI (typed through tauri-specta), so it refreshes without polling.

use serde::{Deserialize, Serialize};

/// Providers or their catalogs changed behind the UI's back (e.g. the demo panel came back
/// after a restart); the UI refreshes its provider and catalog data.
#[derive(Debug, Clone, Serialize, Deserialize, specta::Type)]
#[serde(rename_all = "camelCase")]
pub struct ProvidersChanged {
    /// Why: `demo_resumed`.
    pub reason: String,
}

impl tauri_specta::Event for ProvidersChanged {
    const NAME: &'static str = "providers-changed";
}

/// What changed in the engine during one burst of events (coalesced, see
/// `background::COALESCE`): the UI refreshes the matching queries instead of polling.
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize, Deserialize, specta::Type)]
#[serde(rename_all = "camelCase")]
pub struct EngineChanged {
    /// Orders whose status, charge, refills or cancel requests changed (local ids).
    pub orders: Vec<u32>,
    /// Providers whose balance was fetched.
    pub balances: Vec<String>,
    /// Providers whose catalog changed.
    pub catalogs: Vec<String>,
    /// Job health changed.
    pub jobs: bool,
    /// Alerts raised (ids).
    pub alerts: Vec<u32>,
    /// Events were lost: refresh everything.
    pub everything: bool,
}

impl From<smm_engine::ChangeSet> for EngineChanged {
    fn from(set: smm_engine::ChangeSet) -> Self {
        let id = |i: i64| u32::try_from(i).unwrap_or(u32::MAX);
        Self {
            orders: set.orders.into_iter().map(id).collect(),
            balances: set.balances.into_iter().collect(),
            catalogs: set.catalogs.into_iter().collect(),
            jobs: set.jobs,
            alerts: set.alerts.into_iter().map(id).collect(),
            everything: set.everything,
        }
    }
}

impl tauri_specta::Event for EngineChanged {
    const NAME: &'static str = "engine-changed";
}
