//! The Tauri commands: thin adapters that call the engine (or the settings file) and map
//! errors to [`IpcError`]. Their TypeScript twins are generated into `ui/src/ipc/bindings.ts`.

pub mod alerts;
pub mod catalog;
pub mod dashboard;
pub mod data_folder;
pub mod engine_settings;
pub mod jobs;
pub mod local_api;
pub mod order_book;
pub mod orders;
pub mod providers;
pub mod routing;
pub mod sales;
pub mod schedules;
pub mod webhooks;

use rust_decimal::Decimal;
use serde::Serialize;
use smm_engine::OrderStatus;
use tauri::State;

use crate::error::IpcError;
use crate::settings::{self, UiSettings};
use crate::AppState;

/// The app's version and where it keeps its files (shown in Settings).
#[derive(Debug, Clone, PartialEq, Eq, Serialize, specta::Type)]
#[serde(rename_all = "camelCase")]
pub struct AppInfo {
    /// The app's version, e.g. `0.1.0`.
    pub version: String,
    /// The data folder (database, backups).
    pub data_dir: String,
    /// The folder of the daily log files.
    pub log_dir: String,
    /// The SQLite database file.
    pub database_file: String,
}

/// The app's version and folders.
#[tauri::command]
#[specta::specta]
pub fn app_info(state: State<'_, AppState>) -> Result<AppInfo, IpcError> {
    let paths = &state.paths;
    Ok(AppInfo {
        version: smm_engine::VERSION.to_string(),
        data_dir: paths.data_dir.display().to_string(),
        log_dir: paths.log_dir.display().to_string(),
        database_file: paths.database_file().display().to_string(),
    })
}

/// The saved language, theme and digit style, or `null` when the user has not chosen yet.
#[tauri::command]
#[specta::specta]
pub async fn get_ui_settings(state: State<'_, AppState>) -> Result<Option<UiSettings>, IpcError> {
    let config_dir = state.paths.config_dir.clone();
    blocking(move || Ok(settings::load(&config_dir))).await
}

/// Saves the language, theme and digit style; returns what was saved.
#[tauri::command]
#[specta::specta]
pub async fn set_ui_settings(
    state: State<'_, AppState>,
    settings: UiSettings,
) -> Result<UiSettings, IpcError> {
    let config_dir = state.paths.config_dir.clone();
    blocking(move || {
        settings::save(&config_dir, &settings)?;
        tracing::info!(language = ?settings.language, theme = ?settings.theme, digits = ?settings.digits, "UI settings saved");
        Ok(settings)
    })
    .await
}

/// Every command, for the invoke handler and the TypeScript export.
pub fn builder() -> tauri_specta::Builder<tauri::Wry> {
    tauri_specta::Builder::<tauri::Wry>::new()
        .error_handling(tauri_specta::ErrorHandlingMode::Throw)
        .commands(tauri_specta::collect_commands![
            app_info,
            get_ui_settings,
            set_ui_settings,
            providers::provider_presets,
            providers::list_providers,
            providers::add_provider,
            providers::update_provider,
            providers::set_provider_active,
            providers::remove_provider,
            providers::test_provider,
            providers::start_demo,
            catalog::sync_catalog,
            catalog::list_services,
            catalog::get_service,
            catalog::catalog_changes,
            catalog::catalog_categories,
            catalog::compare_offers,
            orders::quote_order,
            orders::place_order,
            orders::refresh_order,
            orders::check_mass_order,
            orders::place_mass_order,
            orders::resolve_help,
            orders::resolve_order,
            orders::resubmit_order,
            order_book::list_orders,
            order_book::order_counts,
            order_book::order_detail,
            order_book::refresh_orders,
            order_book::refill_orders,
            order_book::cancel_orders,
            order_book::export_orders_csv,
            dashboard::dashboard_stats,
            dashboard::provider_balances,
            dashboard::balance_history,
            dashboard::set_low_balance_threshold,
            alerts::list_alerts,
            alerts::unread_alert_count,
            alerts::mark_alerts_read,
            engine_settings::engine_settings,
            engine_settings::set_engine_setting,
            engine_settings::key_store,
            engine_settings::backup_database,
            data_folder::data_folder,
            data_folder::choose_backup_file,
            data_folder::restore_database,
            data_folder::cancel_restore,
            data_folder::restart_app,
            data_folder::choose_data_folder,
            data_folder::change_data_folder,
            data_folder::startup_problem,
            data_folder::use_default_data_folder,
            jobs::job_health,
            jobs::run_job_now,
            local_api::local_api_status,
            local_api::set_local_api_enabled,
            local_api::set_local_api_port,
            local_api::local_api_token,
            local_api::rotate_local_api_token,
            local_api::local_api_requests,
            webhooks::list_webhooks,
            webhooks::add_webhook,
            webhooks::set_webhook_active,
            webhooks::remove_webhook,
            webhooks::test_webhook,
            webhooks::webhook_deliveries,
            sales::list_customers,
            sales::add_customer,
            sales::get_customer,
            sales::price_rules,
            sales::set_price_rule,
            sales::remove_price_rule,
            sales::dashboard_profit,
            sales::set_customer_contact,
            dashboard::balance_gaps,
            dashboard::record_topup,
            schedules::list_schedules,
            schedules::add_schedule,
            schedules::edit_schedule,
            schedules::schedule_runs,
            schedules::pause_schedule,
            schedules::resume_schedule,
            schedules::remove_schedule,
            routing::list_offer_groups,
            routing::add_offer_group,
            routing::remove_offer_group,
            routing::suggest_offer_groups,
            routing::preview_routed_order,
            routing::place_routed_order,
            routing::place_routed_mass_order,
        ])
        .events(tauri_specta::collect_events![
            crate::events::ProvidersChanged,
            crate::events::EngineChanged
        ])
        // The order definition and the statuses, as data the UI derives its forms and lists
        // from (so a new service type or status needs no hand edit in the UI).
        .typ::<smm_engine::OrderForm>()
        .typ::<smm_engine::FieldKind>()
        .typ::<StatusInfo>()
        .constant("ORDER_FORMS", smm_engine::order_forms())
        .constant("ORDER_FIELD_KINDS", smm_engine::field_kinds())
        .constant("ORDER_STATUSES", OrderStatus::ALL.map(StatusInfo::of))
}

