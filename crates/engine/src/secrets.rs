//! API keys at rest: AES-256-GCM under a master key from the OS keychain, else a 0600 key file.
//!
//! Every encryption uses a fresh random 96-bit nonce and the provider id as associated data,
//! so a ciphertext copied onto another provider's row does not decrypt. Decrypted keys only
//! exist inside [`ApiKey`], whose `Debug`/`Display` print `••••` and the last 4 characters.
//! The key check (a settings row sealed under the master key) detects a wrong master key on
//! open and on restore.

use std::fmt;
use std::io::Write;
use std::path::{Path, PathBuf};

use aes_gcm::aead::{Aead, KeyInit, Payload};
use aes_gcm::{Aes256Gcm, Key, Nonce};
use serde::Serialize;

use crate::clock::{to_millis, Clock};
use crate::error::{EngineError, Result};
use crate::hex;
use crate::store::{put_setting, Store};

/// The environment variable that chooses the master key store: `file`, `keychain` or `auto`.
pub const KEY_STORE_ENV: &str = "SMM_DESK_KEY_STORE";
/// The key file's name inside the config folder.
pub const KEY_FILE_NAME: &str = "master.key";
const KEYCHAIN_SERVICE: &str = "SMM Desk";
const KEYCHAIN_USER: &str = "master-key";
const NONCE_LEN: usize = 12;

pub use smm_panel::ApiKey;

/// The settings row holding a value encrypted under the master key, to detect a wrong key.
pub(crate) const KEY_CHECK_SETTING: &str = "secrets.key_check";
const KEY_CHECK_PLAIN: &[u8] = b"smm-desk master key check";
/// Associated data of the key check (provider ids start at 1).
const KEY_CHECK_OWNER: i64 = 0;

/// Whether the stored key check (hex) decrypts under `key`.
pub(crate) fn key_check_matches(key: &MasterKey, check: &str) -> bool {
    hex::decode(check)
        .and_then(|blob| key.decrypt(KEY_CHECK_OWNER, &blob).ok())
        .is_some_and(|plain| plain == KEY_CHECK_PLAIN)
}

/// Checks the stored key check (`check`, hex) against `key` ([`EngineError::MasterKeyMismatch`]
/// when it does not decrypt), or stores one under `key` when the database has none yet.
pub(crate) fn verify_or_store_key_check(
    store: &Store,
    key: &MasterKey,
    check: Option<&str>,
    clock: &dyn Clock,
) -> Result<()> {
    match check {
        Some(hex) => {
            if !key_check_matches(key, hex) {
                return Err(EngineError::MasterKeyMismatch);
            }
        }
        None => {
            let blob = key.encrypt(KEY_CHECK_OWNER, KEY_CHECK_PLAIN)?;
            let now_ms = to_millis(clock.now());
            store.write(|tx| put_setting(tx, KEY_CHECK_SETTING, &hex::encode(&blob), now_ms))?;
        }
    }
    Ok(())
}

/// The last 4 characters we may show, or nothing for keys too short to hide anything
/// (the same rule as the panel client's masking).
pub(crate) fn last4(key: &str) -> String {
    let chars: Vec<char> = key.chars().collect();
    if chars.len() < 12 {
        String::new()
    } else {
        chars[chars.len() - 4..].iter().collect()
    }
}

/// `••••` followed by the stored last 4 characters.
pub(crate) fn hint_from_last4(last4: &str) -> String {
    format!("••••{last4}")
}

/// Where the master key lives.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
#[serde(tag = "kind", content = "path", rename_all = "snake_case")]
pub enum KeyStore {
    /// The OS keychain (macOS Keychain, Windows Credential Manager, Secret Service).
    Keychain,
    /// A key file readable only by this user.
    KeyFile(PathBuf),
}

impl fmt::Display for KeyStore {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self {
            Self::Keychain => f.write_str("OS keychain"),
            Self::KeyFile(p) => write!(f, "key file {}", p.display()),
        }
    }
}

/// Which master key store to use.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default)]
pub enum KeyStoreChoice {
    /// The keychain when usable, else the key file (an existing key file always wins).
    #[default]
    Auto,
    /// Only the key file (tests, headless machines).
    File,
    /// Only the keychain; fail if it is not usable.
    Keychain,
}

impl KeyStoreChoice {
    /// Reads `SMM_DESK_KEY_STORE` (`file`, `keychain`, anything else = auto).
    pub fn from_env() -> Self {
        match std::env::var(KEY_STORE_ENV).unwrap_or_default().as_str() {
            "file" => Self::File,
            "keychain" => Self::Keychain,
            _ => Self::Auto,
        }
    }
}

