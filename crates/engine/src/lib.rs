//! smm-engine: everything SMM Desk does, without a user interface.
//!
//! The desktop app (`src-tauri`) and the command line (`crates/cli`) are thin faces over the
//! public functions of this crate, all reached through one [`Engine`].

pub mod api_log;
pub mod catalog;
pub mod clock;
mod engine;
pub mod error;
pub mod logging;
pub mod money;
pub mod paths;
pub mod providers;
pub mod secrets;
pub mod store;

pub use catalog::{CatalogDiff, CatalogService, Platform, ServicePage, ServiceQuery};
pub use engine::{Engine, EngineOptions};
pub use error::{EngineError, ErrorBody, Result};
pub use providers::{BalanceCheck, NewProvider, Preset, Provider, ProviderUpdate};
pub use secrets::{ApiKey, KeyStore, KeyStoreChoice};

/// The engine's version.
pub const VERSION: &str = env!("CARGO_PKG_VERSION");

#[cfg(test)]
mod tests {
    #[test]
    fn version_is_set() {
        assert!(!super::VERSION.is_empty());
    }
}
