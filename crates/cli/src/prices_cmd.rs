//! `smmdesk prices …`: the selling price list (markup rules, most specific first) and what a
//! service sells for.

use std::process::ExitCode;

use clap::{Args, Subcommand};
use rust_decimal::Decimal;
use smm_engine::catalog::Platform;
use smm_engine::pricing::{PriceRule, PriceScope};
use smm_engine::Engine;

use crate::error::CliError;
use crate::input;
use crate::output::{table, Output};

/// `smmdesk prices …`
#[derive(Debug, Subcommand)]
pub enum PricesCommand {
    /// The rules, most general first
    List,
    /// Set a rule (the settings given replace the rule's; the others are kept)
    Set {
        #[command(flatten)]
        scope: ScopeArgs,
        /// Markup on the cost, in percent (0-10000)
        #[arg(long, value_name = "PERCENT", allow_hyphen_values = true)]
        percent: Option<String>,
        /// Added per 1000, in the service's currency
        #[arg(long, value_name = "AMOUNT", allow_hyphen_values = true)]
        fixed: Option<String>,
        /// The least margin, in percent of the selling price (0-99)
        #[arg(long, value_name = "PERCENT", allow_hyphen_values = true)]
        min_margin: Option<String>,
        /// Round the selling rate up to a multiple of this (e.g. 0.05)
        #[arg(long, value_name = "AMOUNT", allow_hyphen_values = true)]
        step: Option<String>,
        /// A manual selling rate per 1000 (with --service only)
        #[arg(long, value_name = "AMOUNT", allow_hyphen_values = true)]
        price: Option<String>,
    },
    /// Remove a rule
    Rm {
        #[command(flatten)]
        scope: ScopeArgs,
    },
    /// What a service costs and sells for (per 1000, and for --quantity)
    Show {
        /// The service's local id (the ID column of `smmdesk services list`)
        service: i64,
        /// A quantity to price
        #[arg(long)]
        quantity: Option<u64>,
    },
}

/// Which rule: exactly one of these.
#[derive(Debug, Args)]
#[group(required = true, multiple = false)]
pub struct ScopeArgs {
    /// The default rule
    #[arg(long = "default")]
    default: bool,
    /// A platform's rule (instagram, tiktok, youtube, x, …)
    #[arg(long, value_name = "PLATFORM")]
    platform: Option<String>,
    /// A category's rule (its exact name)
    #[arg(long, value_name = "NAME")]
    category: Option<String>,
    /// One service's rule (its local id)
    #[arg(long, value_name = "ID")]
    service: Option<i64>,
}

impl ScopeArgs {
    fn scope(&self) -> Result<PriceScope, CliError> {
        if let Some(p) = &self.platform {
            return Platform::parse(p).map(PriceScope::Platform).ok_or_else(|| {
                CliError::input(
                    "platform",
                    format!("\"{p}\" is not a platform (instagram, tiktok, youtube, x, …)"),
                )
            });
        }
        if let Some(c) = &self.category {
            return Ok(PriceScope::Category(c.clone()));
        }
        if let Some(id) = self.service {
            return Ok(PriceScope::Service(id));
        }
        Ok(PriceScope::Default)
    }
}

fn parse(field: &'static str, text: Option<&String>) -> Result<Option<Decimal>, CliError> {
    text.map(|t| input::amount(field, t)).transpose()
}

fn text(v: Option<Decimal>) -> String {
    v.map_or_else(|| "-".into(), smm_engine::money::to_text)
}

fn percent_text(v: Option<Decimal>) -> String {
    v.map_or_else(
        || "-".into(),
        |p| format!("{}%", smm_engine::money::to_text(p)),
    )
}

/// Runs a prices command.
pub fn run(engine: &Engine, cmd: PricesCommand, out: &Output) -> Result<ExitCode, CliError> {
    match cmd {
        PricesCommand::List => {
            let rules = engine.price_rules()?;
            out.print(&rules, || {
                if rules.is_empty() {
                    return "no price rules yet: services sell at cost. \
                            Try: smmdesk prices set --default --percent 30 --step 0.05"
                        .into();
                }
                let rows: Vec<Vec<String>> = rules
                    .iter()
                    .map(|r| {
                        vec![
                            r.scope.to_string(),
                            percent_text(r.percent),
                            text(r.fixed),
                            percent_text(r.min_margin),
                            text(r.step),
                            text(r.price),
                        ]
                    })
                    .collect();
                table(
                    &[
                        "RULE",
                        "MARKUP",
                        "FIXED/1000",
                        "MIN MARGIN",
                        "STEP",
                        "PRICE/1000",
                    ],
                    &rows,
                )
            });
        }
        PricesCommand::Set {
            scope,
            percent,
            fixed,
            min_margin,
            step,
            price,
        } => {
            let scope = scope.scope()?;
            let given = PriceRule {
                scope: scope.clone(),
                percent: parse("percent", percent.as_ref())?,
                fixed: parse("fixed", fixed.as_ref())?,
                min_margin: parse("min_margin", min_margin.as_ref())?,
                step: parse("step", step.as_ref())?,
                price: parse("price", price.as_ref())?,
            };
            // The settings given replace the stored rule's; the others are kept.
            let rule = match engine.price_rule(&scope)? {
                Some(old) => PriceRule {
                    scope,
                    percent: given.percent.or(old.percent),
                    fixed: given.fixed.or(old.fixed),
                    min_margin: given.min_margin.or(old.min_margin),
                    step: given.step.or(old.step),
                    price: given.price.or(old.price),
                },
                None => given,
            };
            let stored = engine.set_price_rule(rule)?;
            out.print(&stored, || format!("set the {} price rule", stored.scope));
        }
        PricesCommand::Rm { scope } => {
            let removed = engine.remove_price_rule(&scope.scope()?)?;
            out.print(&removed, || {
                format!("removed the {} price rule", removed.scope)
            });
        }
        PricesCommand::Show { service, quantity } => {
            let q = engine.price_quote(service, quantity)?;
            out.print(&q, || {
                let cur = q.currency.as_deref().unwrap_or("");
                let mut lines = vec![
                    format!(
                        "#{} {} ({} {})",
                        q.service, q.name, q.provider, q.service_id
                    ),
                    format!(
                        "per 1000: cost {} {cur}, sells for {} {cur}, margin {}{}",
                        smm_engine::money::to_text(q.cost_rate),
                        smm_engine::money::to_text(q.sale_rate),
                        percent_text(q.margin_percent),
                        if q.manual {
                            " (manual price)"
                        } else if q.unpriced {
                            " (no price rule: sells at cost)"
                        } else {
                            ""
                        }
                    ),
                ];
                if let (Some(n), Some(cost), Some(sale)) = (q.quantity, q.cost, q.sale) {
                    lines.push(format!(
                        "{n}: cost {} {cur}, sells for {} {cur}, profit {} {cur}",
                        smm_engine::money::to_text(cost),
                        smm_engine::money::to_text(sale),
                        smm_engine::money::to_text(sale - cost)
                    ));
                }
                lines.join("\n").replace(" \n", "\n").trim_end().to_string()
            });
        }
    }
    Ok(ExitCode::SUCCESS)
}