/// The master key and where it came from.
pub struct MasterKey {
    cipher: Aes256Gcm,
    store: KeyStore,
}

impl fmt::Debug for MasterKey {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.debug_struct("MasterKey")
            .field("store", &self.store)
            .finish_non_exhaustive()
    }
}

impl MasterKey {
    /// Finds the master key, creating one only when `may_create` (no secret was ever stored
    /// under a previous key). `config_dir` holds the key file.
    pub fn load(config_dir: &Path, choice: KeyStoreChoice, may_create: bool) -> Result<Self> {
        let file = config_dir.join(KEY_FILE_NAME);
        if choice != KeyStoreChoice::Keychain {
            if let Some(bytes) = read_key_file(&file)? {
                return Ok(Self::from_bytes(bytes, KeyStore::KeyFile(file)));
            }
        }
        if choice != KeyStoreChoice::File {
            match keychain::load(may_create) {
                Ok(Some(bytes)) => return Ok(Self::from_bytes(bytes, KeyStore::Keychain)),
                Ok(None) => {}
                Err(reason) if choice == KeyStoreChoice::Keychain => {
                    return Err(EngineError::KeychainUnavailable(reason))
                }
                Err(reason) => {
                    tracing::info!(%reason, "OS keychain not usable; using the key file");
                }
            }
        }
        if choice == KeyStoreChoice::Keychain {
            return Err(EngineError::MasterKeyMissing(
                "not in the OS keychain".into(),
            ));
        }
        if !may_create {
            return Err(EngineError::MasterKeyMissing(format!(
                "no key file at {}",
                file.display()
            )));
        }
        let bytes = create_key_file(&file)?;
        tracing::info!(path = %file.display(), "created master key file");
        Ok(Self::from_bytes(bytes, KeyStore::KeyFile(file)))
    }

    fn from_bytes(bytes: [u8; 32], store: KeyStore) -> Self {
        let key = Key::<Aes256Gcm>::from(bytes);
        Self {
            cipher: Aes256Gcm::new(&key),
            store,
        }
    }

    /// Where the key lives.
    pub fn store(&self) -> &KeyStore {
        &self.store
    }

    /// Encrypts `plain` for the row `owner_id`: nonce || ciphertext+tag.
    pub fn encrypt(&self, owner_id: i64, plain: &[u8]) -> Result<Vec<u8>> {
        let mut nonce_bytes = [0u8; NONCE_LEN];
        getrandom::fill(&mut nonce_bytes)
            .map_err(|e| EngineError::Internal(format!("no OS randomness: {e}")))?;
        let aad = owner_id.to_le_bytes();
        let nonce = Nonce::from(nonce_bytes);
        let sealed = self
            .cipher
            .encrypt(
                &nonce,
                Payload {
                    msg: plain,
                    aad: &aad,
                },
            )
            .map_err(|_| EngineError::Internal("encryption failed".into()))?;
        let mut out = Vec::with_capacity(NONCE_LEN + sealed.len());
        out.extend_from_slice(&nonce_bytes);
        out.extend_from_slice(&sealed);
        Ok(out)
    }

    /// Decrypts what [`MasterKey::encrypt`] made for the same `owner_id`.
    pub fn decrypt(&self, owner_id: i64, blob: &[u8]) -> Result<Vec<u8>> {
        if blob.len() < NONCE_LEN + 16 {
            return Err(EngineError::Decrypt);
        }
        let (nonce_bytes, sealed) = blob.split_at(NONCE_LEN);
        let nonce_bytes: [u8; NONCE_LEN] =
            nonce_bytes.try_into().map_err(|_| EngineError::Decrypt)?;
        let aad = owner_id.to_le_bytes();
        self.cipher
            .decrypt(
                &Nonce::from(nonce_bytes),
                Payload {
                    msg: sealed,
                    aad: &aad,
                },
            )
            .map_err(|_| EngineError::Decrypt)
    }

    /// Encrypts an API key for a provider row.
    pub fn seal_key(&self, provider_id: i64, key: &ApiKey) -> Result<Vec<u8>> {
        self.encrypt(provider_id, key.expose().as_bytes())
    }

    /// Decrypts a provider's API key into a [`ApiKey`].
    pub fn open_key(&self, provider_id: i64, blob: &[u8]) -> Result<ApiKey> {
        let plain = self.decrypt(provider_id, blob)?;
        String::from_utf8(plain)
            .map(ApiKey::new)
            .map_err(|_| EngineError::Decrypt)
    }
}

