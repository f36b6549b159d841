//! The OpenAPI 3.1 document, generated from the routes and their types (never written by hand).

use utoipa::openapi::security::{HttpAuthScheme, HttpBuilder, SecurityScheme};
use utoipa::{Modify, OpenApi};

use crate::customers::{self, CustomerBody, CustomerUpdateBody, CustomerView, EarningsView};
use crate::error::{ErrorBody, ErrorDetail};
use crate::routes::{self, Lines, PlaceOrderBody, ProviderBody, ProviderRef, ProviderUpdateBody};
use crate::schedules::{self, ScheduleBody, ScheduleDetailView, ScheduleRunView, ScheduleView};
use crate::views::*;
use crate::webhooks::{
    self, CreatedWebhookView, DeliveryView, WebhookBody, WebhookUpdateBody, WebhookView,
};

struct BearerToken;

impl Modify for BearerToken {
    fn modify(&self, openapi: &mut utoipa::openapi::OpenApi) {
        let components = openapi.components.get_or_insert_with(Default::default);
        components.add_security_scheme(
            "token",
            SecurityScheme::Http(
                HttpBuilder::new()
                    .scheme(HttpAuthScheme::Bearer)
                    .description(Some(
                        "The token from SMM Desk (Settings › Local API, or `smmdesk serve --new-token`)",
                    ))
                    .build(),
            ),
        );
    }
}

#[derive(OpenApi)]
#[openapi(
    info(
        title = "SMM Desk local API",
        description = "Place and track SMM orders through SMM Desk from your own site, bot or \
                       script: the journal, idempotency and exact money of the app. Money is a \
                       decimal string. An order whose outcome is unknown answers 202: never resend it.",
        license(name = "MIT")
    ),
    paths(
        routes::health,
        routes::openapi,
        routes::list_providers,
        routes::add_provider,
        routes::update_provider,
        routes::delete_provider,
        routes::toggle_provider,
        routes::sync_provider,
        routes::list_services,
        routes::place_order,
        routes::list_orders,
        routes::get_order,
        routes::refresh_order,
        routes::refill_order,
        routes::cancel_order,
        crate::routing::list_groups,
        crate::routing::add_group,
        routes::balances,
        routes::stats,
        crate::events::events,
        webhooks::list_webhooks,
        webhooks::add_webhook,
        webhooks::update_webhook,
        webhooks::delete_webhook,
        webhooks::test_webhook,
        webhooks::list_deliveries,
        customers::list_customers,
        customers::add_customer,
        customers::get_customer,
        customers::update_customer,
        schedules::list_schedules,
        schedules::add_schedule,
        schedules::get_schedule,
        schedules::pause_schedule,
        schedules::resume_schedule,
        schedules::delete_schedule,
    ),
    components(schemas(
        ErrorBody, ErrorDetail, ProviderView, ServiceView, ServiceListView, OrderView,
        OrderListView, OrderDetailView, EventView, PlacedView, SyncView, BalanceView,
        BalancePoint, HealthView, AlertView, ProviderBody, ProviderUpdateBody, PlaceOrderBody, ProviderRef,
        Lines, WebhookView, CreatedWebhookView, DeliveryView, WebhookBody, WebhookUpdateBody,
        CustomerView, EarningsView, CustomerBody, CustomerUpdateBody,
        ScheduleView, ScheduleRunView, ScheduleDetailView, ScheduleBody,
        RouteView, RouteAttemptView, MemberSkipView, MemberView, crate::routing::GroupView,
        crate::routing::GroupMemberView, crate::routing::GroupBody, crate::routing::MemberBody
    )),
    modifiers(&BearerToken)
)]
struct ApiDoc;

/// The document as JSON text.
pub fn document() -> String {
    ApiDoc::openapi()
        .to_json()
        .unwrap_or_else(|e| format!("{{\"error\":\"{e}\"}}"))
}

/// The document.
pub fn openapi() -> utoipa::openapi::OpenApi {
    ApiDoc::openapi()
}
