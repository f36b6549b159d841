//! `smmdesk backup`, `smmdesk restore` and `smmdesk data-dir`: the data folder as a whole.

use std::path::PathBuf;
use std::process::ExitCode;

use clap::Args;
use smm_engine::data::{self, MoveMode};
use smm_engine::paths::{AppPaths, DataDirSource};
use smm_engine::{Engine, EngineError, KeyStoreChoice};

use crate::error::CliError;
use crate::output::Output;

/// `smmdesk backup FILE`
#[derive(Debug, Args)]
pub struct BackupArgs {
    /// The file to write (must not exist yet); a consistent copy, safe while the app runs
    pub file: PathBuf,
}

/// `smmdesk restore FILE`
#[derive(Debug, Args)]
pub struct RestoreArgs {
    /// A backup made by SMM Desk (`smmdesk backup` or the app's Settings)
    pub file: PathBuf,
    /// Only check the file (SQLite, intact, SMM Desk's schema, this computer's master key)
    #[arg(long)]
    pub check: bool,
}

/// `smmdesk data-dir [--move-to DIR [--use-existing]]`
#[derive(Debug, Args)]
pub struct DataDirArgs {
    /// Copy the data to DIR and use it from the next start on (the old folder is kept)
    #[arg(long, value_name = "DIR")]
    pub move_to: Option<PathBuf>,
    /// With --move-to: DIR already holds SMM Desk data; use it instead of copying
    #[arg(long, requires = "move_to")]
    pub use_existing: bool,
}

/// `smmdesk backup FILE`.
pub fn backup(engine: &Engine, args: BackupArgs, out: &Output) -> Result<ExitCode, CliError> {
    let bytes = engine.store().backup_to(&args.file)?;
    let value = serde_json::json!({ "path": args.file, "bytes": bytes });
    out.print(&value, || {
        format!(
            "backed up to {} ({bytes} bytes); API keys inside stay encrypted under this computer's master key",
            args.file.display()
        )
    });
    Ok(ExitCode::SUCCESS)
}

/// `smmdesk restore FILE`: checks, stages, then applies at once (the engine is opened here,
/// so the database is replaced before anything reads it); refused while another SMM Desk
/// program has the data folder open, with the staged copy removed again.
pub fn restore(paths: &AppPaths, args: RestoreArgs, out: &Output) -> Result<ExitCode, CliError> {
    let choice = KeyStoreChoice::from_env();
    if args.check {
        let summary = data::inspect_backup(paths, choice, &args.file)?;
        out.print(&summary, || {
            format!(
                "{} is a good SMM Desk backup: {} providers, {} orders (schema {})",
                summary.path.display(),
                summary.providers,
                summary.orders,
                summary.schema_version
            )
        });
        return Ok(ExitCode::SUCCESS);
    }
    let pending = data::stage_restore(paths, choice, &args.file)?;
    let engine = match Engine::open(paths) {
        Ok(engine) => engine,
        Err(e) => {
            // Leave no restore behind that the next start would apply unasked.
            let _ = data::cancel_restore(paths);
            return Err(e.into());
        }
    };
    let Some(applied) = engine.applied_restore().cloned() else {
        data::cancel_restore(paths)?;
        return Err(EngineError::DataInUse(paths.data_dir.display().to_string()).into());
    };
    let value = serde_json::json!({
        "restored_from": pending.summary.path,
        "database": applied.database,
        "previous": applied.previous,
        "providers": pending.summary.providers,
        "orders": pending.summary.orders,
    });
    out.print(&value, || {
        format!(
            "restored {} ({} providers, {} orders)\nthe data it replaced is kept at {}",
            pending.summary.path.display(),
            pending.summary.providers,
            pending.summary.orders,
            applied.previous.display()
        )
    });
    Ok(ExitCode::SUCCESS)
}

fn source_name(source: &DataDirSource) -> &'static str {
    match source {
        DataDirSource::Explicit => "--data-dir",
        DataDirSource::Env => smm_engine::paths::DATA_DIR_ENV,
        DataDirSource::Pointer(_) => "pointer",
        DataDirSource::Default => "default",
    }
}

/// `smmdesk data-dir`: where the data is and why; `--move-to` changes it.
pub fn data_dir(
    paths: &AppPaths,
    source: &DataDirSource,
    args: DataDirArgs,
    out: &Output,
) -> Result<ExitCode, CliError> {
    let pointer = match source {
        DataDirSource::Pointer(p) => Some(p.clone()),
        _ => AppPaths::pointer_file(),
    };
    let Some(target) = args.move_to else {
        let value = serde_json::json!({
            "data_dir": paths.data_dir,
            "database": paths.database_file(),
            "source": source_name(source),
            "pointer_file": pointer,
            "changeable": !source.is_forced(),
        });
        out.print(&value, || {
            let why = match source {
                DataDirSource::Explicit => "set by --data-dir".to_string(),
                DataDirSource::Env => format!("set by {}", smm_engine::paths::DATA_DIR_ENV),
                DataDirSource::Pointer(p) => {
                    format!("chosen earlier (recorded in {})", p.display())
                }
                DataDirSource::Default => "the default".to_string(),
            };
            format!("{}\n({why})", paths.data_dir.display())
        });
        return Ok(ExitCode::SUCCESS);
    };
    let pointer =
        pointer.ok_or_else(|| EngineError::from(smm_engine::paths::PathsError::NoHome))?;
    let engine = Engine::open(paths)?;
    let mode = if args.use_existing {
        MoveMode::UseExisting
    } else {
        MoveMode::Copy
    };
    let moved = engine.move_data_folder(source, &pointer, &target, mode)?;
    out.print(&moved, || {
        let what = if moved.copied {
            "copied the data to"
        } else {
            "switched to the data in"
        };
        format!(
            "{what} {}\nSMM Desk and smmdesk use it from their next start; close the app and start it again.\nthe old folder is left as it was: {}",
            moved.new_dir.display(),
            moved.old_dir.display()
        )
    });
    Ok(ExitCode::SUCCESS)
}
