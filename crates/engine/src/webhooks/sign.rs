//! Standard Webhooks 1.0 signatures: a `whsec_` secret per webhook and
//! `webhook-signature: v1,<base64 HMAC-SHA256(key, "{id}.{timestamp}.{body}")>`.

use std::fmt;

use base64::engine::general_purpose::STANDARD;
use base64::Engine as _;
use hmac::{Hmac, Mac};
use sha2::Sha256;

use crate::error::{EngineError, Result};

/// The prefix of every signing secret.
pub const SECRET_PREFIX: &str = "whsec_";
/// Random bytes in a new secret (the spec asks for 24 to 64).
const SECRET_BYTES: usize = 32;

/// A webhook's signing secret (`whsec_` + base64 of the key). `Debug` and `Display` print
/// `whsec_••••`; only [`WebhookSecret::expose`] gives the text.
#[derive(Clone, PartialEq, Eq)]
pub struct WebhookSecret(String);

impl WebhookSecret {
    /// A new secret from the OS's randomness.
    pub fn generate() -> Result<Self> {
        let mut key = [0u8; SECRET_BYTES];
        getrandom::fill(&mut key)
            .map_err(|e| EngineError::Internal(format!("no OS randomness: {e}")))?;
        Ok(Self(format!("{SECRET_PREFIX}{}", STANDARD.encode(key))))
    }

    /// A secret from its text; `None` unless it is `whsec_` + base64 of at least 24 bytes.
    pub fn parse(text: &str) -> Option<Self> {
        let key = STANDARD.decode(text.strip_prefix(SECRET_PREFIX)?).ok()?;
        (key.len() >= 24).then(|| Self(text.to_string()))
    }

    /// The secret's text, for showing once at creation and for sealing at rest.
    pub fn expose(&self) -> &str {
        &self.0
    }

    fn key(&self) -> Vec<u8> {
        // Checked by `generate`/`parse`, the only constructors.
        STANDARD
            .decode(&self.0[SECRET_PREFIX.len()..])
            .unwrap_or_default()
    }

    /// The `webhook-signature` header value for one message.
    pub fn sign(&self, msg_id: &str, timestamp_secs: i64, body: &str) -> String {
        let mut mac = <Hmac<Sha256> as Mac>::new_from_slice(&self.key())
            .expect("HMAC takes a key of any length");
        mac.update(msg_id.as_bytes());
        mac.update(b".");
        mac.update(timestamp_secs.to_string().as_bytes());
        mac.update(b".");
        mac.update(body.as_bytes());
        format!("v1,{}", STANDARD.encode(mac.finalize().into_bytes()))
    }
}

impl fmt::Debug for WebhookSecret {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "{SECRET_PREFIX}••••")
    }
}

impl fmt::Display for WebhookSecret {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "{SECRET_PREFIX}••••")
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    /// The test vector of the Standard Webhooks reference libraries.
    #[test]
    fn signs_the_specs_test_vector() {
        let secret = WebhookSecret::parse("whsec_MfKQ9r8GKYqrTwjUPD8ILPZIo2LaLaSw").unwrap();
        assert_eq!(
            secret.sign(
                "msg_p5jXN8AQM9LWM0D4loKWxJek",
                1614265330,
                r#"{"test": 2432232314}"#
            ),
            "v1,g0hM9SsE+OTPJTGt/tmIKtSyZlE3uFJELVlNIOLJ1OE="
        );
    }

    #[test]
    fn new_secrets_are_random_well_formed_and_never_printed() {
        let a = WebhookSecret::generate().unwrap();
        let b = WebhookSecret::generate().unwrap();
        assert_ne!(a, b);
        assert!(a.expose().starts_with(SECRET_PREFIX));
        assert_eq!(WebhookSecret::parse(a.expose()), Some(a.clone()));
        assert_eq!(a.key().len(), SECRET_BYTES);
        assert_eq!(format!("{a} {a:?}"), "whsec_•••• whsec_••••");
        assert_eq!(WebhookSecret::parse("whsec_c2hvcnQ="), None, "5 bytes");
        assert_eq!(
            WebhookSecret::parse("MfKQ9r8GKYqrTwjUPD8ILPZIo2LaLaSw"),
            None
        );
    }
}