/// A master key from its stored text: 64 hex digits, surrounding whitespace ignored.
fn from_hex(text: &str) -> Option<[u8; 32]> {
    hex::decode(text.trim())?.try_into().ok()
}

fn new_key() -> Result<[u8; 32]> {
    let mut bytes = [0u8; 32];
    getrandom::fill(&mut bytes)
        .map_err(|e| EngineError::Internal(format!("no OS randomness: {e}")))?;
    Ok(bytes)
}

fn read_key_file(path: &Path) -> Result<Option<[u8; 32]>> {
    match std::fs::read_to_string(path) {
        Ok(text) => {
            warn_if_readable_by_others(path);
            from_hex(&text).map(Some).ok_or_else(|| {
                EngineError::MasterKeyMissing(format!("{} is not a master key", path.display()))
            })
        }
        Err(e) if e.kind() == std::io::ErrorKind::NotFound => Ok(None),
        Err(e) => Err(EngineError::io(format!("reading {}", path.display()), e)),
    }
}

#[cfg(unix)]
fn warn_if_readable_by_others(path: &Path) {
    use std::os::unix::fs::PermissionsExt;
    if let Ok(meta) = std::fs::metadata(path) {
        if meta.permissions().mode() & 0o077 != 0 {
            tracing::warn!(path = %path.display(), "master key file is readable by other users");
        }
    }
}

#[cfg(not(unix))]
fn warn_if_readable_by_others(_path: &Path) {}

/// Creates the key file atomically: a private temp file (created 0600 with O_EXCL), written
/// and synced, then hard-linked into place, which fails if another process won the race.
fn create_key_file(path: &Path) -> Result<[u8; 32]> {
    let dir = path
        .parent()
        .ok_or_else(|| EngineError::Internal("key file has no folder".into()))?;
    std::fs::create_dir_all(dir)
        .map_err(|e| EngineError::io(format!("creating {}", dir.display()), e))?;
    let bytes = new_key()?;
    let suffix = hex::random(6).map_err(|e| EngineError::Internal(e.to_string()))?;
    let tmp = dir.join(format!(".{KEY_FILE_NAME}.{suffix}"));
    let written = (|| -> std::io::Result<()> {
        let mut file = private_create(&tmp)?;
        file.write_all(hex::encode(&bytes).as_bytes())?;
        file.write_all(b"\n")?;
        file.sync_all()
    })();
    let linked = written.and_then(|()| std::fs::hard_link(&tmp, path));
    let _ = std::fs::remove_file(&tmp);
    match linked {
        Ok(()) => Ok(bytes),
        Err(e) if e.kind() == std::io::ErrorKind::AlreadyExists => read_key_file(path)?
            .ok_or_else(|| EngineError::MasterKeyMissing("key file vanished".into())),
        Err(e) => Err(EngineError::io(format!("creating {}", path.display()), e)),
    }
}

/// Copies a key file to `to` (a new private file, created 0600; fails if it exists), synced
/// before it counts; used when the data folder moves.
pub(crate) fn copy_key_file(from: &Path, to: &Path) -> Result<()> {
    let bytes = read_key_file(from)?.ok_or_else(|| {
        EngineError::MasterKeyMissing(format!("no key file at {}", from.display()))
    })?;
    if let Some(dir) = to.parent() {
        std::fs::create_dir_all(dir)
            .map_err(|e| EngineError::io(format!("creating {}", dir.display()), e))?;
    }
    let written = (|| -> std::io::Result<()> {
        let mut file = private_create(to)?;
        file.write_all(hex::encode(&bytes).as_bytes())?;
        file.write_all(b"\n")?;
        file.sync_all()
    })();
    written.map_err(|e| EngineError::io(format!("writing {}", to.display()), e))?;
    match read_key_file(to)? {
        Some(read) if read == bytes => Ok(()),
        _ => {
            let _ = std::fs::remove_file(to);
            Err(EngineError::Internal(format!(
                "the copied key file {} does not read back",
                to.display()
            )))
        }
    }
}

#[cfg(unix)]
fn private_create(path: &Path) -> std::io::Result<std::fs::File> {
    use std::os::unix::fs::OpenOptionsExt;
    std::fs::OpenOptions::new()
        .write(true)
        .create_new(true)
        .mode(0o600)
        .open(path)
}

#[cfg(not(unix))]
fn private_create(path: &Path) -> std::io::Result<std::fs::File> {
    std::fs::OpenOptions::new()
        .write(true)
        .create_new(true)
        .open(path)
}

