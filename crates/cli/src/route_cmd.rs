//! Routed orders on the command line: `order add --group` and `mass-order --group` (the
//! engine's routing with failover, `smm_engine::routing`).

use std::process::ExitCode;

use rust_decimal::Decimal;
use smm_engine::routing::{RoutedLineResult, RoutedMassOrder, RoutedPlacement};
use smm_engine::{Engine, EngineError, NewOrder, OrderError, OrderStatus};

use crate::error::CliError;
use crate::order_cmd::{describe, outcome_code, MassOrderArgs};
use crate::output::Output;

/// The attempts and what was passed over, one line each.
fn route_text(p: &RoutedPlacement) -> String {
    let mut lines = vec![format!("routed through group {}:", p.group)];
    for a in &p.attempts {
        let reason = a
            .reject_reason
            .as_deref()
            .map_or(String::new(), |r| format!(" ({r})"));
        lines.push(format!(
            "  attempt {}: {}:{} order #{} {}{reason}",
            a.attempt, a.provider, a.service_id, a.order_id, a.status
        ));
    }
    for s in &p.skipped {
        lines.push(format!(
            "  passed over {}:{}: {} [{}]",
            s.provider, s.service_id, s.message, s.code
        ));
    }
    if p.order.status == OrderStatus::Unknown && !p.remaining.is_empty() {
        let rest: Vec<String> = p
            .remaining
            .iter()
            .map(|m| format!("{}:{}", m.provider, m.service_id))
            .collect();
        lines.push(format!(
            "  routing stopped: the order may exist at {}, so no other provider was tried \
             (not tried: {}); resolve it with `smmdesk order resolve {}`",
            p.order.provider,
            rest.join(", "),
            p.order.id
        ));
    }
    if !p.sent {
        lines.push(format!(
            "nothing new was sent: this idempotency key already names this route (order #{})",
            p.order.id
        ));
    }
    lines.join("\n")
}

/// `smmdesk order add --group NAME …`.
pub fn add(
    engine: &Engine,
    group: &str,
    new: NewOrder,
    dry_run: bool,
    out: &Output,
) -> Result<ExitCode, CliError> {
    if dry_run {
        let preview = engine.preview_routed_order(group, &new)?;
        out.print(&preview, || {
            let mut lines = vec![format!(
                "group {} (rule: {}) would try, in order:",
                preview.group, preview.rule
            )];
            for c in &preview.candidates {
                lines.push(format!(
                    "  {}:{} estimated {} {}",
                    c.provider,
                    c.service_id,
                    c.estimated_cost,
                    c.currency.as_deref().unwrap_or("")
                ));
            }
            for s in &preview.skipped {
                lines.push(format!(
                    "  passed over {}:{}: {} [{}]",
                    s.provider, s.service_id, s.message, s.code
                ));
            }
            lines.join("\n")
        });
        return Ok(ExitCode::SUCCESS);
    }
    let placed = crate::block_on(engine.place_routed_order(group, new))??;
    out.print(&placed, || {
        format!("{}\n{}", describe(&placed.order), route_text(&placed))
    });
    Ok(outcome_code([placed.order.status]))
}

/// `smmdesk mass-order --group NAME FILE`.
pub fn mass(
    engine: &Engine,
    group: String,
    text: String,
    sale_price: Option<Decimal>,
    a: MassOrderArgs,
    out: &Output,
) -> Result<ExitCode, CliError> {
    if a.dry_run {
        return Err(CliError::input(
            "dry_run",
            "--dry-run is not available with --group yet; `order add --group G --dry-run` \
             shows where one line would go",
        ));
    }
    let order = RoutedMassOrder {
        group,
        text,
        customer: a.sale.customer,
        sale_price,
        batch_key: a.batch_key,
        valid_only: a.valid_only,
        force: a.force,
    };
    let json = out.json;
    let done = std::sync::atomic::AtomicUsize::new(0);
    let progress = move |r: &RoutedLineResult| {
        let n = done.fetch_add(1, std::sync::atomic::Ordering::Relaxed) + 1;
        if !json {
            let status = r.placement.as_ref().map_or("failed".to_string(), |p| {
                format!("{} at {}", p.order.status, p.order.provider)
            });
            eprintln!("[{n}] line {}: {status}", r.line);
        }
    };
    let report = match crate::block_on(engine.place_routed_mass_order(order, &progress))? {
        Ok(r) => r,
        Err(EngineError::Order(OrderError::MassOrderInvalid(lines))) if !out.json => {
            for e in &lines {
                eprintln!("line {}: {} [{}]", e.line, e.message, e.code);
            }
            return Err(EngineError::Order(OrderError::MassOrderInvalid(lines)).into());
        }
        Err(e) => return Err(e.into()),
    };
    out.print(&report, || {
        let mut t = format!(
            "batch {} through group {}: {} accepted, {} failed, {} unknown",
            report.batch_key, report.group, report.accepted, report.failed, report.unknown
        );
        if report.already_placed > 0 {
            t.push_str(&format!(
                "; {} line(s) already placed by an earlier run: nothing new was sent for them",
                report.already_placed
            ));
        }
        for r in &report.results {
            match (&r.placement, &r.error) {
                (Some(p), _) => {
                    let tried: Vec<String> = p
                        .attempts
                        .iter()
                        .map(|a| format!("{} {}", a.provider, a.status))
                        .collect();
                    t.push_str(&format!(
                        "\nline {}: order #{} {} at {} (tried: {})",
                        r.line,
                        p.order.id,
                        p.order.status,
                        p.order.provider,
                        tried.join(", ")
                    ));
                    if !p.sent {
                        t.push_str(" (already placed: nothing new was sent)");
                    }
                }
                (None, Some(e)) => {
                    t.push_str(&format!("\nline {}: {} [{}]", r.line, e.message, e.code))
                }
                (None, None) => {}
            }
        }
        for s in &report.skipped {
            t.push_str(&format!(
                "\nline {} skipped: {} [{}]",
                s.line, s.message, s.code
            ));
        }
        t
    });
    let mut statuses: Vec<OrderStatus> = report
        .results
        .iter()
        .map(|r| {
            r.placement
                .as_ref()
                .map_or(OrderStatus::NotSent, |p| p.order.status)
        })
        .collect();
    if !report.skipped.is_empty() {
        statuses.push(OrderStatus::Rejected);
    }
    Ok(outcome_code(statuses))
}
