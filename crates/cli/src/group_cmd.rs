//! `smmdesk group …`: offer groups (the same offer on several providers) that routed orders
//! (`order add --group`, `mass-order --group`) are placed through.

use std::process::ExitCode;

use clap::{Subcommand, ValueEnum};
use smm_engine::catalog::OfferQuery;
use smm_engine::routing::{MemberRef, NewRouteGroup, RouteGroup, RouteRule};
use smm_engine::Engine;

use crate::args::CompareArgs;
use crate::error::CliError;
use crate::output::{table, Output};

/// How a routed order picks a member.
#[derive(Debug, Clone, Copy, ValueEnum)]
pub enum RuleArg {
    /// The lowest estimated cost among the members that can take it
    Cheapest,
    /// The members in the order given
    Preference,
}

/// `smmdesk group …`
#[derive(Debug, Subcommand)]
pub enum GroupCommand {
    /// Save an offer group: `--member PROVIDER:SERVICE_ID`, repeated, the preferred first
    Add {
        /// The group's name (unique, ignoring case)
        name: String,
        /// How a routed order picks a member
        #[arg(long, value_enum, default_value = "cheapest")]
        rule: RuleArg,
        /// A member, `PROVIDER:SERVICE_ID` (repeat; all of one service type)
        #[arg(long = "member", value_name = "PROVIDER:SERVICE_ID", required = true)]
        members: Vec<String>,
    },
    /// List the offer groups
    List,
    /// Show one group's members with their prices and limits now
    Show {
        /// The group's name
        name: String,
    },
    /// Remove a group (orders routed through it stay)
    Rm {
        /// The group's name
        name: String,
    },
    /// Offers found on two or more providers, to save as groups
    Suggest(CompareArgs),
}

/// `PROVIDER:SERVICE_ID`.
fn member(text: &str) -> Result<MemberRef, CliError> {
    match text.split_once(':') {
        Some((p, s)) if !p.trim().is_empty() && !s.trim().is_empty() => {
            Ok(MemberRef::new(p.trim(), s.trim()))
        }
        _ => Err(CliError::input(
            "member",
            format!("\"{text}\" is not PROVIDER:SERVICE_ID (like jap:1234)"),
        )),
    }
}

fn describe(g: &RouteGroup) -> String {
    let mut lines = vec![format!("group {} (rule: {})", g.name, g.rule)];
    let rows: Vec<Vec<String>> = g
        .members
        .iter()
        .map(|m| {
            vec![
                m.position.to_string(),
                format!("{}:{}", m.provider, m.service_id),
                m.rate.map_or("-".into(), |r| {
                    format!("{r} {}", m.currency.as_deref().unwrap_or(""))
                        .trim()
                        .to_string()
                }),
                match (m.min, m.max) {
                    (Some(min), Some(max)) => format!("{min}-{max}"),
                    _ => "-".into(),
                },
                if m.service_ref.is_none() {
                    "service gone from the catalog".into()
                } else if !m.provider_active {
                    "provider disabled".into()
                } else {
                    m.service_name.clone().unwrap_or_default()
                },
            ]
        })
        .collect();
    lines.push(table(
        &["#", "MEMBER", "RATE/1000", "MIN-MAX", "SERVICE"],
        &rows,
    ));
    lines.join("\n")
}

/// Runs `smmdesk group …`.
pub fn run(engine: &Engine, cmd: GroupCommand, out: &Output) -> Result<ExitCode, CliError> {
    match cmd {
        GroupCommand::Add {
            name,
            rule,
            members,
        } => {
            let members = members
                .iter()
                .map(|m| member(m))
                .collect::<Result<Vec<_>, _>>()?;
            let g = engine.add_offer_group(NewRouteGroup {
                name,
                rule: match rule {
                    RuleArg::Cheapest => RouteRule::Cheapest,
                    RuleArg::Preference => RouteRule::Preference,
                },
                members,
            })?;
            out.print(&g, || describe(&g));
        }
        GroupCommand::List => {
            let groups = engine.offer_groups()?;
            out.print(&groups, || {
                if groups.is_empty() {
                    return "no offer groups (smmdesk group suggest finds candidates)".into();
                }
                let rows: Vec<Vec<String>> = groups
                    .iter()
                    .map(|g| {
                        vec![
                            g.name.clone(),
                            g.rule.to_string(),
                            g.members
                                .iter()
                                .map(|m| format!("{}:{}", m.provider, m.service_id))
                                .collect::<Vec<_>>()
                                .join(", "),
                        ]
                    })
                    .collect();
                table(&["NAME", "RULE", "MEMBERS"], &rows)
            });
        }
        GroupCommand::Show { name } => {
            let g = engine.offer_group(&name)?;
            out.print(&g, || describe(&g));
        }
        GroupCommand::Rm { name } => {
            let g = engine.remove_offer_group(&name)?;
            out.print(&g, || format!("group {} removed", g.name));
        }
        GroupCommand::Suggest(a) => {
            let found = engine.suggest_offer_groups(&OfferQuery {
                platform: crate::services::platform(a.platform.as_deref())?,
                kind: a.kind,
                search: a.search,
                limit: Some(a.limit),
            })?;
            out.print(&found, || {
                if found.is_empty() {
                    return "no offer found on two or more providers".into();
                }
                found
                    .iter()
                    .map(|s| {
                        let members: Vec<String> = s
                            .members
                            .iter()
                            .map(|m| format!("--member {}:{}", m.provider, m.service_id))
                            .collect();
                        let saved = s
                            .saved_as
                            .as_ref()
                            .map_or(String::new(), |n| format!(" (saved as {n})"));
                        let prices: Vec<String> = s
                            .members
                            .iter()
                            .map(|m| {
                                format!(
                                    "  {}:{} {} {} {}-{}",
                                    m.provider,
                                    m.service_id,
                                    m.rate,
                                    m.currency.as_deref().unwrap_or(""),
                                    m.min,
                                    m.max
                                )
                            })
                            .collect();
                        format!(
                            "{} {}: {}{saved}\n{}\n  smmdesk group add \"{}\" {}",
                            s.platform.label(),
                            s.kind,
                            s.name,
                            prices.join("\n"),
                            s.name.replace('"', "'"),
                            members.join(" ")
                        )
                    })
                    .collect::<Vec<_>>()
                    .join("\n")
            });
        }
    }
    Ok(ExitCode::SUCCESS)
}
