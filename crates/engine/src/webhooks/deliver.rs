//! The delivery worker: runs beside the scheduler, POSTs due messages, one in flight per
//! webhook and every webhook in parallel, so a slow or dead receiver delays only itself.
//!
//! It wakes on the engine's change events (orders, alerts), on [`Engine::add_webhook`] and
//! friends, when a message falls due, and every [`WebhookOptions::poll_every`] (events
//! written by another program on the same data folder). Each wake-up first turns new
//! timeline rows into messages ([`outbox::enqueue`]).

use std::collections::HashMap;
use std::time::Duration;

use tokio::sync::{mpsc, watch};
use tokio::task::JoinHandle;

use super::outbox::{self, Attempt, Claimed};
use super::{WebhookOptions, WebhookSecret};
use crate::engine::Engine;
use crate::events::EngineEvent;

/// Extra time a leased message waits beyond the timeout before another sender may retry it
/// (the sender crashed or was stopped mid-request).
const LEASE_MARGIN: Duration = Duration::from_secs(60);

fn millis(d: Duration) -> i64 {
    i64::try_from(d.as_millis()).unwrap_or(i64::MAX)
}

/// The HTTP client for webhooks: the options' timeout, no redirects, our user agent.
fn client(options: &WebhookOptions) -> reqwest::Result<reqwest::Client> {
    reqwest::Client::builder()
        .timeout(options.timeout)
        .connect_timeout(options.timeout)
        .redirect(reqwest::redirect::Policy::none())
        .user_agent(concat!(
            "SMM-Desk/",
            env!("CARGO_PKG_VERSION"),
            " (webhooks)"
        ))
        .build()
}

/// Runs until `stop` turns true; then waits for requests in flight at most `grace`.
pub(crate) async fn run(
    engine: Engine,
    options: WebhookOptions,
    mut stop: watch::Receiver<bool>,
    grace: Duration,
) {
    let http = match client(&options) {
        Ok(c) => c,
        Err(e) => {
            tracing::warn!("webhooks: cannot build the HTTP client: {e}; webhooks are not sent");
            return;
        }
    };
    let mut events = engine.subscribe();
    let (done_tx, mut done_rx) = mpsc::unbounded_channel::<i64>();
    let mut senders: HashMap<i64, JoinHandle<()>> = HashMap::new();
    'outer: loop {
        if *stop.borrow() {
            break;
        }
        let now = engine.now_ms();
        if engine.store().read(outbox::behind).unwrap_or(true) {
            match engine.store().write(|tx| outbox::enqueue(tx, now)) {
                Ok(n) if n > 0 => tracing::debug!(messages = n, "webhooks: queued"),
                Ok(_) => {}
                Err(e) => tracing::warn!(code = e.code(), "webhooks: cannot queue events: {e}"),
            }
        }
        senders.retain(|_, task| !task.is_finished());
        let now = engine.now_ms();
        let mut wait = options.poll_every;
        match engine.store().read(outbox::next_due) {
            Ok(due) => {
                for (webhook, at) in due {
                    if senders.contains_key(&webhook) {
                        continue; // its sender takes the message when it is done
                    }
                    if at <= now {
                        let task = tokio::spawn(send_due(
                            engine.clone(),
                            http.clone(),
                            webhook,
                            options.clone(),
                            stop.clone(),
                            done_tx.clone(),
                        ));
                        senders.insert(webhook, task);
                    } else {
                        wait = wait.min(Duration::from_millis((at - now) as u64));
                    }
                }
            }
            Err(e) => tracing::warn!(code = e.code(), "webhooks: cannot read the outbox: {e}"),
        }
        let sleep = tokio::time::sleep(wait);
        tokio::pin!(sleep);
        loop {
            tokio::select! {
                _ = stop.changed() => break 'outer,
                _ = engine.inner.background.webhooks.notified() => break,
                Some(_) = done_rx.recv() => break,
                _ = &mut sleep => break,
                event = events.recv() => match event {
                    Ok(EngineEvent::OrdersChanged { .. } | EngineEvent::AlertRaised { .. })
                    | Err(tokio::sync::broadcast::error::RecvError::Lagged(_)) => break,
                    Ok(_) => {}
                    Err(tokio::sync::broadcast::error::RecvError::Closed) => break 'outer,
                },
            }
        }
    }
    let mut tasks: Vec<JoinHandle<()>> = senders.into_values().collect();
    let all = async {
        for t in &mut tasks {
            let _ = t.await;
        }
    };
    if tokio::time::timeout(grace, all).await.is_err() {
        tracing::warn!("webhooks: requests still in flight after the stop grace; they are retried on the next start");
        for t in &tasks {
            t.abort();
        }
    }
}

