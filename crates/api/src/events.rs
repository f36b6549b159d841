//! `GET /api/smm/events`: a Server-Sent Events stream of order and provider changes, so a
//! reseller's bot learns that an order completed without polling.
//!
//! The stream follows the engine's change events ([`smm_engine::events::EngineEvent`]) and sends
//! what changed, read fresh from the database after the change was committed:
//!
//! | `event:` | `data:` |
//! |---|---|
//! | `ready` | `{}`: the stream listens from now on (refetch what you show, then apply events) |
//! | `order` | an [`OrderView`] (status, charge, remains…) |
//! | `provider` | a [`ProviderView`] after a balance reading (balance, health) |
//! | `catalog` | `{"provider": name}`: the provider's catalog changed (new, removed, repriced) |
//! | `alert` | an [`AlertView`] (low balance, order finished or stuck, provider failing…) |
//! | `resync` | `{"reason"}`: events were missed (a slow reader, a very large burst): refetch |
//!
//! Events are not kept: a client that reconnects refetches and then follows again. Each
//! event carries an `id:` counting from 1 within its stream. The stream ends when the server
//! shuts down.

use std::collections::VecDeque;
use std::convert::Infallible;
use std::time::Duration;

use axum::extract::State;
use axum::response::sse::{Event, KeepAlive, Sse};
use futures_util::stream::{self, Stream};
use serde::Serialize;
use serde_json::json;
use smm_engine::events::EngineEvent;
use smm_engine::{Engine, EngineError};
use tokio::sync::{broadcast, watch};

use crate::views::{AlertView, OrderView, ProviderView};
use crate::ApiState;

/// Orders read for one change event; a larger burst (a status refresh of thousands) sends
/// `resync` instead.
const MAX_ORDERS_PER_EVENT: usize = 500;
/// A comment line this often keeps proxies from closing an idle stream.
const KEEP_ALIVE: Duration = Duration::from_secs(15);

/// A stream of order and provider changes (Server-Sent Events).
#[utoipa::path(get, path = "/api/smm/events", security(("token" = [])),
    responses((status = 200, description = "`text/event-stream`: events `ready`, `order` \
        (an OrderView), `provider` (a ProviderView), `catalog` ({provider}), `alert` \
        (an AlertView) and `resync` ({reason}: refetch)", content_type = "text/event-stream",
        body = String),
        (status = 401, body = crate::error::ErrorBody)))]
pub async fn events(
    State(s): State<ApiState>,
) -> Sse<impl Stream<Item = Result<Event, Infallible>>> {
    let follower = Follower {
        engine: s.engine.clone(),
        rx: s.engine.subscribe(),
        stopping: s.stopping.subscribe(),
        queue: VecDeque::from([Sent::new("ready", json!({}))]),
        next_id: 1,
    };
    Sse::new(stream::unfold(follower, Follower::next))
        .keep_alive(KeepAlive::new().interval(KEEP_ALIVE))
}

/// One event to send.
struct Sent {
    name: &'static str,
    data: serde_json::Value,
}

impl Sent {
    fn new(name: &'static str, data: impl Serialize) -> Sent {
        Sent {
            name,
            data: serde_json::to_value(data).unwrap_or_default(),
        }
    }
}

/// One client's place in the engine's events.
struct Follower {
    engine: Engine,
    rx: broadcast::Receiver<EngineEvent>,
    stopping: watch::Receiver<bool>,
    queue: VecDeque<Sent>,
    next_id: u64,
}

impl Follower {
    /// The next event for the client, or `None` when the server stops.
    async fn next(mut self) -> Option<(Result<Event, Infallible>, Follower)> {
        loop {
            if let Some(sent) = self.queue.pop_front() {
                let event = Event::default()
                    .id(self.next_id.to_string())
                    .event(sent.name)
                    .data(sent.data.to_string());
                self.next_id += 1;
                return Some((Ok(event), self));
            }
            if *self.stopping.borrow() {
                return None;
            }
            let received = tokio::select! {
                r = self.rx.recv() => r,
                _ = self.stopping.changed() => return None,
            };
            let sent = match received {
                Ok(event) => self.describe(event).await,
                Err(broadcast::error::RecvError::Lagged(_)) => {
                    vec![Sent::new("resync", json!({ "reason": "lagged" }))]
                }
                Err(broadcast::error::RecvError::Closed) => return None,
            };
            self.queue.extend(sent);
        }
    }

    /// What the client is sent for one engine event (read after the change was committed).
    async fn describe(&self, event: EngineEvent) -> Vec<Sent> {
        let engine = self.engine.clone();
        let read = tokio::task::spawn_blocking(move || describe(&engine, event)).await;
        match read {
            Ok(Ok(sent)) => sent,
            Ok(Err(err)) => {
                tracing::warn!(
                    code = err.code(),
                    "an event could not be read; the client refetches"
                );
                vec![Sent::new("resync", json!({ "reason": "unreadable" }))]
            }
            Err(_) => vec![Sent::new("resync", json!({ "reason": "unreadable" }))],
        }
    }
}

fn describe(engine: &Engine, event: EngineEvent) -> Result<Vec<Sent>, EngineError> {
    Ok(match event {
        EngineEvent::OrdersChanged { ids } if ids.len() > MAX_ORDERS_PER_EVENT => {
            vec![Sent::new(
                "resync",
                json!({ "reason": "many_orders", "orders": ids.len() }),
            )]
        }
        EngineEvent::OrdersChanged { ids } => {
            let mut out = Vec::with_capacity(ids.len());
            for id in ids {
                match engine.order(id) {
                    Ok(o) => out.push(Sent::new("order", OrderView::from(o))),
                    // Deleted meanwhile (an archived demo order): nothing to say.
                    Err(e) if e.code() == "order.not_found" => {}
                    Err(e) => return Err(e),
                }
            }
            out
        }
        EngineEvent::BalanceChanged { provider } => match engine.provider(&provider) {
            Ok(p) => vec![Sent::new("provider", ProviderView::from(p))],
            Err(EngineError::ProviderNotFound(_)) => Vec::new(),
            Err(e) => return Err(e),
        },
        EngineEvent::CatalogChanged { provider } => {
            vec![Sent::new("catalog", json!({ "provider": provider }))]
        }
        EngineEvent::AlertRaised { id } => {
            vec![Sent::new("alert", AlertView::from(engine.alert(id)?))]
        }
        EngineEvent::JobsChanged => Vec::new(),
    })
}
