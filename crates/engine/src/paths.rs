//! Where SMM Desk keeps its data, configuration and logs.
//!
//! The OS conventions come from the `directories` crate; `SMM_DESK_DATA_DIR` (or an explicit
//! folder, as `smmdesk --data-dir` passes) puts everything under one folder instead, which is
//! what tests and portable installs use.
//!
//! When neither is given, a pointer file (`data-dir` in the OS config folder, e.g.
//! `~/.config/smm-desk/data-dir`) written by "change the data folder" (app Settings or
//! `smmdesk data-dir --move-to`) names the folder instead; it holds one absolute path, and the
//! folder it names is laid out like an override (database at the top, `config/`, `logs/`).
//! The app and `smmdesk` read the same pointer, so they always agree.

use std::path::{Path, PathBuf};

/// The environment variable that overrides the data folder for the app and the CLI alike.
pub const DATA_DIR_ENV: &str = "SMM_DESK_DATA_DIR";

/// The pointer file's name inside the OS config folder.
pub const POINTER_FILE_NAME: &str = "data-dir";

/// Why the data folder is where it is.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum DataDirSource {
    /// `--data-dir` (or another explicit folder the caller passed).
    Explicit,
    /// `SMM_DESK_DATA_DIR`.
    Env,
    /// The pointer file (a folder chosen in Settings).
    Pointer(PathBuf),
    /// The OS conventions.
    Default,
}

impl DataDirSource {
    /// Whether the data folder is forced from outside (then it cannot be changed in Settings).
    pub fn is_forced(&self) -> bool {
        matches!(self, Self::Explicit | Self::Env)
    }
}

/// The folders SMM Desk uses.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct AppPaths {
    /// The database and backups live here.
    pub data_dir: PathBuf,
    /// The master key file (when no OS keychain is usable) and settings live here.
    pub config_dir: PathBuf,
    /// Daily-rotated log files live here.
    pub log_dir: PathBuf,
}

/// Why the folders could not be worked out.
#[derive(Debug, thiserror::Error)]
pub enum PathsError {
    /// The OS reported no home folder and no override was given.
    #[error("cannot find a home folder; set {DATA_DIR_ENV} to choose a data folder")]
    NoHome,
    /// The pointer file does not hold an absolute folder path.
    #[error("{file} should hold the absolute path of the data folder; fix it or delete it to use the default folder")]
    PointerInvalid {
        /// The pointer file.
        file: PathBuf,
    },
    /// The folder named by the pointer file holds no database (a drive not mounted?).
    #[error("the data folder {folder} (chosen in Settings, recorded in {file}) holds no database; reconnect the drive it is on, or delete {file} to use the default folder")]
    PointerTargetMissing {
        /// The pointer file.
        file: PathBuf,
        /// The folder it names.
        folder: PathBuf,
    },
    /// The pointer file could not be read or written.
    #[error("{file}: {source}")]
    Pointer {
        /// The pointer file.
        file: PathBuf,
        /// The OS error.
        source: std::io::Error,
    },
    /// A folder could not be created.
    #[error("cannot create folder {path}: {source}")]
    Create {
        /// The folder.
        path: PathBuf,
        /// The OS error.
        source: std::io::Error,
    },
}

impl PathsError {
    /// A stable code: `data_dir.pointer_invalid`, `data_dir.pointer_target_missing`,
    /// `data_dir.pointer_unreadable`, else `paths.failed`.
    pub fn code(&self) -> &'static str {
        match self {
            PathsError::PointerInvalid { .. } => "data_dir.pointer_invalid",
            PathsError::PointerTargetMissing { .. } => "data_dir.pointer_target_missing",
            PathsError::Pointer { .. } => "data_dir.pointer_unreadable",
            PathsError::NoHome | PathsError::Create { .. } => "paths.failed",
        }
    }

    /// The problem is the pointer file or the folder it names (deleting the pointer, i.e.
    /// going back to the default folder, is a way out).
    pub fn is_pointer_problem(&self) -> bool {
        matches!(
            self,
            PathsError::PointerInvalid { .. }
                | PathsError::PointerTargetMissing { .. }
                | PathsError::Pointer { .. }
        )
    }
}

impl AppPaths {
    /// Resolves the folders: an explicit folder first, then `SMM_DESK_DATA_DIR`, then the
    /// pointer file, then the OS conventions.
    pub fn resolve(explicit: Option<&Path>) -> Result<Self, PathsError> {
        Self::resolve_with_source(explicit).map(|(paths, _)| paths)
    }

