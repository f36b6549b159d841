//! Build script: generates the Tauri context and the permissions for SMM Desk's own commands.
//!
//! Listing the commands in the app manifest makes each one need an explicit `allow-<command>`
//! permission in `capabilities/`, so the UI can call nothing that is not granted there.

/// Every command the app exposes; keep in step with `commands::builder()`.
const COMMANDS: &[&str] = &[
    "app_info",
    "get_ui_settings",
    "set_ui_settings",
    "provider_presets",
    "list_providers",
    "add_provider",
    "update_provider",
    "set_provider_active",
    "remove_provider",
    "test_provider",
    "start_demo",
    "sync_catalog",
    "list_services",
    "get_service",
    "catalog_changes",
    "catalog_categories",
    "compare_offers",
    "quote_order",
    "place_order",
    "refresh_order",
    "check_mass_order",
    "place_mass_order",
    "resolve_help",
    "resolve_order",
    "resubmit_order",
    "list_orders",
    "order_counts",
    "order_detail",
    "refresh_orders",
    "refill_orders",
    "cancel_orders",
    "export_orders_csv",
    "dashboard_stats",
    "provider_balances",
    "balance_history",
    "set_low_balance_threshold",
    "list_alerts",
    "unread_alert_count",
    "mark_alerts_read",
    "engine_settings",
    "set_engine_setting",
    "key_store",
    "backup_database",
    "data_folder",
    "choose_backup_file",
    "restore_database",
    "cancel_restore",
    "restart_app",
    "startup_problem",
    "use_default_data_folder",
    "choose_data_folder",
    "change_data_folder",
    "job_health",
    "run_job_now",
    "local_api_status",
    "set_local_api_enabled",
    "set_local_api_port",
    "local_api_token",
    "rotate_local_api_token",
    "local_api_requests",
    "list_webhooks",
    "add_webhook",
    "set_webhook_active",
    "remove_webhook",
    "test_webhook",
    "webhook_deliveries",
    "list_customers",
    "add_customer",
    "get_customer",
    "price_rules",
    "set_price_rule",
    "remove_price_rule",
    "dashboard_profit",
];

fn main() {
    // `generate_context!` embeds the built UI; rebuild the app when it changes (a UI-only
    // change would otherwise leave the previous UI inside the binary).
    println!("cargo:rerun-if-changed=../ui/dist");
    tauri_build::try_build(
        tauri_build::Attributes::new()
            .app_manifest(tauri_build::AppManifest::new().commands(COMMANDS)),
    )
    .expect("tauri-build failed");
}