/// Sends one webhook's due messages one after another, until none is due.
async fn send_due(
    engine: Engine,
    http: reqwest::Client,
    webhook: i64,
    options: WebhookOptions,
    stop: watch::Receiver<bool>,
    done: mpsc::UnboundedSender<i64>,
) {
    let target = engine
        .store()
        .read(|c| outbox::target(c, &engine.inner.master_key, webhook));
    let (url, secret) = match target {
        Ok(Some(t)) => t,
        Ok(None) => {
            let _ = done.send(webhook);
            return;
        }
        Err(e) => {
            tracing::warn!(
                webhook,
                code = e.code(),
                "webhooks: cannot read the webhook: {e}"
            );
            let _ = done.send(webhook);
            return;
        }
    };
    while !*stop.borrow() {
        let now = engine.now_ms();
        let lease_until = now.saturating_add(millis(options.timeout + LEASE_MARGIN));
        let claimed = match engine
            .store()
            .write(|tx| outbox::claim(tx, webhook, now, lease_until))
        {
            Ok(Some(c)) => c,
            Ok(None) => break,
            Err(e) => {
                tracing::warn!(
                    webhook,
                    code = e.code(),
                    "webhooks: cannot lease a message: {e}"
                );
                break;
            }
        };
        let attempt = post(&http, &url, &secret, &claimed, &engine, options.timeout).await;
        let now = engine.now_ms();
        match engine
            .store()
            .write(|tx| outbox::record(tx, &claimed, &attempt, now, &options.retry_delays))
        {
            Ok(state) => match &attempt {
                Attempt::Delivered(status) => {
                    tracing::debug!(webhook, msg = %claimed.msg_id, status, "webhook delivered")
                }
                Attempt::Failed(_, error) => tracing::info!(
                    webhook,
                    msg = %claimed.msg_id,
                    attempt = claimed.attempts,
                    state = ?state,
                    "webhook delivery failed: {error}"
                ),
            },
            Err(e) => {
                tracing::warn!(
                    webhook,
                    code = e.code(),
                    "webhooks: cannot record an attempt: {e}"
                );
                break;
            }
        }
    }
    let _ = done.send(webhook);
}

/// One signed POST.
async fn post(
    http: &reqwest::Client,
    url: &str,
    secret: &WebhookSecret,
    message: &Claimed,
    engine: &Engine,
    timeout: Duration,
) -> Attempt {
    let timestamp = engine.now().as_second();
    let signature = secret.sign(&message.msg_id, timestamp, &message.payload);
    let sent = http
        .post(url)
        .header(reqwest::header::CONTENT_TYPE, "application/json")
        .header("webhook-id", &message.msg_id)
        .header("webhook-timestamp", timestamp.to_string())
        .header("webhook-signature", signature)
        .body(message.payload.clone())
        .send()
        .await;
    match sent {
        Ok(reply) if reply.status().is_success() => Attempt::Delivered(reply.status().as_u16()),
        Ok(reply) => {
            let status = reply.status().as_u16();
            let why = if reply.status().is_redirection() {
                format!("HTTP {status} (redirects are not followed)")
            } else {
                format!("HTTP {status}")
            };
            Attempt::Failed(Some(status), why)
        }
        Err(e) => Attempt::Failed(None, describe(&e, timeout)),
    }
}

/// Why a request got no answer, without the URL (it may carry a token).
fn describe(e: &reqwest::Error, timeout: Duration) -> String {
    if e.is_timeout() {
        return format!("no answer within {} ms", timeout.as_millis());
    }
    let what = if e.is_connect() {
        "could not connect"
    } else {
        "the request failed"
    };
    let mut cause = std::error::Error::source(e);
    let mut deepest = None;
    while let Some(c) = cause {
        deepest = Some(c.to_string());
        cause = c.source();
    }
    match deepest {
        Some(d) => format!("{what}: {d}"),
        None => what.to_string(),
    }
}
