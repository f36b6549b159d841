//! Refill and cancel requests, one workflow for both: every request is journaled
//! (`requesting`) before anything is sent, then sent per provider (100 orders per call, under
//! the provider's limits), and each answer is recorded in the same transaction as its call's
//! API log entry. A request whose answer was lost becomes `unknown` and is never resent
//! automatically; a request that provably never left becomes `not_sent`.

use std::collections::{BTreeMap, BTreeSet};
use std::future::Future;
use std::sync::Arc;

use rusqlite::{params, Connection};
use serde_json::json;
use smm_panel::{BatchResult, Client, Delivery, ItemError, PanelError, MAX_IDS_PER_CALL};

use super::OrderError;
use super::{add_event, order_by_id, Order};
use crate::engine::Engine;
use crate::error::{EngineError, ErrorBody, Result};
use crate::provider_call::ProviderCall;
use crate::providers::Provider;

/// A journaled request, waiting for the provider's answer.
#[derive(Debug, Clone, PartialEq, Eq)]
pub(super) struct Journaled {
    /// The order.
    pub order_id: i64,
    /// The request's row (in the kind's table).
    pub request_id: i64,
    /// The provider's order id.
    pub external_id: String,
}

/// Why a request was not accepted.
#[derive(Debug, Clone)]
pub(super) enum RequestError {
    /// The provider's client could not be made (its key, its configuration): nothing was sent.
    Client(Arc<EngineError>),
    /// The provider refused this request, or the call carrying it failed.
    Item(ItemError),
}

impl RequestError {
    /// A whole call's failure, as each of its requests sees it: a refusal of the call is a
    /// refusal of every request in it, in the provider's words.
    fn of_call(e: &PanelError) -> Self {
        Self::Item(match e {
            PanelError::Provider {
                reason, message, ..
            } => ItemError::Provider {
                reason: reason.clone(),
                message: message.clone(),
            },
            other => ItemError::Call(Box::new(other.clone())),
        })
    }

    /// Whether the request may have reached the provider.
    pub(super) fn delivery(&self) -> Delivery {
        match self {
            Self::Client(_) => Delivery::NeverSent,
            Self::Item(ItemError::Provider { .. }) => Delivery::Rejected,
            Self::Item(ItemError::Call(e)) => e.delivery(),
            // Not returned, unreadable: the call was answered, this request's fate is unknown.
            Self::Item(_) => Delivery::MaybeSent,
        }
    }

    /// The message stored with the request: the provider's own words for a refusal.
    pub(super) fn message(&self) -> String {
        match self {
            Self::Client(e) => e.to_string(),
            Self::Item(ItemError::Provider { message, .. }) => message.clone(),
            Self::Item(ItemError::Call(e)) => e.to_string(),
            Self::Item(other) => other.to_string(),
        }
    }
}

/// The provider's answer to one request.
pub(super) type Answer<T> = std::result::Result<T, RequestError>;

/// What differs between refill and cancel requests; [`Engine::send_requests`] does the rest.
pub(super) trait RequestKind {
    /// What the provider returns for one accepted request.
    type Accepted: Send + 'static;
    /// What the caller learns per order.
    type Outcome;
    /// The table of the requests (`refills`, `cancel_requests`).
    const TABLE: &'static str;
    /// The protocol action, also the timeline event of the answer (`refill`, `cancel`).
    const ACTION: &'static str;
    /// The timeline event of the journaling (`refill_requested`, `cancel_requested`).
    const REQUESTED: &'static str;
    /// The key naming the request in timeline details (`refill`, `cancel_request`).
    const REQUEST_KEY: &'static str;

    /// Refuses an order placed at the provider that this request does not apply to.
    fn check(conn: &Connection, order: &Order) -> Result<()>;

    /// One call for these provider order ids (at most [`MAX_IDS_PER_CALL`]).
    fn send(
        client: Arc<Client>,
        orders: Vec<String>,
    ) -> impl Future<Output = Result<BatchResult<Self::Accepted>, PanelError>> + Send;

    /// Records one answer on its request and the order's timeline; the order's outcome.
    fn record(
        tx: &Connection,
        request: &Journaled,
        answer: &Answer<Self::Accepted>,
        now: i64,
    ) -> Result<Self::Outcome>;

    /// The outcome of an order refused before anything was journaled or sent.
    fn refused(order_id: i64, error: ErrorBody) -> Self::Outcome;
}

/// The status a request takes when it was not accepted, by whether it may have left.
pub(super) fn failure_status<S>(delivery: Delivery, not_sent: S, rejected: S, unknown: S) -> S {
    match delivery {
        Delivery::NeverSent => not_sent,
        Delivery::Rejected => rejected,
        Delivery::MaybeSent => unknown,
    }
}

