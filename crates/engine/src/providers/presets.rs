//! The providers SMM Desk knows out of the box: they only need a key.

use serde::Serialize;

use crate::error::{EngineError, Result};

/// A known provider: its slug, display name and API URL.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize)]
pub struct Preset {
    /// The short id used by `smmdesk provider add --preset ID`.
    pub id: &'static str,
    /// The provider name (slug) the preset creates.
    pub name: &'static str,
    /// The name shown to people.
    pub display_name: &'static str,
    /// The API v2 endpoint.
    pub api_url: &'static str,
}

/// Just Another Panel, SMM Kings and Secsers.
pub const PRESETS: [Preset; 3] = [
    Preset {
        id: "jap",
        name: "justanotherpanel",
        display_name: "Just Another Panel",
        api_url: "https://justanotherpanel.com/api/v2",
    },
    Preset {
        id: "smmkings",
        name: "smmkings",
        display_name: "SMM Kings",
        api_url: "https://smmkings.com/api/v2",
    },
    Preset {
        id: "secsers",
        name: "secsers",
        display_name: "Secsers",
        api_url: "https://secsers.com/api/v2",
    },
];

/// The preset with this id or provider name (`jap` and `justanotherpanel` both work).
pub fn preset(id: &str) -> Result<&'static Preset> {
    let id = id.trim().to_ascii_lowercase();
    PRESETS
        .iter()
        .find(|p| p.id == id || p.name == id)
        .ok_or(EngineError::PresetUnknown(id))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn presets_are_https_api_v2_and_valid() {
        for p in &PRESETS {
            assert!(p.api_url.starts_with("https://") && p.api_url.ends_with("/api/v2"));
            crate::providers::validate::api_url(p.api_url).unwrap();
            crate::providers::validate::name(p.name).unwrap();
        }
        assert_eq!(preset("jap").unwrap().name, "justanotherpanel");
        assert_eq!(preset("SMMKINGS").unwrap().display_name, "SMM Kings");
        assert_eq!(
            preset("nope").unwrap_err().code(),
            "provider.preset_unknown"
        );
    }
}
