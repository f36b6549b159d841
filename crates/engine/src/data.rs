//! The data folder as a whole: restoring a backup and moving the data to another folder.
//!
//! Money data must never be lost, so both work on copies and switch only at the end:
//!
//! - **Restore** ([`stage_restore`]) checks the chosen file before anything is touched (a
//!   regular file, an SQLite database, `PRAGMA integrity_check`, SMM Desk's schema no newer
//!   than this binary's, and API keys that decrypt under this computer's master key), copies it
//!   into the data folder as `smm-desk.restore-pending.sqlite3` (checked again there, migrated to
//!   this binary's schema), and stops. The next [`crate::Engine::open`] applies it before the
//!   database is opened: the current database is checkpointed and kept as
//!   `smm-desk.before-restore-<timestamp>.sqlite3`, the staged copy is renamed into place, and
//!   orders that were `submitting` in the backup go through the usual crash recovery. Every
//!   failure before the final rename leaves the current database as it was; a pending restore can
//!   be cancelled ([`cancel_restore`]).
//! - A backup made under another master key is **refused** (`restore.key_mismatch`): restoring
//!   it would bring back providers whose keys nobody can decrypt, and opening such a database
//!   fails as a whole (`secrets.master_key_mismatch`), so the app would not start on it.
//! - **Moving** ([`crate::Engine::move_data_folder`]) writes a consistent copy (`VACUUM INTO`)
//!   into the new folder, copies the master key file when the key lives in a file, checks the
//!   copy (integrity, key), and only then points the data folder there (the pointer file, see
//!   [`crate::paths`]). The old folder is left as it was.
//! - Programs that open the engine hold a shared lock on `smm-desk.lock` in the data folder;
//!   replacing the database needs it exclusively, so a restore never pulls the database away
//!   from a running app or `smmdesk daemon` (`data.in_use`).

use std::fs::File;
use std::path::{Path, PathBuf};

use rusqlite::{Connection, OpenFlags};
use serde::Serialize;

use crate::error::{EngineError, Result};
use crate::hex;
use crate::paths::{write_pointer, AppPaths, DataDirSource};
use crate::secrets::{KeyStore, KeyStoreChoice, MasterKey, KEY_FILE_NAME};
use crate::store::SCHEMA_VERSION;

/// The staged backup that the next open applies.
pub const PENDING_RESTORE_FILE: &str = "smm-desk.restore-pending.sqlite3";
/// The lock file every open engine holds shared.
pub const LOCK_FILE: &str = "smm-desk.lock";
/// How long an open waits for other programs to let go of the folder before it leaves a
/// pending restore for later.
const RESTORE_LOCK_WAIT: std::time::Duration = std::time::Duration::from_secs(4);
const SQLITE_MAGIC: &[u8; 16] = b"SQLite format 3\0";
/// Tables every SMM Desk database has since schema 1 and 2.
const REQUIRED_TABLES: &[&str] = &["settings", "providers", "services", "orders"];

/// What a checked database holds.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct DatabaseSummary {
    /// The file that was checked (the user's file, or the folder's database).
    pub path: PathBuf,
    /// Its size in bytes.
    pub bytes: u64,
    /// Its schema version (before migration to this binary's).
    pub schema_version: i64,
    /// Live providers.
    pub providers: i64,
    /// Orders (archived ones included).
    pub orders: i64,
}

/// A restore that the next open applies.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct PendingRestore {
    /// The staged copy in the data folder.
    pub staged: PathBuf,
    /// What the backup holds.
    pub summary: DatabaseSummary,
}

/// A restore that was applied when the engine opened.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct AppliedRestore {
    /// Where the database that was replaced is kept.
    pub previous: PathBuf,
    /// The database now in use.
    pub database: PathBuf,
}

/// How to treat the chosen folder when moving the data folder.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum MoveMode {
    /// Copy this database there (the folder must hold no SMM Desk data).
    Copy,
    /// Use the SMM Desk database already there (checked first); nothing is copied.
    UseExisting,
}

