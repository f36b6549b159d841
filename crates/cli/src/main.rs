//! smmdesk: the SMM Desk command line, a thin face over `smm_engine::Engine`.
//!
//! Exit codes: 0 success, 1 the command failed (the message, or `{code, message}` JSON with
//! `--json`, on stderr), 2 the command line itself is wrong (clap's usage error).

mod args;
mod customers_cmd;
mod daemon_cmd;
mod data_cmd;
mod error;
mod group_cmd;
mod input;
mod order_cmd;
mod output;
mod prices_cmd;
mod provider;
mod route_cmd;
mod schedule_cmd;
mod serve_cmd;
mod services;
mod stats_cmd;
mod webhook_cmd;

use std::process::ExitCode;

use clap::Parser;
use smm_engine::paths::AppPaths;
use smm_engine::{logging, Engine};

use crate::args::{Cli, Command};
use crate::error::CliError;
use crate::output::Output;

fn main() -> ExitCode {
    let cli = Cli::parse();
    let out = Output { json: cli.json };
    match run(cli, &out) {
        Ok(code) => code,
        Err(e) => {
            out.error(&e);
            ExitCode::FAILURE
        }
    }
}

fn run(cli: Cli, out: &Output) -> Result<ExitCode, CliError> {
    let (paths, source) = AppPaths::resolve_with_source(cli.data_dir.as_deref())
        .map_err(smm_engine::EngineError::from)?;
    paths.create_all().map_err(smm_engine::EngineError::from)?;
    let _log = logging::init_file_only(&paths.log_dir, "smmdesk", "info").ok();
    let command = match cli.command {
        Command::Provider(args::ProviderCommand::Presets) => {
            provider::presets(out);
            return Ok(ExitCode::SUCCESS);
        }
        // Restore works without opening the current database (it may be the damaged one).
        Command::Restore(a) => return data_cmd::restore(&paths, a, out),
        Command::DataDir(a) => return data_cmd::data_dir(&paths, &source, a, out),
        other => other,
    };
    let engine = Engine::open(&paths)?;
    match command {
        Command::Provider(cmd) => provider::run(&engine, cmd, out),
        Command::Services(cmd) => services::run(&engine, cmd, out),
        Command::Order(cmd) => order_cmd::run(&engine, cmd, out),
        Command::MassOrder(a) => order_cmd::mass_order(&engine, a, out),
        Command::Balance(a) => stats_cmd::balance(&engine, a, out),
        Command::Stats(a) => stats_cmd::stats(&engine, a, out),
        Command::Demo(a) => stats_cmd::demo(&engine, a, out),
        Command::Daemon(a) => daemon_cmd::daemon(&engine, a, out),
        Command::Serve(a) => serve_cmd::serve(&engine, a, out),
        Command::Jobs(a) => daemon_cmd::jobs(&engine, a, out),
        Command::Alerts(a) => daemon_cmd::alerts(&engine, a, out),
        Command::Webhook(cmd) => webhook_cmd::run(&engine, cmd, out),
        Command::Prices(cmd) => prices_cmd::run(&engine, cmd, out),
        Command::Customers(cmd) => customers_cmd::run(&engine, cmd, out),
        Command::Group(cmd) => group_cmd::run(&engine, cmd, out),
        Command::Schedule(cmd) => schedule_cmd::run(&engine, cmd, out),
        Command::Backup(a) => data_cmd::backup(&engine, a, out),
        Command::Restore(_) | Command::DataDir(_) => unreachable!("handled above"),
        Command::Info => {
            info(&engine, out);
            Ok(ExitCode::SUCCESS)
        }
    }
}

fn info(engine: &Engine, out: &Output) {
    let paths = engine.paths();
    let value = serde_json::json!({
        "version": smm_engine::VERSION,
        "data_dir": paths.data_dir,
        "database": paths.database_file(),
        "config_dir": paths.config_dir,
        "log_dir": paths.log_dir,
        "key_store": engine.key_store(),
    });
    out.print(&value, || {
        format!(
            "smmdesk {}\ndata folder: {}\ndatabase:    {}\nlogs:        {}\nmaster key:  {}",
            smm_engine::VERSION,
            paths.data_dir.display(),
            paths.database_file().display(),
            paths.log_dir.display(),
            engine.key_store()
        )
    });
}

/// A current-thread runtime for the commands that talk to providers.
pub(crate) fn block_on<F: std::future::Future>(future: F) -> Result<F::Output, CliError> {
    let rt = tokio::runtime::Builder::new_current_thread()
        .enable_all()
        .build()
        .map_err(|e| CliError::Runtime(e.to_string()))?;
    Ok(rt.block_on(future))
}
