//! smm-desk: starts logging, then the SMM Desk window.

// No console window on Windows release builds.
#![cfg_attr(not(debug_assertions), windows_subsystem = "windows")]

use smm_engine::paths::AppPaths;

fn main() {
    // A data folder chosen in Settings that is unusable now (a drive not connected): the app
    // still starts, over the default folders for logs and preferences, and says so in the
    // window (the database there is not opened, so nothing new is created).
    let (paths, problem) = match AppPaths::resolve(None) {
        Ok(paths) => (paths, None),
        Err(err) if err.is_pointer_problem() => match AppPaths::os_default() {
            Ok(paths) => (paths, Some(err)),
            Err(_) => fail(&err),
        },
        Err(err) => fail(&err),
    };
    if let Err(err) = paths.create_all() {
        fail(&err);
    }
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
    if let Some(err) = &problem {
        tracing::error!(%err, "the data folder is unusable");
    }
    if let Err(err) = smm_desk::run(paths, problem) {
        tracing::error!(%err, "SMM Desk stopped with an error");
        std::process::exit(1);
    }
    tracing::info!("SMM Desk closed");
}

fn fail(err: &dyn std::fmt::Display) -> ! {
    eprintln!("smm-desk: {err}");
    std::process::exit(1);
}
