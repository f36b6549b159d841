//! "Try the demo panel": the built-in simulator as a labelled demo provider, so a new user can
//! click through everything without an API key (docs/architecture.md §7).
//!
//! [`Engine::start_demo`] starts a simulated panel on 127.0.0.1 inside the current tokio
//! runtime, adds (or points again) the provider [`DEMO_PROVIDER`] at it with `is_demo` set,
//! checks its balance and syncs its catalog. The caller keeps the returned [`DemoPanel`]
//! alive: dropping it stops the simulator.

use smm_panel::sim::{SimConfig, SimHandle, Simulator};

use crate::catalog::CatalogDiff;
use crate::engine::Engine;
use crate::error::{EngineError, Result};
use crate::providers::{NewProvider, Provider, ProviderUpdate};

/// The name of the demo provider.
pub const DEMO_PROVIDER: &str = "demo";
/// Its display name.
pub const DEMO_DISPLAY_NAME: &str = "Demo panel";
/// Services in the demo catalog unless asked otherwise.
pub const DEFAULT_DEMO_SERVICES: usize = 300;
/// Simulated seconds per real second: demo orders progress within minutes.
pub const DEMO_TIME_SCALE: u32 = 60;

/// A running demo panel and the provider that points at it.
pub struct DemoPanel {
    /// The simulator; dropping it stops the server.
    pub sim: SimHandle,
    /// The demo provider, after its balance check.
    pub provider: Provider,
    /// What the catalog sync found.
    pub diff: CatalogDiff,
}

impl std::fmt::Debug for DemoPanel {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("DemoPanel")
            .field("url", &self.sim.url())
            .field("provider", &self.provider.name)
            .finish_non_exhaustive()
    }
}

impl Engine {
    /// The highest numeric order and refill ids the demo provider ever handed out (0 if none).
    fn demo_ids_used(&self) -> Result<(u64, u64)> {
        self.store().read(|c| {
            let max = |sql: &str| -> rusqlite::Result<u64> {
                let v: Option<i64> = c.query_row(sql, [DEMO_PROVIDER], |r| r.get(0))?;
                Ok(v.map_or(0, |v| u64::try_from(v).unwrap_or(0)))
            };
            Ok((
                max("SELECT MAX(CAST(o.external_id AS INTEGER)) FROM orders o \
                     JOIN providers p ON p.id = o.provider_id \
                     WHERE p.name = ?1 AND p.is_demo AND p.removed_at IS NULL")?,
                max(
                    "SELECT MAX(CAST(r.external_refill_id AS INTEGER)) FROM refills r \
                     JOIN providers p ON p.id = r.provider_id \
                     WHERE p.name = ?1 AND p.is_demo AND p.removed_at IS NULL",
                )?,
            ))
        })
    }

    /// Starts the demo panel with `services` services (50 to 50,000), registers or refreshes
    /// the demo provider (URL, key, enabled), checks its balance and syncs its catalog.
    pub async fn start_demo(&self, services: usize) -> Result<DemoPanel> {
        // A restarted demo panel hands out ids above the ones its earlier runs did, so a new
        // order never takes an old order's id (the demo provider's history stays apart).
        let (last_order, last_refill) = self.demo_ids_used()?;
        let config = SimConfig {
            services: services.clamp(50, 50_000),
            time_scale: DEMO_TIME_SCALE,
            first_order_id: (last_order + 1).max(SimConfig::default().first_order_id),
            first_refill_id: (last_refill + 1).max(SimConfig::default().first_refill_id),
            ..SimConfig::default()
        };
        let sim = Simulator::start(config)
            .await
            .map_err(|e| EngineError::io("starting the demo panel", e))?;
        match self.provider(DEMO_PROVIDER) {
            Ok(existing) if existing.is_demo => {
                self.update_provider(
                    DEMO_PROVIDER,
                    ProviderUpdate {
                        api_url: Some(sim.url()),
                        api_key: Some(sim.key()),
                        active: Some(true),
                        ..ProviderUpdate::default()
                    },
                )?;
            }
            // A real provider took the name: leave it alone.
            Ok(_) => return Err(EngineError::ProviderNameTaken(DEMO_PROVIDER.into())),
            Err(EngineError::ProviderNotFound(_)) => {
                let mut new = NewProvider::new(DEMO_PROVIDER, sim.url(), sim.key());
                new.display_name = Some(DEMO_DISPLAY_NAME.into());
                new.is_demo = true;
                // A simulator on this computer: no need to spare it like a real panel.
                new.requests_per_minute = Some(10_000);
                self.add_provider(new)?;
            }
            Err(e) => return Err(e),
        }
        self.test_provider(DEMO_PROVIDER).await?;
        let diff = self.sync_catalog(DEMO_PROVIDER).await?;
        let provider = self.provider(DEMO_PROVIDER)?;
        Ok(DemoPanel {
            sim,
            provider,
            diff,
        })
    }
}
