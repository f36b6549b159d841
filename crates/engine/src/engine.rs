//! [`Engine`]: the one handle the desktop app and the command line call.

use std::collections::HashMap;
use std::sync::atomic::AtomicU64;
use std::sync::{Arc, Mutex};

use smm_panel::RetryPolicy;

use crate::clock::{to_millis, Clock, SystemClock};
use crate::error::Result;
use crate::paths::AppPaths;
use crate::secrets::{self, KeyStore, KeyStoreChoice, MasterKey, KEY_CHECK_SETTING};
use crate::store::{get_setting, Store};

/// How to open the engine; the defaults are what the app and the CLI use.
#[derive(Clone)]
pub struct EngineOptions {
    /// The source of the current time.
    pub clock: Arc<dyn Clock>,
    /// Which master key store to use (default: from `SMM_DESK_KEY_STORE`, else auto).
    pub key_store: KeyStoreChoice,
    /// Retries of idempotent provider calls.
    pub retry: RetryPolicy,
}

impl Default for EngineOptions {
    fn default() -> Self {
        Self {
            clock: Arc::new(SystemClock),
            key_store: KeyStoreChoice::from_env(),
            retry: RetryPolicy::default(),
        }
    }
}

/// SMM Desk's engine. `Send + Sync` and cheap to clone (an `Arc` inside), so the desktop app
/// keeps one in its state and every command borrows it.
#[derive(Clone)]
pub struct Engine {
    pub(crate) inner: Arc<Inner>,
}

pub(crate) struct Inner {
    pub(crate) store: Store,
    pub(crate) master_key: MasterKey,
    pub(crate) clock: Arc<dyn Clock>,
    pub(crate) paths: AppPaths,
    pub(crate) retry: RetryPolicy,
    /// The scheduler's shared parts: events, provider limits, wake-ups.
    pub(crate) background: crate::scheduler::Background,
    /// The restore applied when this engine opened.
    pub(crate) applied_restore: Option<crate::data::AppliedRestore>,
    /// A staged restore could not be applied (another program had the folder open).
    pub(crate) restore_blocked: bool,
    /// Per provider: replies with PHP notices before their JSON, not stored yet.
    pub(crate) noisy_replies: Mutex<HashMap<i64, Arc<AtomicU64>>>,
    /// The shared lock on the data folder (see [`crate::data`]), held while the engine lives.
    _folder_lock: crate::data::FolderLock,
}

impl std::fmt::Debug for Engine {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("Engine")
            .field("paths", &self.inner.paths)
            .field("key_store", self.inner.master_key.store())
            .finish()
    }
}

impl Engine {
    /// Opens the engine over the folders in `paths` with the default options.
    pub fn open(paths: &AppPaths) -> Result<Self> {
        Self::open_with(paths, EngineOptions::default())
    }

    /// Opens the engine: creates the folders, applies a staged restore (see [`crate::data`]),
    /// opens and migrates the database, loads the master key (creating one only for a database
    /// that never stored a secret).
    pub fn open_with(paths: &AppPaths, options: EngineOptions) -> Result<Self> {
        paths.create_all()?;
        let (mut folder_lock, applied_restore, restore_blocked) =
            crate::data::lock_and_apply_restore(paths, options.clock.now())?;
        let store = Store::open(&paths.database_file())?;
        let check = store.read(|c| get_setting(c, KEY_CHECK_SETTING))?;
        let has_secrets = check.is_some()
            || store.read(|c| {
                Ok(
                    c.query_row("SELECT EXISTS (SELECT 1 FROM providers)", [], |r| {
                        r.get::<_, bool>(0)
                    })?,
                )
            })?;
        let master_key = MasterKey::load(&paths.config_dir, options.key_store, !has_secrets)?;
        secrets::verify_or_store_key_check(
            &store,
            &master_key,
            check.as_deref(),
            options.clock.as_ref(),
        )?;
        // Crash recovery only when no other program has the folder open: orders another
        // running program (the app, or `smmdesk`) is sending right now are its own to finish.
        if folder_lock.is_exclusive() {
            let now = to_millis(options.clock.now());
            store.write(|tx| crate::orders::recover_interrupted(tx, now))?;
        } else {
            tracing::info!("another SMM Desk program has this data folder open: orders it is sending are left to it");
        }
        folder_lock.share()?;
        tracing::info!(key_store = %master_key.store(), db = %paths.database_file().display(), "engine open");
        Ok(Self {
            inner: Arc::new(Inner {
                store,
                master_key,
                clock: options.clock,
                paths: paths.clone(),
                retry: options.retry,
                noisy_replies: Default::default(),
                background: crate::scheduler::Background::default(),
                applied_restore,
                restore_blocked,
                _folder_lock: folder_lock,
            }),
        })
    }

    /// Where the master key lives (the app shows this in Settings).
    pub fn key_store(&self) -> &KeyStore {
        self.inner.master_key.store()
    }

    /// The database, for engine modules that add their own tables' queries.
    pub fn store(&self) -> &Store {
        &self.inner.store
    }

    /// The folders in use.
    pub fn paths(&self) -> &AppPaths {
        &self.inner.paths
    }

    /// The current time by the engine's clock.
    pub fn now(&self) -> jiff::Timestamp {
        self.inner.clock.now()
    }

    pub(crate) fn now_ms(&self) -> i64 {
        to_millis(self.inner.clock.now())
    }
}