/// A data folder change that was made (it takes effect on the next start).
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct MovedDataFolder {
    /// The folder in use until the restart (left as it was).
    pub old_dir: PathBuf,
    /// The folder used from the next start on.
    pub new_dir: PathBuf,
    /// The pointer file that now names `new_dir`.
    pub pointer_file: PathBuf,
    /// Whether the database was copied (`false`: the data already there is used).
    pub copied: bool,
    /// Whether the master key file was copied along.
    pub key_file_copied: bool,
    /// The database in the new folder.
    pub summary: DatabaseSummary,
}

fn shown(path: &Path) -> String {
    path.display().to_string()
}

/// Checks that `path` is a regular file holding an SQLite database that no live connection
/// is writing to (no `-wal` beside it).
fn check_file(path: &Path) -> Result<u64> {
    let meta = match std::fs::metadata(path) {
        Ok(m) => m,
        Err(e) if e.kind() == std::io::ErrorKind::NotFound => {
            return Err(EngineError::BackupNotFound(shown(path)))
        }
        Err(e) => return Err(EngineError::io(format!("reading {}", path.display()), e)),
    };
    if !meta.is_file() {
        return Err(EngineError::BackupNotFile(shown(path)));
    }
    let mut head = [0u8; 16];
    let read = {
        use std::io::Read;
        File::open(path)
            .and_then(|mut f| f.read_exact(&mut head))
            .map_err(|e| (e.kind(), e))
    };
    match read {
        Ok(()) if &head == SQLITE_MAGIC => {}
        Ok(()) | Err((std::io::ErrorKind::UnexpectedEof, _)) => {
            return Err(EngineError::BackupNotSqlite(shown(path)))
        }
        Err((_, e)) => return Err(EngineError::io(format!("reading {}", path.display()), e)),
    }
    let wal = sidecar(path, "-wal");
    if std::fs::metadata(&wal).is_ok_and(|m| m.len() > 0) {
        return Err(EngineError::BackupLive(shown(path)));
    }
    Ok(meta.len())
}

/// `path` with `suffix` appended to its file name (`x.sqlite3` → `x.sqlite3-wal`).
fn sidecar(path: &Path, suffix: &str) -> PathBuf {
    let mut name = path.as_os_str().to_os_string();
    name.push(suffix);
    PathBuf::from(name)
}

/// An SQLite failure while reading a candidate database: damage, not an I/O problem of ours.
fn corrupt(e: rusqlite::Error) -> EngineError {
    EngineError::BackupCorrupt(e.to_string())
}

/// Checks an open candidate: integrity, SMM Desk's schema, and that its keys decrypt under
/// the master key `key` gives (called only when the database holds keys).
fn check_database<'k>(
    conn: &Connection,
    path: &Path,
    bytes: u64,
    key: &mut dyn FnMut() -> Result<MasterKeyRef<'k>>,
) -> Result<DatabaseSummary> {
    let problems: Vec<String> = conn
        .prepare("PRAGMA integrity_check(20)")
        .and_then(|mut s| {
            s.query_map([], |r| r.get::<_, String>(0))?
                .collect::<rusqlite::Result<_>>()
        })
        .map_err(corrupt)?;
    if problems.len() != 1 || problems[0] != "ok" {
        return Err(EngineError::BackupCorrupt(problems.join("; ")));
    }
    let version: i64 = conn
        .pragma_query_value(None, "user_version", |r| r.get(0))
        .map_err(corrupt)?;
    if version > SCHEMA_VERSION {
        return Err(EngineError::BackupNewerSchema {
            found: version,
            known: SCHEMA_VERSION,
        });
    }
    for table in REQUIRED_TABLES {
        let found: bool = conn
            .query_row(
                "SELECT EXISTS (SELECT 1 FROM sqlite_master WHERE type = 'table' AND name = ?1)",
                [table],
                |r| r.get(0),
            )
            .map_err(corrupt)?;
        if !found {
            return Err(EngineError::BackupNotSmmDesk);
        }
    }
    if version < 1 {
        return Err(EngineError::BackupNotSmmDesk);
    }
    let check: Option<String> = {
        use rusqlite::OptionalExtension;
        conn.query_row(
            "SELECT value FROM settings WHERE key = ?1",
            [crate::secrets::KEY_CHECK_SETTING],
            |r| r.get(0),
        )
        .optional()
        .map_err(corrupt)?
    };
    let sealed: Vec<(i64, Vec<u8>)> = conn
        .prepare("SELECT id, api_key_enc FROM providers ORDER BY id")
        .and_then(|mut s| {
            s.query_map([], |r| Ok((r.get(0)?, r.get(1)?)))?
                .collect::<rusqlite::Result<_>>()
        })
        .map_err(corrupt)?;
    if check.is_some() || !sealed.is_empty() {
        let key = key().map_err(|e| match e {
            EngineError::MasterKeyMissing(_) => EngineError::BackupKeyMismatch,
            other => other,
        })?;
        let key = key.get();
        if let Some(hex) = &check {
            if !crate::secrets::key_check_matches(key, hex) {
                return Err(EngineError::BackupKeyMismatch);
            }
        }
        for (id, blob) in &sealed {
            if key.decrypt(*id, blob).is_err() {
                return Err(EngineError::BackupKeyMismatch);
            }
        }
    }
    let count =
        |sql: &str| -> Result<i64> { conn.query_row(sql, [], |r| r.get(0)).map_err(corrupt) };
    Ok(DatabaseSummary {
        path: path.to_path_buf(),
        bytes,
        schema_version: version,
        providers: count("SELECT count(*) FROM providers WHERE removed_at IS NULL")?,
        orders: count("SELECT count(*) FROM orders")?,
    })
}