/// An order status and the groups the UI sorts it into.
#[derive(Debug, Clone, Copy, Serialize, specta::Type)]
#[serde(rename_all = "camelCase")]
pub struct StatusInfo {
    /// The status.
    pub status: OrderStatus,
    /// Placed and not finished: status polling applies.
    pub open: bool,
    /// Finished at the provider.
    pub terminal: bool,
    /// Certainly not placed: it may be submitted again.
    pub not_placed: bool,
}

impl StatusInfo {
    fn of(status: OrderStatus) -> Self {
        StatusInfo {
            status,
            open: status.is_open(),
            terminal: status.is_terminal(),
            not_placed: status.is_not_placed(),
        }
    }
}

/// The TypeScript exporter settings used for `ui/src/ipc/bindings.ts`.
pub fn typescript() -> specta_typescript::Typescript {
    specta_typescript::Typescript::default()
}

/// Money over IPC: the canonical decimal string (never a float).
pub(crate) fn money(amount: Decimal) -> String {
    smm_engine::money::to_text(amount)
}

/// A decimal string from the UI; a malformed one is an `input.invalid` error on `field`.
pub(crate) fn parse_money(field: &str, text: &str) -> Result<Decimal, IpcError> {
    smm_engine::money::from_text(text.trim())
        .map_err(|_| IpcError::input(field, format!("{text:?} is not an amount")))
}

/// Times over IPC: RFC 3339 in UTC; the UI formats them with Intl.
pub(crate) fn time(at: jiff::Timestamp) -> String {
    at.to_string()
}

/// An RFC 3339 time from the UI; a malformed one is an `input.invalid` error on `field`.
pub(crate) fn parse_time(field: &str, text: &str) -> Result<jiff::Timestamp, IpcError> {
    let text = text.trim();
    text.parse()
        .map_err(|_| IpcError::input(field, format!("{text:?} is not a time")))
}

/// An optional time from the UI: absent or blank is `None`, anything else [`parse_time`].
pub(crate) fn parse_optional_time(
    field: &str,
    text: Option<&str>,
) -> Result<Option<jiff::Timestamp>, IpcError> {
    text.filter(|t| !t.trim().is_empty())
        .map(|t| parse_time(field, t))
        .transpose()
}

/// Runs blocking work (SQLite, files) on the blocking pool, off the window's thread; a task
/// that panicked is `app.task_failed`. Every command that does I/O is an `async fn` calling
/// this (`tests/commands_off_main_thread.rs`).
pub(crate) async fn blocking<T: Send + 'static>(
    f: impl FnOnce() -> Result<T, IpcError> + Send + 'static,
) -> Result<T, IpcError> {
    tauri::async_runtime::spawn_blocking(f)
        .await
        .map_err(|e| IpcError::new(crate::error::codes::TASK_FAILED, e.to_string()))?
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn times_round_trip_and_bad_ones_name_the_field() {
        let at: jiff::Timestamp = "2026-11-24T10:30:00Z".parse().unwrap();
        assert_eq!(parse_time("from", &time(at)).unwrap(), at);
        assert_eq!(
            parse_time("from", " 2026-11-24T12:30:00+02:00 ").unwrap(),
            at
        );
        let err = parse_time("to", "yesterday").unwrap_err();
        assert_eq!(
            (err.code.as_str(), err.field.as_deref()),
            ("input.invalid", Some("to"))
        );
        assert!(err.message.contains("\"yesterday\""), "{err:?}");
    }

    #[test]
    fn optional_times_treat_blank_as_absent() {
        assert_eq!(parse_optional_time("from", None).unwrap(), None);
        assert_eq!(parse_optional_time("from", Some("  ")).unwrap(), None);
        assert!(parse_optional_time("from", Some("2026-11-24T10:30:00Z"))
            .unwrap()
            .is_some());
        assert!(parse_optional_time("from", Some("2026-13-01T00:00:00Z")).is_err());
    }

    #[test]
    fn blocking_returns_the_result_and_reports_a_panic() {
        let run = |f: fn() -> Result<u32, IpcError>| tauri::async_runtime::block_on(blocking(f));
        assert_eq!(run(|| Ok(7)), Ok(7));
        assert_eq!(
            run(|| Err(IpcError::new("store.failed", "x")))
                .unwrap_err()
                .code,
            "store.failed"
        );
        assert_eq!(
            run(|| panic!("boom")).unwrap_err().code,
            crate::error::codes::TASK_FAILED
        );
    }
}
