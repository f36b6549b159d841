//! `smmdesk webhook …`: signed POSTs of order status changes and low balances to your own
//! URL (Standard Webhooks 1.0), sent by the running app, `smmdesk daemon` or `smmdesk serve`.

use std::process::ExitCode;

use clap::Subcommand;
use jiff::Timestamp;
use smm_engine::{Delivery, DeliveryQuery, DeliveryState, Engine, NewWebhook, Webhook};

use crate::error::CliError;
use crate::output::{table, Output};

/// `smmdesk webhook …`
#[derive(Debug, Subcommand)]
pub enum WebhookCommand {
    /// Add a webhook: events are POSTed to URL, signed; prints its whsec_ secret once
    Add {
        /// Where to POST (http or https)
        url: String,
        /// Event types, comma-separated (default: order.status_changed,balance.low)
        #[arg(long, value_delimiter = ',', value_name = "TYPES")]
        events: Option<Vec<String>>,
    },
    /// List webhooks (never their secrets)
    List,
    /// Remove a webhook (waiting messages are given up; its deliveries stay listed)
    Rm {
        /// Webhook id
        id: i64,
    },
    /// Switch a webhook off: no events are queued for it until it is enabled again
    Disable {
        /// Webhook id
        id: i64,
    },
    /// Switch a webhook back on (events from then on are sent)
    Enable {
        /// Webhook id
        id: i64,
    },
    /// Queue a webhook.test event for a webhook
    Test {
        /// Webhook id
        id: i64,
    },
    /// The outbox, newest first: what was sent, what waits for a retry, what failed
    Deliveries {
        /// Only this webhook's
        #[arg(long, value_name = "ID")]
        webhook: Option<i64>,
        /// At most this many (1..1000)
        #[arg(long, default_value_t = 50)]
        limit: u32,
    },
}

fn when(t: Option<Timestamp>) -> String {
    t.map_or_else(
        || "-".to_string(),
        |t| t.strftime("%Y-%m-%d %H:%M:%S").to_string(),
    )
}

fn events(w: &Webhook) -> String {
    w.events
        .iter()
        .map(|e| e.as_str())
        .collect::<Vec<_>>()
        .join(",")
}

fn state(d: &Delivery) -> &'static str {
    match d.state {
        DeliveryState::Pending => "pending",
        DeliveryState::Delivered => "delivered",
        DeliveryState::Failed => "failed",
    }
}

/// Runs a webhook command.
pub fn run(engine: &Engine, cmd: WebhookCommand, out: &Output) -> Result<ExitCode, CliError> {
    match cmd {
        WebhookCommand::Add { url, events: names } => {
            let created = engine.add_webhook(NewWebhook { url, events: names })?;
            out.print(&created, || {
                let w = &created.webhook;
                format!(
                    "added webhook #{} → {}\nevents: {}\nsecret: {}\n\
                     The secret is shown only now: give it to the receiver, which verifies the \
                     webhook-signature header with it (any Standard Webhooks library).",
                    w.id,
                    w.url,
                    events(w),
                    created.secret.expose()
                )
            });
        }
        WebhookCommand::List => {
            let list = engine.list_webhooks()?;
            out.print(&list, || {
                if list.is_empty() {
                    return "no webhooks yet: smmdesk webhook add https://example.com/hooks/smm"
                        .into();
                }
                let rows: Vec<Vec<String>> = list
                    .iter()
                    .map(|w| {
                        vec![
                            w.id.to_string(),
                            if w.active { "yes" } else { "no" }.into(),
                            events(w),
                            w.pending.to_string(),
                            w.delivered.to_string(),
                            w.failed.to_string(),
                            w.url.clone(),
                        ]
                    })
                    .collect();
                table(
                    &[
                        "ID",
                        "ACTIVE",
                        "EVENTS",
                        "PENDING",
                        "DELIVERED",
                        "FAILED",
                        "URL",
                    ],
                    &rows,
                )
            });
        }
        WebhookCommand::Rm { id } => {
            let w = engine.remove_webhook(id)?;
            out.print(&w, || {
                format!(
                    "removed webhook #{} ({}); {} waiting messages given up, its deliveries stay listed",
                    w.id, w.url, w.pending
                )
            });
        }
        WebhookCommand::Disable { id } | WebhookCommand::Enable { id } => {
            let on = matches!(cmd, WebhookCommand::Enable { .. });
            let w = engine.set_webhook_active(id, on)?;
            out.print(&w, || {
                format!(
                    "webhook #{} ({}) {}",
                    w.id,
                    w.url,
                    if on { "enabled" } else { "disabled" }
                )
            });
        }
        WebhookCommand::Test { id } => {
            let d = engine.test_webhook(id)?;
            out.print(&d, || {
                format!(
                    "queued webhook.test {} for webhook #{}; the running app, `smmdesk daemon` \
                     or `smmdesk serve` sends it",
                    d.msg_id, d.webhook_id
                )
            });
        }
        WebhookCommand::Deliveries { webhook, limit } => {
            let list = engine.webhook_deliveries(&DeliveryQuery {
                webhook_id: webhook,
                before_id: None,
                limit,
            })?;
            out.print(&list, || {
                if list.is_empty() {
                    return "no deliveries".into();
                }
                let rows: Vec<Vec<String>> = list
                    .iter()
                    .map(|d| {
                        vec![
                            d.id.to_string(),
                            d.webhook_id.to_string(),
                            d.event_type.clone(),
                            state(d).into(),
                            d.attempts.to_string(),
                            when(d.last_attempt_at),
                            when(d.next_attempt_at),
                            d.last_status.map_or("-".into(), |s| s.to_string()),
                            d.msg_id.clone(),
                            d.last_error.clone().unwrap_or_default(),
                        ]
                    })
                    .collect();
                table(
                    &[
                        "ID", "WEBHOOK", "TYPE", "STATE", "ATTEMPTS", "LAST", "NEXT", "HTTP",
                        "MSG ID", "ERROR",
                    ],
                    &rows,
                )
            });
        }
    }
    Ok(ExitCode::SUCCESS)
}
