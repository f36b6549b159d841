//! Logging: `tracing` to a daily-rotated file in the log folder and to stderr.
//!
//! The level comes from `RUST_LOG` when set, else from the caller (a setting). A panic is
//! logged before the process goes down. Nothing secret is ever passed to a log macro: API keys
//! only exist inside redacting wrappers whose `Debug`/`Display` print `••••`.

use std::path::Path;

use tracing_appender::non_blocking::WorkerGuard;
use tracing_subscriber::{fmt, prelude::*, EnvFilter};

/// Keeps the file writer alive; drop it last (it flushes on drop).
pub struct LogGuard {
    _file: WorkerGuard,
}

/// Starts logging to `<log_dir>/<file_prefix>.YYYY-MM-DD` and to stderr.
///
/// `default_level` is an `EnvFilter` directive such as `"info"` or `"smm_engine=debug"`; it is
/// used when `RUST_LOG` is not set. Calling this twice keeps the first subscriber.
pub fn init(log_dir: &Path, file_prefix: &str, default_level: &str) -> std::io::Result<LogGuard> {
    start(log_dir, file_prefix, default_level, true)
}

/// Like [`init`] but logs only to the file: a command line keeps stderr for its own messages.
pub fn init_file_only(
    log_dir: &Path,
    file_prefix: &str,
    default_level: &str,
) -> std::io::Result<LogGuard> {
    start(log_dir, file_prefix, default_level, false)
}

fn start(
    log_dir: &Path,
    file_prefix: &str,
    default_level: &str,
    to_stderr: bool,
) -> std::io::Result<LogGuard> {
    std::fs::create_dir_all(log_dir)?;
    let appender = tracing_appender::rolling::Builder::new()
        .rotation(tracing_appender::rolling::Rotation::DAILY)
        .filename_prefix(file_prefix)
        .filename_suffix("log")
        .max_log_files(14)
        .build(log_dir)
        .map_err(std::io::Error::other)?;
    let (writer, guard) = tracing_appender::non_blocking(appender);
    let filter =
        EnvFilter::try_from_default_env().unwrap_or_else(|_| EnvFilter::new(default_level));
    let _ = tracing_subscriber::registry()
        .with(filter)
        .with(to_stderr.then(|| fmt::layer().with_writer(std::io::stderr)))
        .with(fmt::layer().with_ansi(false).with_writer(writer))
        .try_init();
    install_panic_hook();
    Ok(LogGuard { _file: guard })
}

fn install_panic_hook() {
    let previous = std::panic::take_hook();
    std::panic::set_hook(Box::new(move |info| {
        let location = info
            .location()
            .map(|l| format!("{}:{}", l.file(), l.line()))
            .unwrap_or_default();
        let message = info
            .payload()
            .downcast_ref::<&str>()
            .map(|s| s.to_string())
            .or_else(|| info.payload().downcast_ref::<String>().cloned())
            .unwrap_or_else(|| "panic".into());
        tracing::error!(%location, "panic: {message}");
        previous(info);
    }));
}
