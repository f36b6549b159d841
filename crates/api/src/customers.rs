//! `/api/smm/customers`: who the reseller's orders were sold to (issue #15), with their
//! totals per currency (billed, the providers' real charges, profit), a search, and the one
//! contact field. Orders name a customer when placed (`POST /api/smm/orders` with `customer`);
//! `GET /api/smm/orders?customer=NAME` lists theirs.

// utoipa's `path` macro writes `params(T)` types fully qualified.
#![allow(unused_qualifications)]

use axum::extract::{Path, State};
use axum::http::StatusCode;
use axum::Json;
use serde::{Deserialize, Deserializer, Serialize};
use smm_engine::customers::{Customer, CustomerQuery, NewCustomer};
use smm_engine::profit::Earnings;
use utoipa::{IntoParams, ToSchema};

use crate::error::{ApiError, ApiResult, ErrorBody};
use crate::routes::{blocking, Body, Params};
use crate::ApiState;

/// Money earned from a customer in one currency (decimal strings).
#[derive(Debug, Clone, Serialize, ToSchema)]
#[serde(rename_all = "camelCase")]
pub struct EarningsView {
    /// The currency (`""` when the provider never said).
    pub currency: String,
    /// Sold orders counted (settled: placed, with a sale price).
    pub orders: u64,
    /// What the customer was billed (a partial order: what was delivered; canceled: 0).
    pub billed: String,
    /// What the providers really charged for those orders.
    pub cost: String,
    /// `billed − cost`.
    pub profit: String,
    /// `profit ÷ billed` in percent, 2 places; `null` without revenue.
    pub margin_percent: Option<String>,
}

impl From<Earnings> for EarningsView {
    fn from(e: Earnings) -> Self {
        EarningsView {
            currency: e.currency,
            orders: e.orders,
            billed: e.revenue.normalize().to_string(),
            cost: e.cost.normalize().to_string(),
            profit: e.profit.normalize().to_string(),
            margin_percent: e.margin_percent.map(|m| m.normalize().to_string()),
        }
    }
}

/// A customer with their totals.
#[derive(Debug, Clone, Serialize, ToSchema)]
#[serde(rename_all = "camelCase")]
pub struct CustomerView {
    /// Local id.
    pub id: i64,
    /// The name, as first written (unique ignoring case and spacing).
    pub name: String,
    /// The one contact (an e-mail, a phone, a handle…), when given.
    pub contact: Option<String>,
    /// When added (RFC 3339).
    pub created_at: String,
    /// Orders placed for this customer, in every state.
    pub orders: u64,
    /// When the newest of them was placed.
    pub last_order_at: Option<String>,
    /// Billed, cost and profit of their settled sold orders, per currency (never summed
    /// across currencies).
    pub totals: Vec<EarningsView>,
}

impl From<Customer> for CustomerView {
    fn from(c: Customer) -> Self {
        CustomerView {
            id: c.id,
            name: c.name,
            contact: c.contact,
            created_at: c.created_at.to_string(),
            orders: c.orders,
            last_order_at: c.last_order_at.map(|t| t.to_string()),
            totals: c.earnings.into_iter().map(EarningsView::from).collect(),
        }
    }
}

/// A customer to add.
#[derive(Debug, Deserialize, ToSchema)]
#[serde(rename_all = "camelCase", deny_unknown_fields)]
pub struct CustomerBody {
    /// The name: 1 to 100 characters, no control or invisible characters; unique ignoring case
    /// and spacing.
    pub name: String,
    /// One contact, free text up to 200 characters.
    pub contact: Option<String>,
}

/// A change to a customer's contact.
#[derive(Debug, Deserialize, ToSchema)]
#[serde(rename_all = "camelCase", deny_unknown_fields)]
pub struct CustomerUpdateBody {
    /// The new contact (up to 200 characters); `null` or `""` removes it. Required.
    #[serde(default, deserialize_with = "present")]
    #[schema(value_type = Option<String>, required = true)]
    pub contact: Option<Option<String>>,
}

/// A field that was given, as `Some` (even when `null`), so "missing" stays apart from "null".
fn present<'de, D: Deserializer<'de>>(d: D) -> Result<Option<Option<String>>, D::Error> {
    Option::<String>::deserialize(d).map(Some)
}

/// Which customers to list.
#[derive(Debug, Default, Deserialize, IntoParams)]
#[serde(rename_all = "camelCase", deny_unknown_fields)]
#[into_params(parameter_in = Query)]
pub struct CustomerParams {
    /// Text the name or the contact contains (ignoring case).
    pub search: Option<String>,
    /// At most this many, 1 to 500 (default 500).
    pub limit: Option<u32>,
}

/// The engine names a bad name `customer` (the order's field); here the body's field is `name`.
fn name_field(e: ApiError) -> ApiError {
    e.rename_field("customer", "name")
}

/// The customers with their totals, most recent order first (those without orders last).
#[utoipa::path(get, path = "/api/smm/customers", security(("token" = [])), params(CustomerParams),
    responses((status = 200, body = Vec<CustomerView>), (status = 422, body = ErrorBody)))]
pub async fn list_customers(
    State(s): State<ApiState>,
    Params(q): Params<CustomerParams>,
) -> ApiResult<Json<Vec<CustomerView>>> {
    let list = blocking(&s.engine, move |e| {
        e.customers(&CustomerQuery {
            search: q.search,
            limit: q.limit,
        })
    })
    .await?;
    Ok(Json(list.into_iter().map(CustomerView::from).collect()))
}

/// Adds a customer.
#[utoipa::path(post, path = "/api/smm/customers", security(("token" = [])), request_body = CustomerBody,
    responses((status = 201, body = CustomerView), (status = 409, description = "the name is taken", body = ErrorBody),
              (status = 422, body = ErrorBody)))]
pub async fn add_customer(
    State(s): State<ApiState>,
    Body(b): Body<CustomerBody>,
) -> ApiResult<(StatusCode, Json<CustomerView>)> {
    let c = blocking(&s.engine, move |e| {
        e.add_customer(&NewCustomer {
            name: b.name,
            contact: b.contact,
        })
    })
    .await
    .map_err(name_field)?;
    Ok((StatusCode::CREATED, Json(c.into())))
}

/// One customer with their totals.
#[utoipa::path(get, path = "/api/smm/customers/{id}", security(("token" = [])),
    params(("id" = i64, Path, description = "The customer's id")),
    responses((status = 200, body = CustomerView), (status = 404, body = ErrorBody)))]
pub async fn get_customer(
    State(s): State<ApiState>,
    Path(id): Path<i64>,
) -> ApiResult<Json<CustomerView>> {
    let c = blocking(&s.engine, move |e| e.customer(id)).await?;
    Ok(Json(c.into()))
}

/// Changes a customer's contact.
#[utoipa::path(patch, path = "/api/smm/customers/{id}", security(("token" = [])), request_body = CustomerUpdateBody,
    params(("id" = i64, Path, description = "The customer's id")),
    responses((status = 200, body = CustomerView), (status = 404, body = ErrorBody), (status = 422, body = ErrorBody)))]
pub async fn update_customer(
    State(s): State<ApiState>,
    Path(id): Path<i64>,
    Body(b): Body<CustomerUpdateBody>,
) -> ApiResult<Json<CustomerView>> {
    let contact = b.contact.ok_or_else(|| {
        ApiError::field(
            "contact",
            "give contact: the new text, or null to remove it",
        )
    })?;
    let c = blocking(&s.engine, move |e| {
        e.set_customer_contact(id, contact.as_deref())
    })
    .await?;
    Ok(Json(c.into()))
}
