//! `smm-sim`: a panel simulator driven over stdin, for end-to-end tests of other processes
//! (the app under WebDriver, the CLI). Unlike the app's built-in demo panel it can inject
//! faults, and it tells what it received.
//!
//! ```text
//! smm-sim [--services N] [--time-scale N]
//! ```
//!
//! It starts a simulated panel on 127.0.0.1 (a free port) and prints one JSON line on stdout:
//! `{"url":"http://127.0.0.1:PORT/api/v2","key":"…"}` (the simulator's own test key). It then
//! reads one command per line on stdin and answers each with one JSON line (`{"error":"…"}`
//! when the command is not understood). It stops at the end of stdin, so it dies with the
//! process that started it.
//!
//! | command | answer |
//! |---|---|
//! | `fault ACTION FAULT [TIMES]` | `{"ok":true}`; every following `ACTION` request (or the next `TIMES`) gets `FAULT` |
//! | `clear` | `{"ok":true}`; no more faults |
//! | `orders` | `{"orders":[{"id","service","link","quantity","charge","status","remains"}…]}`, oldest first |
//! | `counters` | `{"total":N,"unknown":N,"by_action":{"add":N,…}}` |
//! | `reset-counters` | `{"ok":true}` |
//! | `balance` | `{"balance":"1000"}` (a decimal string) |
//! | `balance AMOUNT` | `{"balance":"AMOUNT"}`; sets the balance (below an order's charge: `add` answers "Not enough funds") |
//! | `rate SERVICE RATE` | `{"ok":true}`; the service's price per 1000 is now RATE (seen at the next sync) |
//! | `advance SECONDS` | `{"ok":true}`; moves the simulator clock |
//! | `finish ID partial DELIVERED` | `{"order":{…}}` (as in `orders`); the open order ends now as `Partial` with DELIVERED units (1 to quantity − 1), charged that share, the rest refunded |
//! | `finish ID canceled` | `{"order":{…}}`; the open order ends now as `Canceled`, charge 0, all refunded |
//!
//! `ACTION` is a wire name (`add`, `status`, `balance`, …). `FAULT` is one of
//! `reset-after-accept` (the order is placed, the connection is closed without a reply),
//! `reset-before-process` (closed without processing), `hang`, `html-200`, `malformed-json`,
//! `php-warning`, `php-notices-N` (N PHP notices before the JSON), `php-notice-holding-json`,
//! `empty-body`, `rate-limit-text`, `429`, `5xx` (an HTTP 500..599 status), or `latency-MS`.

use std::io::{BufRead, Write};
use std::time::Duration;

use serde_json::{json, Value};
use smm_panel::sim::{Fault, SimConfig, SimHandle, SimOrder, Simulator};
use smm_panel::Action;

#[tokio::main(flavor = "current_thread")]
async fn main() -> std::io::Result<()> {
    let mut config = SimConfig::default();
    let mut args = std::env::args().skip(1);
    while let Some(arg) = args.next() {
        let value = args.next().and_then(|v| v.parse::<u64>().ok());
        match (arg.as_str(), value) {
            ("--services", Some(n)) => config.services = n as usize,
            ("--time-scale", Some(n)) => config.time_scale = u32::try_from(n).unwrap_or(u32::MAX),
            _ => {
                eprintln!("usage: smm-sim [--services N] [--time-scale N]");
                std::process::exit(2);
            }
        }
    }
    let sim = Simulator::start(config).await?;
    emit(&json!({ "url": sim.url(), "key": sim.key().expose() }))?;
    loop {
        // Blocking stdin reads run off the runtime thread, so the server keeps answering.
        let line = tokio::task::spawn_blocking(|| {
            let mut line = String::new();
            std::io::stdin()
                .lock()
                .read_line(&mut line)
                .map(|n| (n, line))
        })
        .await
        .map_err(std::io::Error::other)??;
        match line {
            (0, _) => break,
            (_, line) if line.trim().is_empty() => continue,
            (_, line) => emit(&command(&sim, line.trim()))?,
        }
    }
    // A hung request (the `hang` fault) must not keep the process alive.
    let _ = tokio::time::timeout(Duration::from_secs(2), sim.shutdown()).await;
    Ok(())
}

fn emit(value: &Value) -> std::io::Result<()> {
    let mut out = std::io::stdout().lock();
    writeln!(out, "{value}")?;
    out.flush()
}

