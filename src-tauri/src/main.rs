//! smm-desk: starts logging, then the SMM Desk window.

// No console window on Windows release builds.
#![cfg_attr(not(debug_assertions), windows_subsystem = "windows")]

use smm_engine::paths::AppPaths;

fn main() {
    let paths = match AppPaths::resolve(None).and_then(|p| p.create_all().map(|()| p)) {
        Ok(paths) => paths,
        Err(err) => {
            eprintln!("smm-desk: {err}");
            std::process::exit(1);
        }
    };
    let _log = match smm_engine::logging::init(&paths.log_dir, "smm-desk", "info") {
        Ok(guard) => Some(guard),
        Err(err) => {
            eprintln!("smm-desk: cannot log to {}: {err}", paths.log_dir.display());
            None
        }
    };
    tracing::info!(
        version = smm_engine::VERSION,
        data_dir = %paths.data_dir.display(),
        log_dir = %paths.log_dir.display(),
        "SMM Desk starting"
    );
    if let Err(err) = smm_desk::run(paths) {
        tracing::error!(%err, "SMM Desk stopped with an error");
        std::process::exit(1);
    }
    tracing::info!("SMM Desk closed");
}