mod keychain {
    //! The OS keychain through `keyring`; every failure is a reason string (no secrets in it).

    use super::{from_hex, new_key, KEYCHAIN_SERVICE, KEYCHAIN_USER};
    use crate::hex;

    /// The key from the keychain; a new one stored there when absent and `may_create`.
    pub fn load(may_create: bool) -> Result<Option<[u8; 32]>, String> {
        let entry =
            keyring::Entry::new(KEYCHAIN_SERVICE, KEYCHAIN_USER).map_err(|e| e.to_string())?;
        match entry.get_password() {
            Ok(text) => from_hex(&text)
                .map(Some)
                .ok_or_else(|| "the keychain entry is not a master key".to_string()),
            Err(keyring::Error::NoEntry) if may_create => {
                let bytes = new_key().map_err(|e| e.to_string())?;
                entry
                    .set_password(&hex::encode(&bytes))
                    .map_err(|e| e.to_string())?;
                // Read back: some stores accept a write they cannot keep.
                match entry.get_password().ok().and_then(|t| from_hex(&t)) {
                    Some(read) if read == bytes => Ok(Some(bytes)),
                    _ => Err("the keychain did not keep the key".into()),
                }
            }
            Err(keyring::Error::NoEntry) => Ok(None),
            Err(e) => Err(e.to_string()),
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn key_in(dir: &Path) -> MasterKey {
        MasterKey::load(dir, KeyStoreChoice::File, true).unwrap()
    }

    #[test]
    fn key_shows_only_last_four() {
        let s = ApiKey::new("abcdef1234567890");
        assert_eq!(format!("{s}"), "••••7890");
        assert_eq!(format!("{s:?}"), "ApiKey(••••7890)");
        assert_eq!(ApiKey::new("short-key").masked(), "••••");
    }

    #[test]
    fn round_trip_with_fresh_nonces_and_bound_to_owner() {
        let tmp = tempfile::tempdir().unwrap();
        let key = key_in(tmp.path());
        let a = key.seal_key(7, &ApiKey::new("the-api-key-1234")).unwrap();
        let b = key.seal_key(7, &ApiKey::new("the-api-key-1234")).unwrap();
        assert_ne!(a, b, "a fresh nonce per encryption");
        assert_eq!(key.open_key(7, &a).unwrap().expose(), "the-api-key-1234");
        assert!(matches!(key.open_key(8, &a), Err(EngineError::Decrypt)));
        let mut tampered = a.clone();
        *tampered.last_mut().unwrap() ^= 1;
        assert!(matches!(
            key.open_key(7, &tampered),
            Err(EngineError::Decrypt)
        ));
    }

    #[test]
    fn key_file_is_private_and_reused() {
        let tmp = tempfile::tempdir().unwrap();
        let first = key_in(tmp.path());
        let sealed = first.seal_key(1, &ApiKey::new("k-000000001234")).unwrap();
        let path = tmp.path().join(KEY_FILE_NAME);
        assert_eq!(first.store(), &KeyStore::KeyFile(path.clone()));
        #[cfg(unix)]
        {
            use std::os::unix::fs::PermissionsExt;
            let mode = std::fs::metadata(&path).unwrap().permissions().mode();
            assert_eq!(mode & 0o777, 0o600);
        }
        let again = MasterKey::load(tmp.path(), KeyStoreChoice::File, false).unwrap();
        assert_eq!(
            again.open_key(1, &sealed).unwrap().expose(),
            "k-000000001234"
        );
        let leftovers: Vec<_> = std::fs::read_dir(tmp.path()).unwrap().collect();
        assert_eq!(leftovers.len(), 1, "no temp files left behind");
    }

    #[test]
    fn missing_key_is_not_silently_recreated() {
        let tmp = tempfile::tempdir().unwrap();
        let err = MasterKey::load(tmp.path(), KeyStoreChoice::File, false).unwrap_err();
        assert_eq!(err.code(), "secrets.master_key_missing");
        assert!(!tmp.path().join(KEY_FILE_NAME).exists());
    }

    #[test]
    fn auto_falls_back_to_the_file_when_no_keychain_is_usable() {
        // This machine has no Secret Service session, so auto must end on the key file; where
        // a keychain works, an existing key file still wins.
        let tmp = tempfile::tempdir().unwrap();
        let _file = key_in(tmp.path());
        let auto = MasterKey::load(tmp.path(), KeyStoreChoice::Auto, true).unwrap();
        assert!(matches!(auto.store(), KeyStore::KeyFile(_)));
    }
}
