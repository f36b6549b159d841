//! Where SMM Desk keeps its data, configuration and logs.
//!
//! The OS conventions come from the `directories` crate; `SMM_DESK_DATA_DIR` (or an explicit
//! folder, as `smmdesk --data-dir` passes) puts everything under one folder instead, which is
//! what tests and portable installs use.

use std::path::{Path, PathBuf};

/// The environment variable that overrides the data folder for the app and the CLI alike.
pub const DATA_DIR_ENV: &str = "SMM_DESK_DATA_DIR";

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
    /// A folder could not be created.
    #[error("cannot create folder {path}: {source}")]
    Create {
        /// The folder.
        path: PathBuf,
        /// The OS error.
        source: std::io::Error,
    },
}

impl AppPaths {
    /// Resolves the folders: an explicit folder first, then `SMM_DESK_DATA_DIR`, then the OS
    /// conventions.
    pub fn resolve(explicit: Option<&Path>) -> Result<Self, PathsError> {
        let env = std::env::var_os(DATA_DIR_ENV).filter(|v| !v.is_empty());
        match explicit.map(Path::to_path_buf).or(env.map(PathBuf::from)) {
            Some(root) => Ok(Self::under(root)),
            None => {
                let dirs = directories::ProjectDirs::from("app", "SMM Desk", "smm-desk")
                    .ok_or(PathsError::NoHome)?;
                Ok(Self {
                    data_dir: dirs.data_dir().to_path_buf(),
                    config_dir: dirs.config_dir().to_path_buf(),
                    log_dir: dirs.data_local_dir().join("logs"),
                })
            }
        }
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

    #[test]
    fn create_all_makes_the_folders() {
        let tmp = tempfile::tempdir().unwrap();
        let p = AppPaths::under(tmp.path().join("a"));
        p.create_all().unwrap();
        assert!(p.config_dir.is_dir() && p.log_dir.is_dir());
    }
}
