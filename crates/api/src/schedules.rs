//! `/api/smm/schedules`: scheduled orders. A schedule places the same order at each
//! occurrence of its rule (once, every N hours or days, or on weekdays at a local time, in an
//! IANA zone), each occurrence at most once, while SMM Desk (or `smmdesk serve`) runs.

// utoipa's `path` macro writes `params(T)` types fully qualified.
#![allow(unused_qualifications)]

use axum::extract::{Path, State};
use axum::http::StatusCode;
use axum::Json;
use serde::{Deserialize, Serialize};
use smm_engine::{
    EngineError, MissedPolicy, NewOrder, NewSchedule, Schedule, ScheduleRule, ScheduleRun,
};
use utoipa::{IntoParams, ToSchema};

use crate::error::{ApiError, ApiResult, ErrorBody};
use crate::routes::{
    blocking, provider_name, service_id_text, Body, Params, PlaceOrderBody, ProviderRef,
};
use crate::ApiState;

/// One occurrence of a schedule and what became of it.
#[derive(Debug, Clone, Serialize, ToSchema)]
#[serde(rename_all = "camelCase")]
pub struct ScheduleRunView {
    /// The run's id.
    pub id: i64,
    /// When the occurrence was due (RFC 3339).
    pub occurrence_at: String,
    /// Its 0-based number in the series.
    pub index: u64,
    /// `claimed` (being placed), `placed`, `skipped` (a check failed; nothing was sent) or
    /// `missed` (nothing ran at its time).
    pub state: String,
    /// The order placed for it.
    pub order_id: Option<i64>,
    /// That order's status now (`pending`, `completed`…).
    pub order_status: Option<String>,
    /// Why it was skipped or missed: an error code (`order.insufficient_balance`,
    /// `schedule.missed`, `schedule.paused`).
    pub reason: Option<String>,
    /// Why, in words.
    pub message: Option<String>,
    /// When it was settled (RFC 3339).
    pub finished_at: Option<String>,
}

fn text_of<T: Serialize>(v: &T) -> String {
    serde_json::to_value(v)
        .ok()
        .and_then(|v| v.as_str().map(str::to_string))
        .unwrap_or_default()
}

impl From<ScheduleRun> for ScheduleRunView {
    fn from(r: ScheduleRun) -> Self {
        ScheduleRunView {
            id: r.id,
            occurrence_at: r.occurrence_at.to_string(),
            index: r.index,
            state: text_of(&r.state),
            order_id: r.order_id,
            order_status: r.order_status.map(|s| text_of(&s)),
            reason: r.reason,
            message: r.message,
            finished_at: r.finished_at.map(|t| t.to_string()),
        }
    }
}

/// A schedule.
#[derive(Debug, Clone, Serialize, ToSchema)]
#[serde(rename_all = "camelCase")]
pub struct ScheduleView {
    /// Local id.
    pub id: i64,
    /// The provider's name.
    pub provider: String,
    /// The provider's service id.
    pub service_id: String,
    /// The service's name in the catalog.
    pub service_name: Option<String>,
    /// The order placed at each occurrence (`link`, `quantity`, `customer`, `salePrice`…).
    #[schema(value_type = Object)]
    pub order: serde_json::Value,
    /// The rule, as given (its start filled in when it was "now").
    #[schema(value_type = Object)]
    pub rule: serde_json::Value,
    /// The rule in words (`every day from 2026-12-01T09:00:00 Europe/Berlin, 5 times`).
    pub description: String,
    /// `skip` or `latest`: what is done with occurrences missed while nothing ran.
    pub missed: String,
    /// Not paused.
    pub active: bool,
    /// The next occurrence (RFC 3339 UTC; `null`: the series is over).
    pub next_at: Option<String>,
    /// The next occurrence in the rule's zone.
    pub next_local: Option<String>,
    /// Occurrences placed.
    pub placed: u64,
    /// Occurrences skipped by a failed check.
    pub skipped: u64,
    /// Occurrences missed.
    pub missed_count: u64,
    /// The latest occurrence handled.
    pub last_run: Option<ScheduleRunView>,
    /// When it was added.
    pub created_at: String,
    /// When it was deleted.
    pub deleted_at: Option<String>,
}

impl From<Schedule> for ScheduleView {
    fn from(s: Schedule) -> Self {
        let mut order = serde_json::to_value(&s.order).unwrap_or_default();
        if let Some(o) = order.as_object_mut() {
            // Each occurrence makes its own key; `force` is never set by a schedule.
            o.remove("idempotencyKey");
            o.remove("force");
            o.retain(|_, v| !v.is_null() && v.as_array().is_none_or(|a| !a.is_empty()));
        }
        ScheduleView {
            id: s.id,
            provider: s.provider,
            service_id: s.service_id,
            service_name: s.service_name,
            order,
            rule: serde_json::to_value(&s.rule).unwrap_or_default(),
            description: s.description,
            missed: s.missed.as_str().to_string(),
            active: s.active,
            next_at: s.next_at.map(|t| t.to_string()),
            next_local: s.next_local,
            placed: s.placed,
            skipped: s.skipped,
            missed_count: s.missed_count,
            last_run: s.last_run.map(ScheduleRunView::from),
            created_at: s.created_at.to_string(),
            deleted_at: s.deleted_at.map(|t| t.to_string()),
        }
    }
}