/// A master key, owned or borrowed.
pub(crate) enum MasterKeyRef<'a> {
    Owned(Box<MasterKey>),
    Borrowed(&'a MasterKey),
}

impl MasterKeyRef<'_> {
    fn get(&self) -> &MasterKey {
        match self {
            Self::Owned(k) => k,
            Self::Borrowed(k) => k,
        }
    }
}

/// Opens a private copy of a candidate database (never creates one; only reads are made,
/// but a WAL database needs its -shm beside it, so the copy is opened read-write).
fn open_candidate(path: &Path) -> Result<Connection> {
    Connection::open_with_flags(
        path,
        OpenFlags::SQLITE_OPEN_READ_WRITE | OpenFlags::SQLITE_OPEN_NO_MUTEX,
    )
    .map_err(corrupt)
}

/// Checks a backup file without copying it (what `smmdesk restore --check` and the app's
/// confirmation show): every check of [`stage_restore`], keys under the master key of `paths`.
pub fn inspect_backup(
    paths: &AppPaths,
    key_store: KeyStoreChoice,
    file: &Path,
) -> Result<DatabaseSummary> {
    // Check a private copy: SQLite may create -shm files beside a WAL database it reads, and
    // the user's file must stay untouched.
    check_file(file)?;
    let tmp = tempdir_in(&paths.data_dir)?;
    let result = (|| {
        let copy = tmp.join("check.sqlite3");
        let bytes = copy_candidate(file, &copy)?;
        let conn = open_candidate(&copy)?;
        let mut summary = check_database(&conn, file, bytes, &mut || {
            MasterKey::load(&paths.config_dir, key_store, false)
                .map(|k| MasterKeyRef::Owned(Box::new(k)))
        })?;
        summary.path = file.to_path_buf();
        Ok(summary)
    })();
    let _ = std::fs::remove_dir_all(&tmp);
    result
}

/// A fresh private folder inside `dir` for checking copies.
fn tempdir_in(dir: &Path) -> Result<PathBuf> {
    std::fs::create_dir_all(dir)
        .map_err(|e| EngineError::io(format!("creating {}", dir.display()), e))?;
    let name = hex::random(6).map_err(|e| EngineError::Internal(e.to_string()))?;
    let path = dir.join(format!(".smm-desk-check-{name}"));
    std::fs::create_dir(&path)
        .map_err(|e| EngineError::io(format!("creating {}", path.display()), e))?;
    Ok(path)
}

/// Checks `file` as a candidate and copies it to `to` (synced); returns its size.
fn copy_candidate(file: &Path, to: &Path) -> Result<u64> {
    let bytes = check_file(file)?;
    let copied = (|| -> std::io::Result<()> {
        std::fs::copy(file, to)?;
        File::open(to)?.sync_all()
    })();
    copied.map_err(|e| {
        EngineError::io(format!("copying {} to {}", file.display(), to.display()), e)
    })?;
    Ok(bytes)
}