    /// [`AppPaths::resolve`], and why the data folder is the one it is.
    pub fn resolve_with_source(
        explicit: Option<&Path>,
    ) -> Result<(Self, DataDirSource), PathsError> {
        let env = std::env::var_os(DATA_DIR_ENV).filter(|v| !v.is_empty());
        let os = directories::ProjectDirs::from("app", "SMM Desk", "smm-desk").map(|d| OsDirs {
            data_dir: d.data_dir().to_path_buf(),
            config_dir: d.config_dir().to_path_buf(),
            log_dir: d.data_local_dir().join("logs"),
        });
        Self::resolve_from(explicit, env.map(PathBuf::from), os)
    }

    /// The resolution rules over given inputs (testable without touching the environment).
    fn resolve_from(
        explicit: Option<&Path>,
        env: Option<PathBuf>,
        os: Option<OsDirs>,
    ) -> Result<(Self, DataDirSource), PathsError> {
        if let Some(root) = explicit {
            return Ok((Self::under(root.to_path_buf()), DataDirSource::Explicit));
        }
        if let Some(root) = env {
            return Ok((Self::under(root), DataDirSource::Env));
        }
        let os = os.ok_or(PathsError::NoHome)?;
        let pointer = os.config_dir.join(POINTER_FILE_NAME);
        if let Some(root) = read_pointer(&pointer)? {
            let paths = Self::under(root.clone());
            if !paths.database_file().is_file() {
                return Err(PathsError::PointerTargetMissing {
                    file: pointer,
                    folder: root,
                });
            }
            return Ok((paths, DataDirSource::Pointer(pointer)));
        }
        Ok((
            Self {
                data_dir: os.data_dir,
                config_dir: os.config_dir,
                log_dir: os.log_dir,
            },
            DataDirSource::Default,
        ))
    }

    /// The OS conventions alone, whatever the pointer file says: where the app logs and keeps
    /// its preferences while it tells the user the folder the pointer names is unusable.
    pub fn os_default() -> Result<Self, PathsError> {
        let d = directories::ProjectDirs::from("app", "SMM Desk", "smm-desk")
            .ok_or(PathsError::NoHome)?;
        Ok(Self {
            data_dir: d.data_dir().to_path_buf(),
            config_dir: d.config_dir().to_path_buf(),
            log_dir: d.data_local_dir().join("logs"),
        })
    }

    /// The pointer file (whether it exists or not), or `None` without a home folder.
    pub fn pointer_file() -> Option<PathBuf> {
        directories::ProjectDirs::from("app", "SMM Desk", "smm-desk")
            .map(|d| d.config_dir().join(POINTER_FILE_NAME))
    }

    /// Everything under one folder (an override).
    pub fn under(root: PathBuf) -> Self {
        Self {
            config_dir: root.join("config"),
            log_dir: root.join("logs"),
            data_dir: root,
        }
    }

    /// Creates the folders that do not exist yet.
    pub fn create_all(&self) -> Result<(), PathsError> {
        for dir in [&self.data_dir, &self.config_dir, &self.log_dir] {
            std::fs::create_dir_all(dir).map_err(|source| PathsError::Create {
                path: dir.clone(),
                source,
            })?;
        }
        Ok(())
    }

    /// The SQLite database file.
    pub fn database_file(&self) -> PathBuf {
        self.data_dir.join("smm-desk.sqlite3")
    }
}

/// The OS folders (`directories`), apart for tests.
#[derive(Debug, Clone)]
struct OsDirs {
    data_dir: PathBuf,
    config_dir: PathBuf,
    log_dir: PathBuf,
}

/// The folder a pointer file names; `None` when there is no pointer file.
pub fn read_pointer(file: &Path) -> Result<Option<PathBuf>, PathsError> {
    match std::fs::read_to_string(file) {
        Ok(text) => {
            let path = PathBuf::from(text.trim_end_matches(['\n', '\r']));
            if path.as_os_str().is_empty() || !path.is_absolute() {
                return Err(PathsError::PointerInvalid {
                    file: file.to_path_buf(),
                });
            }
            Ok(Some(path))
        }
        Err(e) if e.kind() == std::io::ErrorKind::NotFound => Ok(None),
        Err(source) => Err(PathsError::Pointer {
            file: file.to_path_buf(),
            source,
        }),
    }
}

