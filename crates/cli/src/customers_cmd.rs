//! `smmdesk customers …`: who orders are sold to, with their totals.

use std::process::ExitCode;

use clap::Subcommand;
use smm_engine::customers::{Customer, CustomerQuery, NewCustomer};
use smm_engine::Engine;

use crate::error::CliError;
use crate::output::{table, Output};

/// `smmdesk customers …`
#[derive(Debug, Subcommand)]
pub enum CustomersCommand {
    /// Customers with their totals, most recent order first
    List {
        /// Only those whose name or contact contains this text
        #[arg(long, value_name = "TEXT")]
        search: Option<String>,
        /// At most this many (1-500)
        #[arg(long, value_name = "N")]
        limit: Option<u32>,
    },
    /// Add a customer (orders also add theirs with `--customer`)
    Add {
        /// The name (unique, ignoring case and spacing)
        name: String,
        /// One contact: an e-mail, a phone, a handle…
        #[arg(long, value_name = "TEXT")]
        contact: Option<String>,
    },
    /// One customer's totals and latest orders
    Show {
        /// The customer's name (or `#ID`)
        name: String,
    },
}

/// Per currency: `billed / cost / profit CUR`, one per line.
fn earnings(c: &Customer) -> Vec<String> {
    c.earnings
        .iter()
        .map(|e| {
            format!(
                "billed {} / cost {} / profit {} {}",
                e.revenue, e.cost, e.profit, e.currency
            )
            .trim_end()
            .to_string()
        })
        .collect()
}

fn find(engine: &Engine, name: &str) -> Result<Customer, CliError> {
    match name.strip_prefix('#').map(str::parse::<i64>) {
        Some(Ok(id)) => Ok(engine.customer(id)?),
        _ => Ok(engine.customer_named(name)?),
    }
}

/// Runs `smmdesk customers …`.
pub fn run(engine: &Engine, cmd: CustomersCommand, out: &Output) -> Result<ExitCode, CliError> {
    match cmd {
        CustomersCommand::List { search, limit } => {
            let list = engine.customers(&CustomerQuery { search, limit })?;
            out.print(&list, || {
                let rows: Vec<Vec<String>> = list
                    .iter()
                    .map(|c| {
                        vec![
                            c.id.to_string(),
                            c.name.clone(),
                            c.contact.clone().unwrap_or_else(|| "-".into()),
                            c.orders.to_string(),
                            c.last_order_at
                                .map_or("-".into(), |t| t.strftime("%Y-%m-%d").to_string()),
                            earnings(c).join("; "),
                        ]
                    })
                    .collect();
                table(
                    &["ID", "NAME", "CONTACT", "ORDERS", "LAST ORDER", "TOTALS"],
                    &rows,
                )
            });
        }
        CustomersCommand::Add { name, contact } => {
            let c = engine.add_customer(&NewCustomer { name, contact })?;
            out.print(&c, || format!("customer #{} {} added", c.id, c.name));
        }
        CustomersCommand::Show { name } => {
            let c = find(engine, &name)?;
            let orders = engine.list_orders(&smm_engine::OrderQuery {
                customer: Some(c.id),
                limit: Some(20),
                ..smm_engine::OrderQuery::default()
            })?;
            let value = serde_json::json!({ "customer": c, "orders": orders.orders });
            out.print(&value, || {
                let mut lines = vec![format!("customer #{} {}", c.id, c.name)];
                if let Some(contact) = &c.contact {
                    lines.push(format!("contact:  {contact}"));
                }
                lines.push(format!("orders:   {}", c.orders));
                lines.extend(earnings(&c).into_iter().map(|e| format!("totals:   {e}")));
                for o in &orders.orders {
                    let cur = o.currency.as_deref().unwrap_or("");
                    let profit = o
                        .settlement
                        .map_or("-".into(), |s| format!("profit {} {cur}", s.profit));
                    lines.push(format!(
                        "  #{} {} {} sale {} — {profit}",
                        o.id,
                        o.created_at.strftime("%Y-%m-%d"),
                        o.status,
                        o.sale_price.map_or("-".into(), |p| format!("{p} {cur}")),
                    ));
                }
                lines.join("\n")
            });
        }
    }
    Ok(ExitCode::SUCCESS)
}