/// Checks `file` and stages it as the database the next open uses (see the module docs).
/// Replaces an earlier pending restore. The current database is not touched.
pub fn stage_restore(
    paths: &AppPaths,
    key_store: KeyStoreChoice,
    file: &Path,
) -> Result<PendingRestore> {
    let file = std::path::absolute(file)
        .map_err(|e| EngineError::io(format!("reading {}", file.display()), e))?;
    if file == paths.database_file() {
        return Err(EngineError::BackupLive(shown(&file)));
    }
    check_file(&file)?;
    let tmp = tempdir_in(&paths.data_dir)?;
    let result = (|| {
        let copy = tmp.join(PENDING_RESTORE_FILE);
        let bytes = copy_candidate(&file, &copy)?;
        let mut summary = {
            let conn = open_candidate(&copy)?;
            check_database(&conn, &file, bytes, &mut || {
                MasterKey::load(&paths.config_dir, key_store, false)
                    .map(|k| MasterKeyRef::Owned(Box::new(k)))
            })?
        };
        summary.path = file.clone();
        // Bring the copy to this binary's schema now, so a failing migration is found while the
        // current database is still in place, and leave it in rollback-journal mode (one file).
        {
            let mut conn = Connection::open_with_flags(
                &copy,
                OpenFlags::SQLITE_OPEN_READ_WRITE | OpenFlags::SQLITE_OPEN_NO_MUTEX,
            )
            .map_err(corrupt)?;
            conn.pragma_update(None, "foreign_keys", "ON")?;
            crate::store::apply_migrations(&mut conn, SCHEMA_VERSION)?;
            let mode: String =
                conn.pragma_update_and_check(None, "journal_mode", "DELETE", |r| r.get(0))?;
            if !mode.eq_ignore_ascii_case("delete") {
                return Err(EngineError::Internal(format!(
                    "the staged copy stayed in {mode} mode"
                )));
            }
            conn.close().map_err(|(_, e)| EngineError::Store(e))?;
        }
        File::open(&copy)
            .and_then(|f| f.sync_all())
            .map_err(|e| EngineError::io(format!("syncing {}", copy.display()), e))?;
        let staged = paths.data_dir.join(PENDING_RESTORE_FILE);
        std::fs::rename(&copy, &staged)
            .map_err(|e| EngineError::io(format!("staging {}", staged.display()), e))?;
        sync_dir(&paths.data_dir);
        tracing::info!(from = %file.display(), orders = summary.orders, "restore staged; it applies on the next start");
        Ok(PendingRestore { staged, summary })
    })();
    let _ = std::fs::remove_dir_all(&tmp);
    result
}

/// The restore the next open applies, if one is staged.
pub fn pending_restore(paths: &AppPaths) -> Option<PathBuf> {
    let staged = paths.data_dir.join(PENDING_RESTORE_FILE);
    staged.is_file().then_some(staged)
}

/// Drops a staged restore; `true` when there was one.
pub fn cancel_restore(paths: &AppPaths) -> Result<bool> {
    let staged = paths.data_dir.join(PENDING_RESTORE_FILE);
    match std::fs::remove_file(&staged) {
        Ok(()) => {
            tracing::info!("pending restore cancelled");
            Ok(true)
        }
        Err(e) if e.kind() == std::io::ErrorKind::NotFound => Ok(false),
        Err(e) => Err(EngineError::io(format!("removing {}", staged.display()), e)),
    }
}

/// The data folder's lock, held shared by every open engine. An engine that opens while no
/// other program has the folder open holds it exclusively until it has finished opening
/// (crash recovery included), then shares it.
#[derive(Debug)]
pub(crate) struct FolderLock {
    file: File,
    exclusive: bool,
}

impl FolderLock {
    /// No other program had the folder open when this one took the lock (and none can open
    /// it until [`FolderLock::share`]): anything left mid-flight in the database was left by a
    /// program that is gone.
    pub(crate) fn is_exclusive(&self) -> bool {
        self.exclusive
    }

    /// Lets other programs open the folder too.
    pub(crate) fn share(&mut self) -> Result<()> {
        if self.exclusive {
            let err = |e| EngineError::io("sharing the data folder lock", e);
            self.file.unlock().map_err(err)?;
            self.file.lock_shared().map_err(err)?;
            self.exclusive = false;
        }
        Ok(())
    }
}

