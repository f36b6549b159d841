//! Checks a [`NewOrder`] against the synced service before anything is written. The rules are
//! the order definition's ([`smm_panel::OrderFields::build`]); this module finds the service
//! row they are checked against.

use rusqlite::{Connection, OptionalExtension};
use rust_decimal::Decimal;
use serde_json::Value;
use smm_panel::{OrderRequest, ServiceLimits, ServiceType};

use super::NewOrder;
use super::OrderError;
use crate::error::Result;
use crate::money;

/// The catalog row an order is checked against.
#[derive(Debug, Clone)]
pub(crate) struct ServiceRow {
    pub(crate) id: i64,
    pub(crate) service_id: String,
    pub(crate) name: String,
    pub(crate) type_name: String,
    pub(crate) rate: Decimal,
    pub(crate) min: u64,
    pub(crate) max: u64,
    pub(crate) dripfeed: bool,
}

/// A checked order: what to send, what to store, what it should cost.
#[derive(Debug, Clone)]
pub(crate) struct Checked {
    pub(crate) request: OrderRequest,
    pub(crate) service: ServiceRow,
    pub(crate) link: Option<String>,
    pub(crate) quantity: Option<u64>,
    pub(crate) params: Value,
    pub(crate) estimated_cost: Decimal,
}

/// The live service `service_id` of provider `provider_id`.
pub(crate) fn service_row(
    conn: &Connection,
    provider_id: i64,
    provider: &str,
    service_id: &str,
) -> Result<ServiceRow> {
    let row = conn
        .prepare_cached(
            "SELECT id, service_id, name, type, rate, min, max, dripfeed FROM services \
             WHERE provider_id = ?1 AND service_id = ?2 AND removed_at IS NULL",
        )?
        .query_row(rusqlite::params![provider_id, service_id.trim()], |r| {
            Ok((
                r.get::<_, i64>(0)?,
                r.get::<_, String>(1)?,
                r.get::<_, String>(2)?,
                r.get::<_, String>(3)?,
                r.get::<_, String>(4)?,
                r.get::<_, i64>(5)?,
                r.get::<_, i64>(6)?,
                r.get::<_, bool>(7)?,
            ))
        })
        .optional()?;
    let Some((id, service_id, name, type_name, rate, min, max, dripfeed)) = row else {
        return Err(OrderError::ServiceNotFound {
            provider: provider.to_string(),
            service_id: service_id.trim().to_string(),
        }
        .into());
    };
    Ok(ServiceRow {
        id,
        service_id,
        name,
        type_name,
        rate: money::from_text(&rate)?,
        min: min.max(0) as u64,
        max: max.max(0) as u64,
        dripfeed,
    })
}

/// Checks `o` against `service` and builds the request. Pure: touches nothing.
pub(crate) fn check(o: &NewOrder, service: ServiceRow) -> Result<Checked, OrderError> {
    let limits = ServiceLimits {
        min: service.min,
        max: service.max,
        dripfeed: service.dripfeed,
        rate: service.rate,
    };
    let t = ServiceType::parse(&service.type_name);
    let built = o.fields.build(&service.service_id, &t, &limits)?;
    Ok(Checked {
        request: built.request,
        service,
        link: built.link,
        quantity: built.quantity,
        params: built.params,
        estimated_cost: built.estimated_cost,
    })
}
