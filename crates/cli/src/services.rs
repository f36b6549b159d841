//! `smmdesk services …`

use std::process::ExitCode;

use smm_engine::catalog::{ChangeKind, ChangeQuery, OfferQuery, ServiceSort};
use smm_engine::{CatalogDiff, Engine, Platform, ServiceQuery};

use crate::args::{ChangesArgs, CompareArgs, ListArgs, ServicesCommand, SortArg};
use crate::error::CliError;
use crate::input::{amount, since};
use crate::output::{table, Output};

/// Runs a services command.
pub fn run(engine: &Engine, cmd: ServicesCommand, out: &Output) -> Result<ExitCode, CliError> {
    match cmd {
        ServicesCommand::Sync { name: Some(name) } => {
            let diff = crate::block_on(engine.sync_catalog(&name))??;
            out.print(&diff, || summary(&diff));
        }
        ServicesCommand::Sync { name: None } => {
            let outcomes = crate::block_on(engine.sync_all_catalogs())??;
            out.print(&outcomes, || {
                if outcomes.is_empty() {
                    return "no active providers".into();
                }
                outcomes
                    .iter()
                    .map(|o| match (&o.diff, &o.error) {
                        (Some(d), _) => summary(d),
                        (None, Some(e)) => {
                            format!("{}: failed: {} [{}]", o.provider, e.message, e.code)
                        }
                        (None, None) => format!("{}: nothing to report", o.provider),
                    })
                    .collect::<Vec<_>>()
                    .join("\n")
            });
            if outcomes.iter().any(|o| o.error.is_some()) {
                return Ok(ExitCode::FAILURE);
            }
        }
        ServicesCommand::List(args) => list(engine, args, out)?,
        ServicesCommand::Changes(args) => changes(engine, args, out)?,
        ServicesCommand::Compare(args) => compare(engine, args, out)?,
    }
    Ok(ExitCode::SUCCESS)
}

fn summary(d: &CatalogDiff) -> String {
    format!(
        "{}: {} services; {} new, {} removed, {} restored, {} price changes, {} other changes, \
         {} unchanged",
        d.provider,
        d.total,
        d.added,
        d.removed,
        d.restored,
        d.price_changed,
        d.details_changed,
        d.unchanged
    )
}

pub(crate) fn platform(text: Option<&str>) -> Result<Option<Platform>, CliError> {
    text.map(|t| {
        Platform::parse(t).ok_or_else(|| {
            CliError::input(
                "platform",
                format!(
                    "unknown platform \"{t}\" (one of: {})",
                    Platform::ALL.map(Platform::as_str).join(", ")
                ),
            )
        })
    })
    .transpose()
}

fn list(engine: &Engine, a: ListArgs, out: &Output) -> Result<(), CliError> {
    let q = ServiceQuery {
        provider: a.provider,
        search: a.search,
        category: a.category,
        service_type: a.service_type,
        platform: platform(a.platform.as_deref())?,
        refill: a.refill.then_some(true),
        cancel: a.cancel.then_some(true),
        dripfeed: a.dripfeed.then_some(true),
        min_rate: a
            .min_rate
            .as_deref()
            .map(|t| amount("min_rate", t))
            .transpose()?,
        max_rate: a
            .max_rate
            .as_deref()
            .map(|t| amount("max_rate", t))
            .transpose()?,
        include_removed: a.include_removed,
        sort: match a.sort {
            SortArg::Price => ServiceSort::PriceAsc,
            SortArg::PriceDesc => ServiceSort::PriceDesc,
            SortArg::Provider => ServiceSort::Provider,
        },
        limit: Some(a.limit),
        offset: a.offset,
    };
    let page = engine.list_services(&q)?;
    out.print(&page, || {
        let rows: Vec<Vec<String>> = page
            .services
            .iter()
            .map(|s| {
                let flags = [(s.refill, "R"), (s.cancel, "C"), (s.dripfeed, "D")]
                    .iter()
                    .map(|(on, f)| if *on { *f } else { "-" })
                    .collect::<String>();
                vec![
                    format!("{}:{}", s.provider, s.service_id),
                    s.platform.label().to_string(),
                    s.service_type.clone(),
                    format!("{} {}", s.rate, s.currency.as_deref().unwrap_or(""))
                        .trim()
                        .to_string(),
                    format!("{}-{}", s.min, s.max),
                    flags,
                    if s.removed_at.is_some() {
                        format!("{} (removed)", s.name)
                    } else {
                        s.name.clone()
                    },
                ]
            })
            .collect();
        format!(
            "{}\n{} of {} services",
            table(
                &[
                    "SERVICE",
                    "PLATFORM",
                    "TYPE",
                    "RATE/1000",
                    "MIN-MAX",
                    "RCD",
                    "NAME"
                ],
                &rows
            ),
            page.services.len(),
            page.total
        )
    });
    Ok(())
}

fn changes(engine: &Engine, a: ChangesArgs, out: &Output) -> Result<(), CliError> {
    let since = a
        .since
        .as_deref()
        .map(|t| since(t, engine.now()))
        .transpose()?;
    let list = engine.catalog_changes(&ChangeQuery {
        provider: a.provider,
        since,
        limit: Some(a.limit),
    })?;
    out.print(&list, || {
        if list.is_empty() {
            return "no catalog changes".into();
        }
        let rows: Vec<Vec<String>> = list
            .iter()
            .map(|c| {
                let what = match &c.kind {
                    ChangeKind::Added => "new".to_string(),
                    ChangeKind::Removed => "removed".to_string(),
                    ChangeKind::Price {
                        old_rate,
                        new_rate,
                        old_min,
                        new_min,
                        old_max,
                        new_max,
                    } => format!(
                        "rate {old_rate} -> {new_rate}, min {old_min} -> {new_min}, max {old_max} -> {new_max}"
                    ),
                };
                vec![
                    c.at.to_string(),
                    format!("{}:{}", c.provider, c.service_id),
                    what,
                    c.name.clone(),
                ]
            })
            .collect();
        table(&["WHEN", "SERVICE", "CHANGE", "NAME"], &rows)
    });
    Ok(())
}

fn compare(engine: &Engine, a: CompareArgs, out: &Output) -> Result<(), CliError> {
    let groups = engine.compare_offers(&OfferQuery {
        platform: platform(a.platform.as_deref())?,
        kind: a.kind,
        search: a.search,
        limit: Some(a.limit),
    })?;
    out.print(&groups, || {
        if groups.is_empty() {
            return "no offer found on two or more providers".into();
        }
        groups
            .iter()
            .map(|g| {
                let mut lines = vec![format!("{} {}:", g.platform.label(), g.kind)];
                for o in &g.offers {
                    lines.push(format!(
                        "  {} {}:{} {} {} {}",
                        if o.cheapest { "*" } else { " " },
                        o.provider,
                        o.service_id,
                        o.rate,
                        o.currency.as_deref().unwrap_or(""),
                        o.name
                    ));
                }
                lines.join("\n")
            })
            .collect::<Vec<_>>()
            .join("\n")
    });
    Ok(())
}