/// Takes the folder lock: applies a pending restore first when the folder can be locked
/// exclusively (no other program has it open); returns the shared lock and what was applied.
/// A pending restore that cannot be applied yet (another program has the folder open) stays
/// pending and the current database opens as before.
pub(crate) fn lock_and_apply_restore(
    paths: &AppPaths,
    now: jiff::Timestamp,
) -> Result<(FolderLock, Option<AppliedRestore>, bool)> {
    let lock_path = paths.data_dir.join(LOCK_FILE);
    let file = std::fs::OpenOptions::new()
        .read(true)
        .write(true)
        .create(true)
        .truncate(false)
        .open(&lock_path)
        .map_err(|e| EngineError::io(format!("opening {}", lock_path.display()), e))?;
    let mut applied = None;
    let mut blocked = false;
    if pending_restore(paths).is_some() {
        // A restarting app starts its successor a moment before it exits: wait a little for
        // the folder to be free before leaving the restore pending.
        let deadline = std::time::Instant::now() + RESTORE_LOCK_WAIT;
        loop {
            match file.try_lock() {
                Ok(()) => {
                    let result = apply_restore(paths, now);
                    let _ = file.unlock();
                    applied = Some(result?);
                    break;
                }
                Err(std::fs::TryLockError::WouldBlock) if std::time::Instant::now() < deadline => {
                    std::thread::sleep(std::time::Duration::from_millis(100));
                }
                Err(std::fs::TryLockError::WouldBlock) => {
                    tracing::warn!("a restore is pending, but another SMM Desk program has the data folder open; it stays pending");
                    blocked = true;
                    break;
                }
                Err(std::fs::TryLockError::Error(e)) => {
                    return Err(EngineError::io(
                        format!("locking {}", lock_path.display()),
                        e,
                    ))
                }
            }
        }
    }
    let lock_err = |e| EngineError::io(format!("locking {}", lock_path.display()), e);
    let exclusive = match file.try_lock() {
        Ok(()) => true,
        Err(std::fs::TryLockError::WouldBlock) => false,
        Err(std::fs::TryLockError::Error(e)) => return Err(lock_err(e)),
    };
    if !exclusive {
        file.lock_shared().map_err(lock_err)?;
    }
    Ok((FolderLock { file, exclusive }, applied, blocked))
}

/// Replaces the database by the staged copy (the caller holds the folder lock exclusively).
fn apply_restore(paths: &AppPaths, now: jiff::Timestamp) -> Result<AppliedRestore> {
    let staged = paths.data_dir.join(PENDING_RESTORE_FILE);
    let db = paths.database_file();
    // The staged copy was checked when staged; check it is still whole before relying on it.
    {
        let conn = open_candidate(&staged)?;
        let ok: String = conn
            .query_row("PRAGMA quick_check", [], |r| r.get(0))
            .map_err(corrupt)?;
        if ok != "ok" {
            return Err(EngineError::BackupCorrupt(ok));
        }
    }
    let stamp = now.strftime("%Y%m%d-%H%M%S").to_string();
    let mut previous = paths
        .data_dir
        .join(format!("smm-desk.before-restore-{stamp}.sqlite3"));
    let mut n = 2;
    while previous.exists() {
        previous = paths
            .data_dir
            .join(format!("smm-desk.before-restore-{stamp}-{n}.sqlite3"));
        n += 1;
    }
    if db.exists() {
        // Fold the WAL into the main file so the kept copy is one complete file.
        let conn = Connection::open_with_flags(
            &db,
            OpenFlags::SQLITE_OPEN_READ_WRITE | OpenFlags::SQLITE_OPEN_NO_MUTEX,
        )?;
        let mode: String =
            conn.pragma_update_and_check(None, "journal_mode", "DELETE", |r| r.get(0))?;
        conn.close().map_err(|(_, e)| EngineError::Store(e))?;
        if !mode.eq_ignore_ascii_case("delete") {
            return Err(EngineError::DataInUse(shown(&paths.data_dir)));
        }
        std::fs::rename(&db, &previous)
            .map_err(|e| EngineError::io(format!("keeping {}", previous.display()), e))?;
        // Nothing should be left beside it; if something is, it belongs to the old file.
        for suffix in ["-wal", "-shm", "-journal"] {
            let side = sidecar(&db, suffix);
            if side.exists() {
                let _ = std::fs::rename(&side, sidecar(&previous, suffix));
            }
        }
    }
    if let Err(e) = std::fs::rename(&staged, &db) {
        // Put the current database back: the restore did not happen.
        if previous.exists() {
            let _ = std::fs::rename(&previous, &db);
        }
        return Err(EngineError::io(
            format!("moving {} into place", staged.display()),
            e,
        ));
    }
    sync_dir(&paths.data_dir);
    tracing::info!(previous = %previous.display(), "backup restored; the previous database is kept");
    Ok(AppliedRestore {
        previous,
        database: db,
    })
}

