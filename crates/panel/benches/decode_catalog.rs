//! Decodes a 20,000-service catalog and prints the time as a ratio to parsing the same bytes
//! into `serde_json::Value` (target: at most 1.5×).
//!
//! `cargo bench -p smm-panel --bench decode_catalog`

use std::hint::black_box;
use std::time::{Duration, Instant};

use smm_panel::decode;
use smm_panel::sim::{generate_catalog, services_body, Dialect};

const SERVICES: usize = 20_000;

fn median(mut samples: Vec<Duration>) -> Duration {
    samples.sort();
    samples[samples.len() / 2]
}

fn main() {
    // `cargo bench` passes `--bench`; anything else (e.g. `cargo test --benches`) is a smoke run.
    let rounds = if std::env::args().any(|a| a == "--bench") {
        31
    } else {
        1
    };
    for (label, dialect) in [
        ("template (number ids, string money)", Dialect::default()),
        (
            "string ids, number money",
            Dialect {
                string_ids: true,
                money_as_numbers: true,
                ..Dialect::default()
            },
        ),
    ] {
        let catalog = generate_catalog(20_250_101, SERVICES);
        let body = services_body(&catalog, &dialect);
        let decoded = decode::services(&body).expect("the catalog decodes");
        assert_eq!(decoded, catalog, "the catalog round-trips");

        let mut typed = Vec::new();
        let mut value = Vec::new();
        for _ in 0..rounds {
            let t = Instant::now();
            black_box(decode::services(black_box(&body)).unwrap());
            typed.push(t.elapsed());
            let t = Instant::now();
            black_box(serde_json::from_slice::<serde_json::Value>(black_box(&body)).unwrap());
            value.push(t.elapsed());
        }
        let (typed, value) = (median(typed), median(value));
        println!(
            "decode {SERVICES} services, {label}: {:.2} MB, decode::services {:?}, serde_json::Value {:?}, ratio {:.2}x (target <= 1.5x)",
            body.len() as f64 / 1e6,
            typed,
            value,
            typed.as_secs_f64() / value.as_secs_f64()
        );
    }
}
