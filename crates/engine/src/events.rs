//! Change events: the engine tells the app what changed, so the UI never polls.
//!
//! Events go out on a `tokio::sync::broadcast` channel ([`crate::Engine::subscribe`]).
//! Sending never blocks and never fails when nobody listens; a slow listener that falls behind
//! gets `Lagged` and should refetch everything ([`ChangeSet::everything`]).

use std::collections::BTreeSet;
use std::time::Duration;

use serde::Serialize;
use tokio::sync::broadcast;

/// Events kept for a slow listener before it lags.
const CAPACITY: usize = 1024;

/// Something changed in the engine.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
#[serde(tag = "kind", rename_all = "snake_case")]
pub enum EngineEvent {
    /// These orders changed (status, charge, remains, refills, archiving).
    OrdersChanged {
        /// The local order ids.
        ids: Vec<i64>,
    },
    /// A provider's balance was fetched.
    BalanceChanged {
        /// The provider's name.
        provider: String,
    },
    /// A provider's catalog changed (new, removed or repriced services).
    CatalogChanged {
        /// The provider's name.
        provider: String,
    },
    /// Job health changed (a job started, finished or was rescheduled).
    JobsChanged,
    /// An alert was raised.
    AlertRaised {
        /// The alert's id.
        id: i64,
    },
}

/// The sending side, kept by the engine.
#[derive(Debug, Clone)]
pub(crate) struct EventBus {
    sender: broadcast::Sender<EngineEvent>,
}

impl Default for EventBus {
    fn default() -> Self {
        Self {
            sender: broadcast::channel(CAPACITY).0,
        }
    }
}

impl EventBus {
    /// Publishes an event; a no-op when nobody listens.
    pub(crate) fn emit(&self, event: EngineEvent) {
        let _ = self.sender.send(event);
    }

    /// A new listener, receiving events sent from now on.
    pub(crate) fn subscribe(&self) -> broadcast::Receiver<EngineEvent> {
        self.sender.subscribe()
    }
}

impl crate::Engine {
    /// Listens to the engine's change events (orders, balances, catalog, jobs, alerts).
    pub fn subscribe(&self) -> broadcast::Receiver<EngineEvent> {
        self.inner.background.events.subscribe()
    }

    /// Publishes a change event (never blocks; nobody listening is fine).
    pub fn emit(&self, event: EngineEvent) {
        self.inner.background.events.emit(event);
    }
}

/// A burst of events merged into what to refetch (the app sends one UI update per burst).
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize)]
pub struct ChangeSet {
    /// Orders that changed.
    pub orders: BTreeSet<i64>,
    /// Providers whose balance changed.
    pub balances: BTreeSet<String>,
    /// Providers whose catalog changed.
    pub catalogs: BTreeSet<String>,
    /// Job health changed.
    pub jobs: bool,
    /// Alerts raised.
    pub alerts: BTreeSet<i64>,
    /// Events were lost (the listener lagged): refetch everything.
    pub everything: bool,
}

impl ChangeSet {
    /// Whether nothing changed.
    pub fn is_empty(&self) -> bool {
        *self == ChangeSet::default()
    }

    /// Merges one event in.
    pub fn add(&mut self, event: EngineEvent) {
        match event {
            EngineEvent::OrdersChanged { ids } => self.orders.extend(ids),
            EngineEvent::BalanceChanged { provider } => {
                self.balances.insert(provider);
            }
            EngineEvent::CatalogChanged { provider } => {
                self.catalogs.insert(provider);
            }
            EngineEvent::JobsChanged => self.jobs = true,
            EngineEvent::AlertRaised { id } => {
                self.alerts.insert(id);
            }
        }
    }
}

/// Waits for the next event, then gathers whatever else arrives within `window`, merged.
/// Returns `None` once the engine is gone.
pub async fn next_changes(
    rx: &mut broadcast::Receiver<EngineEvent>,
    window: Duration,
) -> Option<ChangeSet> {
    use broadcast::error::RecvError;
    let mut set = ChangeSet::default();
    match rx.recv().await {
        Ok(e) => set.add(e),
        Err(RecvError::Lagged(_)) => set.everything = true,
        Err(RecvError::Closed) => return None,
    }
    let deadline = tokio::time::Instant::now() + window;
    loop {
        match tokio::time::timeout_at(deadline, rx.recv()).await {
            Ok(Ok(e)) => set.add(e),
            Ok(Err(RecvError::Lagged(_))) => set.everything = true,
            Ok(Err(RecvError::Closed)) | Err(_) => return Some(set),
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn emitting_without_listeners_is_fine() {
        let bus = EventBus::default();
        for _ in 0..10_000 {
            bus.emit(EngineEvent::JobsChanged);
        }
    }

    #[tokio::test(start_paused = true)]
    async fn a_burst_is_merged_and_a_lagging_listener_refetches_everything() {
        let bus = EventBus::default();
        let mut rx = bus.subscribe();
        bus.emit(EngineEvent::OrdersChanged { ids: vec![1, 2] });
        bus.emit(EngineEvent::OrdersChanged { ids: vec![2, 3] });
        bus.emit(EngineEvent::BalanceChanged {
            provider: "jap".into(),
        });
        let set = next_changes(&mut rx, Duration::from_millis(200))
            .await
            .unwrap();
        assert_eq!(set.orders, BTreeSet::from([1, 2, 3]));
        assert_eq!(set.balances, BTreeSet::from(["jap".to_string()]));
        assert!(!set.everything);

        for _ in 0..CAPACITY + 5 {
            bus.emit(EngineEvent::JobsChanged);
        }
        let set = next_changes(&mut rx, Duration::from_millis(200))
            .await
            .unwrap();
        assert!(set.everything && set.jobs);
        drop(bus);
        assert_eq!(next_changes(&mut rx, Duration::from_millis(10)).await, None);
    }
}
