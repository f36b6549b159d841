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