#[cfg(unix)]
fn sync_dir(dir: &Path) {
    if let Ok(d) = File::open(dir) {
        let _ = d.sync_all();
    }
}

#[cfg(not(unix))]
fn sync_dir(_dir: &Path) {}

/// Copies the app's own settings files (language, window place…) along, best effort: they
/// are preferences, not data, so a failure is logged and the move goes on.
fn copy_settings_files(from: &Path, to: &Path) {
    let Ok(entries) = std::fs::read_dir(from) else {
        return;
    };
    for entry in entries.filter_map(std::result::Result::ok) {
        let name = entry.file_name();
        let text = name.to_string_lossy();
        let skip = text.starts_with('.')
            || text == KEY_FILE_NAME
            || text.starts_with(crate::paths::POINTER_FILE_NAME)
            || !entry.file_type().is_ok_and(|t| t.is_file());
        let target = to.join(&name);
        if skip || target.exists() {
            continue;
        }
        if let Err(err) = std::fs::copy(entry.path(), &target) {
            tracing::warn!(%err, file = %entry.path().display(), "cannot copy a settings file to the new data folder");
        }
    }
}

/// Whether `dir` holds SMM Desk data (a database or a master key file).
fn holds_data(dir: &Path) -> bool {
    let under = AppPaths::under(dir.to_path_buf());
    under.database_file().exists() || under.config_dir.join(KEY_FILE_NAME).exists()
}

impl crate::Engine {
    /// The restore applied when this engine opened, if any.
    pub fn applied_restore(&self) -> Option<&AppliedRestore> {
        self.inner.applied_restore.as_ref()
    }

    /// Whether a staged restore is waiting because another program had the data folder open.
    pub fn restore_blocked(&self) -> bool {
        self.inner.restore_blocked && pending_restore(&self.inner.paths).is_some()
    }

    /// Moves the data to `target` (see the module docs); takes effect on the next start.
    /// `source` is how the current folder was chosen: a folder forced by `--data-dir` or
    /// `SMM_DESK_DATA_DIR` cannot be changed, and `pointer_file` is where the choice is kept.
    pub fn move_data_folder(
        &self,
        source: &DataDirSource,
        pointer_file: &Path,
        target: &Path,
        mode: MoveMode,
    ) -> Result<MovedDataFolder> {
        match source {
            DataDirSource::Explicit => return Err(EngineError::DataDirForced("--data-dir".into())),
            DataDirSource::Env => {
                return Err(EngineError::DataDirForced(
                    crate::paths::DATA_DIR_ENV.into(),
                ))
            }
            DataDirSource::Pointer(_) | DataDirSource::Default => {}
        }
        let old = &self.inner.paths;
        let target =
            std::path::absolute(target).map_err(|e| EngineError::input("folder", e.to_string()))?;
        if target.to_str().is_none() {
            return Err(EngineError::input(
                "folder",
                "the folder path is not valid UTF-8",
            ));
        }
        if target.exists() && !target.is_dir() {
            return Err(EngineError::input(
                "folder",
                format!("{} is not a folder", target.display()),
            ));
        }
        let same = |a: &Path, b: &Path| {
            a == b || matches!((a.canonicalize(), b.canonicalize()), (Ok(x), Ok(y)) if x == y)
        };
        if same(&target, &old.data_dir) {
            return Err(EngineError::DataDirSame(shown(&target)));
        }
        let new = AppPaths::under(target.clone());
        let (summary, copied, key_file_copied) = match mode {
            MoveMode::Copy => {
                if holds_data(&target) {
                    return Err(EngineError::DataDirHasData(shown(&target)));
                }
                self.copy_data_to(&new)?
            }
            MoveMode::UseExisting => {
                if !new.database_file().is_file() {
                    return Err(EngineError::DataDirNoData(shown(&target)));
                }
                self.adopt_data_in(&new)?
            }
        };
        write_pointer(pointer_file, &target)?;
        tracing::info!(from = %old.data_dir.display(), to = %target.display(), copied, "data folder changed; it takes effect on the next start");
        Ok(MovedDataFolder {
            old_dir: old.data_dir.clone(),
            new_dir: target,
            pointer_file: pointer_file.to_path_buf(),
            copied,
            key_file_copied,
            summary,
        })
    }

