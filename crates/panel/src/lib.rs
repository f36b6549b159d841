//! smm-panel: the SMM panel "API v2" client and a panel simulator.

/// The protocol name this crate speaks.
pub const PROTOCOL: &str = "SMM API v2";

#[cfg(test)]
mod tests {
    #[test]
    fn protocol_is_named() {
        assert_eq!(super::PROTOCOL, "SMM API v2");
    }
}
