//! smm-engine: everything SMM Desk does, without a user interface.
//!
//! The desktop app (`src-tauri`) and the command line (`crates/cli`) are thin faces over the
//! public functions of this crate.

pub mod logging;
pub mod paths;

/// The engine's version.
pub const VERSION: &str = env!("CARGO_PKG_VERSION");

#[cfg(test)]
mod tests {
    #[test]
    fn version_is_set() {
        assert!(!super::VERSION.is_empty());
    }
}