/// Points the data folder at `folder`: written to a temp file, synced, then renamed over the
/// pointer file (atomic: a crash leaves the old pointer or the new one, never half of one).
pub fn write_pointer(file: &Path, folder: &Path) -> Result<(), PathsError> {
    use std::io::Write;
    let err = |source| PathsError::Pointer {
        file: file.to_path_buf(),
        source,
    };
    let text = folder
        .to_str()
        .ok_or_else(|| err(std::io::Error::other("the folder path is not valid UTF-8")))?;
    if let Some(dir) = file.parent() {
        std::fs::create_dir_all(dir).map_err(err)?;
    }
    let tmp = file.with_extension("tmp");
    let mut f = std::fs::File::create(&tmp).map_err(err)?;
    f.write_all(text.as_bytes()).map_err(err)?;
    f.write_all(b"\n").map_err(err)?;
    f.sync_all().map_err(err)?;
    drop(f);
    std::fs::rename(&tmp, file).map_err(err)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn explicit_folder_holds_everything() {
        let p = AppPaths::resolve(Some(Path::new("/tmp/smm-x"))).unwrap();
        assert_eq!(p.data_dir, PathBuf::from("/tmp/smm-x"));
        assert_eq!(p.config_dir, PathBuf::from("/tmp/smm-x/config"));
        assert_eq!(p.log_dir, PathBuf::from("/tmp/smm-x/logs"));
        assert_eq!(
            p.database_file(),
            PathBuf::from("/tmp/smm-x/smm-desk.sqlite3")
        );
    }

    fn os(root: &Path) -> Option<OsDirs> {
        Some(OsDirs {
            data_dir: root.join("share/smm-desk"),
            config_dir: root.join("config/smm-desk"),
            log_dir: root.join("state/logs"),
        })
    }

    #[test]
    fn explicit_then_env_then_pointer_then_os() {
        let tmp = tempfile::tempdir().unwrap();
        let moved = tmp.path().join("moved");
        let (p, src) = AppPaths::resolve_from(None, None, os(tmp.path())).unwrap();
        assert_eq!(src, DataDirSource::Default);
        assert_eq!(p.config_dir, tmp.path().join("config/smm-desk"));

        let pointer = tmp.path().join("config/smm-desk").join(POINTER_FILE_NAME);
        write_pointer(&pointer, &moved).unwrap();
        // A pointer to a folder without a database is an error, never a fresh empty database.
        let err = AppPaths::resolve_from(None, None, os(tmp.path())).unwrap_err();
        assert!(
            matches!(err, PathsError::PointerTargetMissing { .. }),
            "{err}"
        );

        std::fs::create_dir_all(&moved).unwrap();
        std::fs::write(moved.join("smm-desk.sqlite3"), b"").unwrap();
        let (p, src) = AppPaths::resolve_from(None, None, os(tmp.path())).unwrap();
        assert_eq!(src, DataDirSource::Pointer(pointer.clone()));
        assert_eq!(p, AppPaths::under(moved.clone()));
        assert!(!src.is_forced());

        let env = tmp.path().join("env");
        let (p, src) = AppPaths::resolve_from(None, Some(env.clone()), os(tmp.path())).unwrap();
        assert_eq!((p.data_dir, src.is_forced()), (env, true));
        let (p, src) =
            AppPaths::resolve_from(Some(Path::new("/x")), Some(moved), os(tmp.path())).unwrap();
        assert_eq!(
            (p.data_dir, src),
            (PathBuf::from("/x"), DataDirSource::Explicit)
        );
    }

    #[test]
    fn a_relative_or_empty_pointer_is_refused() {
        let tmp = tempfile::tempdir().unwrap();
        let pointer = tmp.path().join("config/smm-desk").join(POINTER_FILE_NAME);
        std::fs::create_dir_all(pointer.parent().unwrap()).unwrap();
        for text in ["relative/dir\n", "\n", ""] {
            std::fs::write(&pointer, text).unwrap();
            let err = AppPaths::resolve_from(None, None, os(tmp.path())).unwrap_err();
            assert!(
                matches!(err, PathsError::PointerInvalid { .. }),
                "{text:?}: {err}"
            );
        }
    }

    #[test]
    fn create_all_makes_the_folders() {
        let tmp = tempfile::tempdir().unwrap();
        let p = AppPaths::under(tmp.path().join("a"));
        p.create_all().unwrap();
        assert!(p.config_dir.is_dir() && p.log_dir.is_dir());
    }
}
