//! Runs a simulated panel until Ctrl-C, printing its URL and key.
//!
//! `cargo run -p smm-panel --example demo_panel -- [services] [time-scale]`

use smm_panel::sim::{SimConfig, Simulator};

#[tokio::main(flavor = "current_thread")]
async fn main() -> std::io::Result<()> {
    let mut args = std::env::args().skip(1);
    let services = args.next().and_then(|a| a.parse().ok()).unwrap_or(500);
    let time_scale = args.next().and_then(|a| a.parse().ok()).unwrap_or(60);
    let sim = Simulator::start(SimConfig {
        services,
        time_scale,
        ..SimConfig::default()
    })
    .await?;
    println!("demo panel: {}", sim.url());
    println!("key:        {}", sim.key().expose());
    println!("{services} services; {time_scale} simulated seconds per second; Ctrl-C stops");
    tokio::signal::ctrl_c().await?;
    println!("requests: {:?}", sim.counters());
    sim.shutdown().await;
    Ok(())
}