/// A schedule with its latest runs.
#[derive(Debug, Clone, Serialize, ToSchema)]
#[serde(rename_all = "camelCase")]
pub struct ScheduleDetailView {
    /// The schedule.
    pub schedule: ScheduleView,
    /// Its occurrences, newest first (at most `limit`).
    pub runs: Vec<ScheduleRunView>,
}

/// A schedule to add: the order (as for `POST /api/smm/orders`, without a key), the rule and
/// the missed policy.
#[derive(Debug, Deserialize, ToSchema)]
#[serde(rename_all = "camelCase", deny_unknown_fields)]
pub struct ScheduleBody {
    /// The order placed at each occurrence.
    pub order: PlaceOrderBody,
    /// When: `{"zone": "Europe/Berlin", "start": "2026-12-01T09:00", "repeat": {"kind":
    /// "days", "every": 1}, "until": "2026-12-31", "count": null}`. `repeat.kind` is `once`,
    /// `hours` (`every` 1-8784), `days` (`every` 1-3660) or `weekdays` (`days`: `["mon",
    /// "thu"]`, `time`: `"18:00"`); `start` absent means now (not for `once`); `until` is a
    /// local date (the whole day) or date-time; `count` at most 100000.
    #[schema(value_type = Object)]
    pub rule: ScheduleRule,
    /// `skip` (default) or `latest`: missed occurrences are skipped, or the latest is placed once.
    pub missed: Option<String>,
}

/// Which schedules to list.
#[derive(Debug, Default, Deserialize, IntoParams)]
#[serde(rename_all = "camelCase", deny_unknown_fields)]
#[into_params(parameter_in = Query)]
pub struct ScheduleParams {
    /// Deleted schedules too.
    pub include_deleted: Option<bool>,
}

/// How many runs a schedule's detail carries.
#[derive(Debug, Default, Deserialize, IntoParams)]
#[serde(rename_all = "camelCase", deny_unknown_fields)]
#[into_params(parameter_in = Query)]
pub struct RunParams {
    /// Runs, newest first: 1 to 1000 (default 100).
    pub limit: Option<u32>,
}

/// An unknown (or, where it matters, deleted) schedule is a 404.
fn not_found(e: EngineError) -> ApiError {
    match e {
        EngineError::Input {
            field: "schedule",
            message,
        } => ApiError::new(StatusCode::NOT_FOUND, "schedule.not_found", message),
        other => other.into(),
    }
}

async fn with_schedule<T: Send + 'static>(
    s: &ApiState,
    work: impl FnOnce(&smm_engine::Engine) -> Result<T, EngineError> + Send + 'static,
) -> ApiResult<T> {
    let engine = s.engine.clone();
    tokio::task::spawn_blocking(move || work(&engine))
        .await
        .map_err(|e| {
            ApiError::new(
                StatusCode::INTERNAL_SERVER_ERROR,
                "app.task_failed",
                e.to_string(),
            )
        })?
        .map_err(not_found)
}

fn new_schedule(provider: String, b: ScheduleBody) -> ApiResult<NewSchedule> {
    let o = b.order;
    let service_id = match &o.service_id {
        Some(v) => service_id_text(v)?,
        None => {
            return Err(ApiError::field(
                "serviceId",
                "serviceId must be the provider's service id",
            ))
        }
    };
    let mut fields = o.fields;
    if let Some(c) = o.custom_comments {
        if !fields.comments.is_empty() {
            return Err(ApiError::field(
                "customComments",
                "give customComments or comments, not both",
            ));
        }
        fields.comments = c.into_vec();
    }
    let sale_price = o
        .sale_price
        .as_deref()
        .map(|p| {
            p.trim().parse::<rust_decimal::Decimal>().map_err(|_| {
                ApiError::field(
                    "salePrice",
                    "salePrice must be a decimal string like \"2.50\"",
                )
            })
        })
        .transpose()?;
    let missed = match b.missed.as_deref() {
        None => MissedPolicy::Skip,
        Some(m) => MissedPolicy::parse(m)
            .ok_or_else(|| ApiError::field("missed", "missed must be \"skip\" or \"latest\""))?,
    };
    Ok(NewSchedule {
        order: NewOrder {
            provider,
            service_id,
            fields,
            idempotency_key: None,
            force: false,
            customer: o.customer,
            sale_price,
        },
        rule: b.rule,
        missed,
    })
}