    /// Copies the database (and the key file) into `new`, checked, all-or-nothing.
    fn copy_data_to(&self, new: &AppPaths) -> Result<(DatabaseSummary, bool, bool)> {
        new.create_all()?;
        let db = new.database_file();
        let partial = sidecar(&db, ".partial");
        let _ = std::fs::remove_file(&partial);
        let key_target = new.config_dir.join(KEY_FILE_NAME);
        let mut key_file_copied = false;
        let result = (|| {
            let bytes = self.store().backup_to(&partial)?;
            if let KeyStore::KeyFile(file) = self.key_store() {
                crate::secrets::copy_key_file(file, &key_target)?;
                key_file_copied = true;
            }
            let summary = {
                let conn = open_candidate(&partial)?;
                check_database(&conn, &db, bytes, &mut || {
                    if key_file_copied {
                        MasterKey::load(&new.config_dir, KeyStoreChoice::File, false)
                            .map(|k| MasterKeyRef::Owned(Box::new(k)))
                    } else {
                        Ok(MasterKeyRef::Borrowed(&self.inner.master_key))
                    }
                })?
            };
            for suffix in ["-wal", "-shm"] {
                let _ = std::fs::remove_file(sidecar(&partial, suffix));
            }
            std::fs::rename(&partial, &db)
                .map_err(|e| EngineError::io(format!("moving {} into place", db.display()), e))?;
            sync_dir(&new.data_dir);
            Ok(summary)
        })();
        match result {
            Ok(summary) => {
                copy_settings_files(&self.inner.paths.config_dir, &new.config_dir);
                Ok((summary, true, key_file_copied))
            }
            Err(e) => {
                for suffix in ["", "-wal", "-shm"] {
                    let _ = std::fs::remove_file(sidecar(&partial, suffix));
                }
                if key_file_copied {
                    let _ = std::fs::remove_file(&key_target);
                }
                Err(e)
            }
        }
    }

    /// Checks the database already in `new` under the key it will be opened with (its own
    /// key file, else this engine's key, whose file is then copied along).
    fn adopt_data_in(&self, new: &AppPaths) -> Result<(DatabaseSummary, bool, bool)> {
        let db = new.database_file();
        let key_target = new.config_dir.join(KEY_FILE_NAME);
        let own_key = key_target.exists();
        let bytes = check_file(&db)?;
        let tmp = tempdir_in(&new.data_dir)?;
        let result = (|| {
            let copy = tmp.join("check.sqlite3");
            copy_candidate(&db, &copy)?;
            let conn = open_candidate(&copy)?;
            check_database(&conn, &db, bytes, &mut || {
                if own_key {
                    MasterKey::load(&new.config_dir, KeyStoreChoice::File, false)
                        .map(|k| MasterKeyRef::Owned(Box::new(k)))
                } else {
                    Ok(MasterKeyRef::Borrowed(&self.inner.master_key))
                }
            })
        })();
        let _ = std::fs::remove_dir_all(&tmp);
        let summary = result?;
        let mut key_file_copied = false;
        if !own_key {
            if let KeyStore::KeyFile(file) = self.key_store() {
                crate::secrets::copy_key_file(file, &key_target)?;
                key_file_copied = true;
            }
        }
        Ok((summary, false, key_file_copied))
    }
}