/// Whether the order's service offers refills or cancels (`column`: `refill` or `cancel`), from
/// its catalog row; true when the service is unknown (the provider then decides).
pub(super) fn service_offers(conn: &Connection, order: &Order, column: &str) -> Result<bool> {
    let Some(service_ref) = order.service_ref else {
        return Ok(true);
    };
    Ok(conn.query_row(
        &format!("SELECT {column} FROM services WHERE id = ?1"),
        [service_ref],
        |r| r.get(0),
    )?)
}

/// Journals one request: checks the order, commits the request as `requesting` with a
/// timeline event. Returns the order's provider and the request.
fn journal<K: RequestKind>(tx: &Connection, id: i64, now: i64) -> Result<(i64, Journaled)> {
    let order = order_by_id(tx, id)?;
    let external_id = order
        .external_id
        .clone()
        .ok_or(OrderError::NoExternalId(id))?;
    K::check(tx, &order)?;
    tx.prepare_cached(&format!(
        "INSERT INTO {} (order_id, provider_id, status, requested_at, updated_at) \
         VALUES (?1, ?2, 'requesting', ?3, ?3)",
        K::TABLE
    ))?
    .execute(params![id, order.provider_id, now])?;
    let request_id = tx.last_insert_rowid();
    add_event(
        tx,
        id,
        now,
        K::REQUESTED,
        Some(order.status),
        &json!({ K::REQUEST_KEY: request_id }),
    )?;
    let request = Journaled {
        order_id: id,
        request_id,
        external_id,
    };
    Ok((order.provider_id, request))
}

impl Engine {
    /// Journals a request for each of these orders, then sends them per provider and records
    /// the answers. An order refused (unknown, not placed, finished, not offered…) gets its
    /// error and nothing is written for it; any other failure stops the whole call (what was
    /// journaled and not sent becomes `unknown` at the next start). One outcome per distinct
    /// id, in the order asked.
    pub(super) async fn send_requests<K: RequestKind>(
        &self,
        ids: &[i64],
    ) -> Result<Vec<K::Outcome>> {
        let now = self.now_ms();
        let mut outcomes: BTreeMap<i64, K::Outcome> = BTreeMap::new();
        let mut groups: BTreeMap<i64, Vec<Journaled>> = BTreeMap::new();
        let mut seen = BTreeSet::new();
        for &id in ids {
            if !seen.insert(id) {
                continue;
            }
            match self.store().write(|tx| journal::<K>(tx, id, now)) {
                Ok((provider_id, request)) => groups.entry(provider_id).or_default().push(request),
                Err(e @ EngineError::Order(_)) => {
                    outcomes.insert(id, K::refused(id, e.to_body()));
                }
                Err(e) => return Err(e),
            }
        }
        for (provider_id, requests) in groups {
            let provider = self.provider_by_id(provider_id)?;
            for (request, outcome) in requests
                .iter()
                .zip(self.send_to::<K>(&provider, &requests).await?)
            {
                outcomes.insert(request.order_id, outcome);
            }
        }
        Ok(ids.iter().filter_map(|id| outcomes.remove(id)).collect())
    }

    /// Sends one provider's requests, 100 per call, recording each call's answers with it.
    async fn send_to<K: RequestKind>(
        &self,
        provider: &Provider,
        requests: &[Journaled],
    ) -> Result<Vec<K::Outcome>> {
        let client = match self.client_for(provider) {
            Ok(c) => Arc::new(c),
            Err(e) => {
                let e = Arc::new(e);
                let now = self.now_ms();
                return self.store().write(|tx| {
                    requests
                        .iter()
                        .map(|r| K::record(tx, r, &Err(RequestError::Client(e.clone())), now))
                        .collect()
                });
            }
        };
        let mut outcomes = Vec::with_capacity(requests.len());
        for chunk in requests.chunks(MAX_IDS_PER_CALL) {
            let orders: Vec<String> = chunk.iter().map(|r| r.external_id.clone()).collect();
            let (client, asked) = (client.clone(), orders.clone());
            let ProviderCall { result, entry } = self
                .call_provider(provider, K::ACTION, move || K::send(client, asked))
                .await;
            let answers: Vec<Answer<K::Accepted>> = match result {
                Ok(mut batch) => orders
                    .iter()
                    .map(|o| {
                        batch
                            .remove(o)
                            .unwrap_or(Err(ItemError::NotReturned))
                            .map_err(RequestError::Item)
                    })
                    .collect(),
                Err(e) => orders
                    .iter()
                    .map(|_| Err(RequestError::of_call(&e)))
                    .collect(),
            };
            let now = self.now_ms();
            outcomes.extend(self.record_call(provider, &entry, |tx| {
                chunk
                    .iter()
                    .zip(&answers)
                    .map(|(r, a)| K::record(tx, r, a, now))
                    .collect::<Result<Vec<_>>>()
            })?);
        }
        Ok(outcomes)
    }
}