/// The schedules, oldest first.
#[utoipa::path(get, path = "/api/smm/schedules", security(("token" = [])), params(ScheduleParams),
    responses((status = 200, body = Vec<ScheduleView>), (status = 422, body = ErrorBody)))]
pub async fn list_schedules(
    State(s): State<ApiState>,
    Params(p): Params<ScheduleParams>,
) -> ApiResult<Json<Vec<ScheduleView>>> {
    let all = p.include_deleted.unwrap_or(false);
    let list = blocking(&s.engine, move |e| e.list_schedules(all)).await?;
    Ok(Json(list.into_iter().map(ScheduleView::from).collect()))
}

/// Adds a schedule. Everything is checked first (the rule field by field, the order against
/// the synced catalog as placing would: service, link, min/max…); a bad field is a 422
/// naming it, and nothing is written.
#[utoipa::path(post, path = "/api/smm/schedules", security(("token" = [])), request_body = ScheduleBody,
    responses((status = 201, body = ScheduleView), (status = 404, body = ErrorBody), (status = 422, body = ErrorBody)))]
pub async fn add_schedule(
    State(s): State<ApiState>,
    Body(b): Body<ScheduleBody>,
) -> ApiResult<(StatusCode, Json<ScheduleView>)> {
    if b.order
        .group
        .as_deref()
        .is_some_and(|g| !g.trim().is_empty())
    {
        return Err(ApiError::field(
            "group",
            "a schedule places on one provider: give providerId and serviceId, not group",
        ));
    }
    let provider = match &b.order.provider_id {
        None => return Err(ApiError::field("providerId", "providerId is required")),
        Some(ProviderRef::Name(n)) => n.clone(),
        Some(ProviderRef::Id(id)) => {
            let id = *id;
            blocking(&s.engine, move |e| provider_name(e, id)).await?
        }
    };
    let new = new_schedule(provider, b)?;
    let added = blocking(&s.engine, move |e| e.add_schedule(new)).await?;
    Ok((StatusCode::CREATED, Json(added.into())))
}

/// One schedule (deleted ones too) with its latest runs and their orders.
#[utoipa::path(get, path = "/api/smm/schedules/{id}", security(("token" = [])),
    params(("id" = i64, Path, description = "The schedule's id"), RunParams),
    responses((status = 200, body = ScheduleDetailView), (status = 404, body = ErrorBody), (status = 422, body = ErrorBody)))]
pub async fn get_schedule(
    State(s): State<ApiState>,
    Path(id): Path<i64>,
    Params(p): Params<RunParams>,
) -> ApiResult<Json<ScheduleDetailView>> {
    let limit = p.limit.unwrap_or(100);
    let (schedule, runs) = with_schedule(&s, move |e| {
        let schedule = e.schedule(id)?;
        Ok((schedule, e.schedule_runs(id, limit)?))
    })
    .await?;
    Ok(Json(ScheduleDetailView {
        schedule: schedule.into(),
        runs: runs.into_iter().map(ScheduleRunView::from).collect(),
    }))
}

/// Pauses a schedule: nothing is placed until it is resumed (pausing twice changes nothing).
#[utoipa::path(post, path = "/api/smm/schedules/{id}/pause", security(("token" = [])),
    params(("id" = i64, Path, description = "The schedule's id")),
    responses((status = 200, body = ScheduleView), (status = 404, body = ErrorBody)))]
pub async fn pause_schedule(
    State(s): State<ApiState>,
    Path(id): Path<i64>,
) -> ApiResult<Json<ScheduleView>> {
    Ok(Json(
        with_schedule(&s, move |e| e.pause_schedule(id))
            .await?
            .into(),
    ))
}

/// Resumes a paused schedule from its next occurrence after now (the ones that fell while
/// it was paused are not placed).
#[utoipa::path(post, path = "/api/smm/schedules/{id}/resume", security(("token" = [])),
    params(("id" = i64, Path, description = "The schedule's id")),
    responses((status = 200, body = ScheduleView), (status = 404, body = ErrorBody)))]
pub async fn resume_schedule(
    State(s): State<ApiState>,
    Path(id): Path<i64>,
) -> ApiResult<Json<ScheduleView>> {
    Ok(Json(
        with_schedule(&s, move |e| e.resume_schedule(id))
            .await?
            .into(),
    ))
}

/// Deletes a schedule: nothing more is placed; it and its orders stay readable.
#[utoipa::path(delete, path = "/api/smm/schedules/{id}", security(("token" = [])),
    params(("id" = i64, Path, description = "The schedule's id")),
    responses((status = 200, body = ScheduleView), (status = 404, body = ErrorBody)))]
pub async fn delete_schedule(
    State(s): State<ApiState>,
    Path(id): Path<i64>,
) -> ApiResult<Json<ScheduleView>> {
    Ok(Json(
        with_schedule(&s, move |e| e.remove_schedule(id))
            .await?
            .into(),
    ))
}