fn command(sim: &SimHandle, line: &str) -> Value {
    let words: Vec<&str> = line.split_whitespace().collect();
    match words.as_slice() {
        ["fault", action, fault, rest @ ..] => {
            let Some(action) = Action::parse(action) else {
                return json!({ "error": format!("unknown action: {action}") });
            };
            let Some(fault) = parse_fault(fault) else {
                return json!({ "error": format!("unknown fault: {fault}") });
            };
            match rest {
                [] => sim.set_fault(action, fault),
                [times] => match times.parse() {
                    Ok(n) => sim.set_fault_times(action, fault, n),
                    Err(_) => return json!({ "error": format!("bad count: {times}") }),
                },
                _ => return json!({ "error": "usage: fault ACTION FAULT [TIMES]" }),
            }
            json!({ "ok": true })
        }
        ["clear"] => {
            sim.clear_faults();
            json!({ "ok": true })
        }
        ["orders"] => {
            let orders: Vec<Value> = sim.orders().iter().map(order_json).collect();
            json!({ "orders": orders })
        }
        ["finish", id, how, rest @ ..] => {
            let finished = match (*how, rest) {
                ("partial", [delivered]) => match delivered.parse() {
                    Ok(n) => sim.finish_partial(id, n),
                    Err(_) => return json!({ "error": format!("bad count: {delivered}") }),
                },
                ("canceled", []) => sim.finish_canceled(id),
                _ => {
                    return json!({ "error": "usage: finish ID partial DELIVERED | finish ID canceled" })
                }
            };
            match finished {
                Ok(o) => json!({ "order": order_json(&o) }),
                Err(e) => json!({ "error": e.to_string() }),
            }
        }
        ["counters"] => {
            let c = sim.counters();
            let by_action: serde_json::Map<String, Value> = c
                .by_action
                .iter()
                .map(|(a, n)| (a.as_str().to_owned(), json!(n)))
                .collect();
            json!({ "total": c.total, "unknown": c.unknown, "by_action": by_action })
        }
        ["reset-counters"] => {
            sim.reset_counters();
            json!({ "ok": true })
        }
        ["balance"] => json!({ "balance": sim.balance().to_string() }),
        ["balance", amount] => match amount.parse() {
            Ok(a) => {
                sim.set_balance(a);
                json!({ "balance": sim.balance().to_string() })
            }
            Err(_) => json!({ "error": format!("bad amount: {amount}") }),
        },
        ["rate", id, rate] => {
            let Ok(rate) = rate.parse() else {
                return json!({ "error": format!("bad rate: {rate}") });
            };
            let Some(mut service) = sim.catalog().into_iter().find(|s| s.id == *id) else {
                return json!({ "error": format!("unknown service: {id}") });
            };
            service.rate = rate;
            sim.upsert_service(service);
            json!({ "ok": true })
        }
        ["advance", secs] => match secs.parse() {
            Ok(s) => {
                sim.advance(Duration::from_secs(s));
                json!({ "ok": true })
            }
            Err(_) => json!({ "error": format!("bad seconds: {secs}") }),
        },
        _ => json!({ "error": format!("unknown command: {line}") }),
    }
}

fn order_json(o: &SimOrder) -> Value {
    json!({
        "id": o.id,
        "service": o.service,
        "link": o.link,
        "quantity": o.quantity,
        "charge": o.charge.to_string(),
        "status": o.status.as_str(),
        "remains": o.remains,
    })
}

fn parse_fault(name: &str) -> Option<Fault> {
    Some(match name {
        "reset-after-accept" => Fault::ResetAfterAccept,
        "reset-before-process" => Fault::ResetBeforeProcess,
        "hang" => Fault::Hang,
        "html-200" => Fault::Html200,
        "malformed-json" => Fault::MalformedJson,
        "php-warning" => Fault::PhpWarningBeforeJson,
        "php-notice-holding-json" => Fault::PhpNoticeHoldingJson,
        "empty-body" => Fault::EmptyBody,
        "rate-limit-text" => Fault::RateLimitText,
        "429" => Fault::TooManyRequests {
            retry_after_secs: None,
        },
        _ => {
            if let Some(ms) = name.strip_prefix("latency-") {
                Fault::Latency(Duration::from_millis(ms.parse().ok()?))
            } else if let Some(n) = name.strip_prefix("php-notices-") {
                Fault::PhpNotices(n.parse().ok()?)
            } else {
                let code: u16 = name.parse().ok()?;
                if !(500..600).contains(&code) {
                    return None;
                }
                Fault::ServerError(code)
            }
        }
    })
}