/// A status enum stored and sent as its snake-case name: `as_str`, `ALL`, `Display`,
/// `FromStr`, SQLite conversions, and comparison with (and reading as) its name.
macro_rules! stored_status {
    (
        $(#[$meta:meta])*
        pub enum $name:ident ($what:literal) {
            $($(#[$vmeta:meta])* $variant:ident = $text:literal,)+
        }
    ) => {
        $(#[$meta])*
        #[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, serde::Serialize, serde::Deserialize)]
        #[cfg_attr(feature = "specta", derive(specta::Type))]
        #[serde(rename_all = "snake_case")]
        pub enum $name {
            $($(#[$vmeta])* $variant,)+
        }

        impl $name {
            /// Every status.
            pub const ALL: [$name; [$($text),+].len()] = [$($name::$variant),+];

            /// The stored name (`in_progress`).
            pub fn as_str(self) -> &'static str {
                match self {
                    $($name::$variant => $text,)+
                }
            }
        }

        impl std::fmt::Display for $name {
            fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
                f.write_str(self.as_str())
            }
        }

        impl std::ops::Deref for $name {
            type Target = str;
            fn deref(&self) -> &str {
                self.as_str()
            }
        }

        impl PartialEq<str> for $name {
            fn eq(&self, other: &str) -> bool {
                self.as_str() == other
            }
        }

        impl PartialEq<&str> for $name {
            fn eq(&self, other: &&str) -> bool {
                self.as_str() == *other
            }
        }

        impl std::str::FromStr for $name {
            type Err = crate::error::EngineError;
            fn from_str(s: &str) -> crate::error::Result<Self> {
                $name::ALL
                    .into_iter()
                    .find(|st| st.as_str() == s)
                    .ok_or_else(|| {
                        crate::error::EngineError::input(
                            "status",
                            format!(
                                concat!("\"{}\" is not a ", $what, " status ({})"),
                                s,
                                $name::ALL.map($name::as_str).join(", ")
                            ),
                        )
                    })
            }
        }

        impl rusqlite::types::ToSql for $name {
            fn to_sql(&self) -> rusqlite::Result<rusqlite::types::ToSqlOutput<'_>> {
                Ok(self.as_str().into())
            }
        }

        impl rusqlite::types::FromSql for $name {
            fn column_result(
                value: rusqlite::types::ValueRef<'_>,
            ) -> rusqlite::types::FromSqlResult<Self> {
                value
                    .as_str()?
                    .parse()
                    .map_err(|e| rusqlite::types::FromSqlError::Other(Box::new(e)))
            }
        }
    };
}

pub(super) use stored_status;

#[cfg(test)]
mod tests {
    use super::super::{CancelStatus, RefillStatus};

    #[test]
    fn statuses_keep_their_names_on_the_wire_and_in_the_database() {
        let names = |all: Vec<(String, &'static str)>| {
            for (json, name) in all {
                assert_eq!(json, format!("\"{name}\""));
            }
        };
        names(
            RefillStatus::ALL
                .map(|s| (serde_json::to_string(&s).unwrap(), s.as_str()))
                .to_vec(),
        );
        names(
            CancelStatus::ALL
                .map(|s| (serde_json::to_string(&s).unwrap(), s.as_str()))
                .to_vec(),
        );
        let conn = rusqlite::Connection::open_in_memory().unwrap();
        for s in RefillStatus::ALL {
            let back: RefillStatus = conn.query_row("SELECT ?1", [s], |r| r.get(0)).unwrap();
            assert_eq!(back, s);
            assert_eq!(s.as_str().parse::<RefillStatus>().unwrap(), s);
        }
        for s in CancelStatus::ALL {
            let text: String = conn.query_row("SELECT ?1", [s], |r| r.get(0)).unwrap();
            assert_eq!(text, s.as_str());
        }
        let e = "done".parse::<CancelStatus>().unwrap_err();
        assert_eq!(e.code(), "input.invalid");
        assert!(conn
            .query_row("SELECT 'done'", [], |r| r.get::<_, RefillStatus>(0))
            .is_err());
        assert_eq!(RefillStatus::ALL.len(), 10);
        assert_eq!(CancelStatus::ALL.len(), 5);
    }
}
