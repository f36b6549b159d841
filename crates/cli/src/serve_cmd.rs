//! `smmdesk serve`: the local API (for a reseller's own site, bot or script) and the
//! scheduler, until Ctrl-C, SIGTERM or `--for`.

use std::net::{IpAddr, Ipv4Addr, SocketAddr};
use std::process::ExitCode;
use std::time::Duration;

use clap::Args;
use serde_json::json;
use smm_api::{ApiConfig, Server};
use smm_engine::{Engine, SchedulerOptions};

use crate::error::CliError;
use crate::output::Output;

/// `smmdesk serve`
#[derive(Debug, Args)]
pub struct ServeArgs {
    /// The port (0 picks a free one)
    #[arg(long, default_value_t = smm_api::DEFAULT_PORT)]
    pub port: u16,
    /// Listen on this address instead of 127.0.0.1: reachable beyond this computer, so put a
    /// TLS reverse proxy in front
    #[arg(long, value_name = "IP")]
    pub listen: Option<IpAddr>,
    /// Create a new token (the old one stops working at once) and print it, once
    #[arg(long)]
    pub new_token: bool,
    /// Let web pages from this origin call the API from a browser (`https://shop.example`);
    /// repeat for more. Without it no CORS header is sent
    #[arg(long = "cors-origin", value_name = "ORIGIN")]
    pub cors_origins: Vec<String>,
    /// Stop after this many seconds (default: run until Ctrl-C or SIGTERM)
    #[arg(long = "for", value_name = "SECONDS")]
    pub for_secs: Option<u64>,
}

/// `smmdesk serve`.
pub fn serve(engine: &Engine, a: ServeArgs, out: &Output) -> Result<ExitCode, CliError> {
    let ip = a.listen.unwrap_or(IpAddr::V4(Ipv4Addr::LOCALHOST));
    let config = ApiConfig {
        addr: SocketAddr::new(ip, a.port),
        cors_origins: a.cors_origins.clone(),
        ..ApiConfig::default()
    };
    crate::block_on(async {
        let server = Server::bind(engine.clone(), &config).await?;
        let handle = server.handle();
        // The first start creates the token; later ones keep it unless asked.
        let token = if a.new_token || smm_api::token::stored_hash(engine)?.is_none() {
            Some(handle.rotate_token()?)
        } else {
            None
        };
        let url = format!("http://{}", server.addr());
        if out.json {
            println!("{}", json!({ "url": url, "token": token }));
        } else {
            println!("local API on {url} (OpenAPI: {url}/api/openapi.json); Ctrl-C to stop");
            match &token {
                Some(t) => {
                    println!("token (shown once; send it as `Authorization: Bearer <token>`): {t}")
                }
                None => println!("token: the one created earlier (`--new-token` replaces it)"),
            }
            if !ip.is_loopback() {
                println!(
                    "warning: {ip} is reachable beyond this computer; put a TLS reverse proxy in front"
                );
            }
        }
        let scheduler = engine.start_scheduler(SchedulerOptions::default())?;
        let for_secs = a.for_secs;
        let stop = async move {
            let deadline = async {
                match for_secs {
                    Some(s) => tokio::time::sleep(Duration::from_secs(s)).await,
                    None => std::future::pending().await,
                }
            };
            tokio::select! {
                _ = crate::stats_cmd::wait_for_stop() => {}
                _ = deadline => {}
            }
        };
        server.run(stop).await?;
        scheduler.stop().await;
        if !out.json {
            println!("local API stopped");
        }
        Ok::<_, CliError>(())
    })??;
    Ok(ExitCode::SUCCESS)
}
