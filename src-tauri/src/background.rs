//! The app's background work: the engine's scheduler runs while the window is open, engine
//! change events reach the window as one coalesced [`EngineChanged`] per burst, and alerts
//! become desktop notifications.

use std::time::Duration;

use smm_engine::events::next_changes;
use smm_engine::{Alert, AlertKind, Engine, SchedulerOptions};
use tauri::{AppHandle, Manager};
use tauri_specta::Event;

use crate::events::EngineChanged;
use crate::AppState;

/// Events arriving within this window are sent to the UI as one update.
pub const COALESCE: Duration = Duration::from_millis(250);

/// Starts the scheduler and the event forwarder (call once, from `setup`).
pub fn start(app: &AppHandle) {
    let state = app.state::<AppState>();
    let Ok(engine) = state.engine() else {
        return;
    };
    let handle = app.clone();
    let forward_engine = engine.clone();
    tauri::async_runtime::spawn(async move { forward(handle, forward_engine).await });
    let handle = app.clone();
    tauri::async_runtime::spawn(async move {
        match engine.start_scheduler(SchedulerOptions::default()) {
            Ok(scheduler) => {
                let state = handle.state::<AppState>();
                *state.scheduler.lock().await = Some(scheduler);
            }
            Err(err) => tracing::error!(%err, "cannot start the scheduler"),
        }
    });
}

/// Stops the scheduler at a safe point (its stop grace bounds the wait); called on exit.
pub fn stop(app: &AppHandle) {
    let state = app.state::<AppState>();
    let scheduler = tauri::async_runtime::block_on(async { state.scheduler.lock().await.take() });
    if let Some(scheduler) = scheduler {
        tauri::async_runtime::block_on(scheduler.stop());
    }
}

/// Forwards the engine's change events to the window until the engine goes away.
async fn forward(app: AppHandle, engine: Engine) {
    let mut rx = engine.subscribe();
    while let Some(set) = next_changes(&mut rx, COALESCE).await {
        for id in &set.alerts {
            if let Ok(alert) = engine.alert(*id) {
                notify(&app, &alert);
            }
        }
        if let Err(err) = EngineChanged::from(set).emit(&app) {
            tracing::warn!(%err, "cannot tell the window what changed");
        }
    }
}

/// Raises a desktop notification for an alert: a title in the interface language and the
/// engine's one-line summary (the inbox shows the fully translated text).
fn notify(app: &AppHandle, alert: &Alert) {
    use tauri_plugin_notification::NotificationExt;
    let arabic = crate::settings::load(&app.state::<AppState>().paths.config_dir)
        .is_some_and(|s| s.language == crate::settings::Language::Ar);
    let title = match (alert.kind, arabic) {
        (AlertKind::LowBalance, false) => "Low balance",
        (AlertKind::LowBalance, true) => "رصيد منخفض",
        (AlertKind::OrderFinished, false) => "Order finished",
        (AlertKind::OrderFinished, true) => "انتهى طلب",
        (AlertKind::OrderStuck, false) => "Order stuck",
        (AlertKind::OrderStuck, true) => "طلب متوقف",
        (AlertKind::ProviderFailing, false) => "Provider failing",
        (AlertKind::ProviderFailing, true) => "مزوّد لا يستجيب",
        (AlertKind::KeyRejected, false) => "API key refused",
        (AlertKind::KeyRejected, true) => "رُفض مفتاح API",
        (AlertKind::ServiceChanged, false) => "Service changed",
        (AlertKind::ServiceChanged, true) => "تغيّرت خدمة",
        (AlertKind::ServiceRemoved, false) => "Service removed",
        (AlertKind::ServiceRemoved, true) => "أُزيلت خدمة",
        (AlertKind::ScheduleMissed, false) => "Scheduled orders missed",
        (AlertKind::ScheduleMissed, true) => "فاتت طلبات مجدولة",
        (AlertKind::ScheduleSkipped, false) => "Scheduled order skipped",
        (AlertKind::ScheduleSkipped, true) => "تُخطّي طلب مجدول",
        (AlertKind::MarginLow, false) => "Margin below minimum",
        (AlertKind::MarginLow, true) => "هامش الربح أقل من الحد الأدنى",
        (AlertKind::BalanceGap, false) => "Unexplained balance drop",
        (AlertKind::BalanceGap, true) => "انخفاض غير مبرَّر في الرصيد",
        (AlertKind::BalanceNegative, false) => "Negative balance",
        (AlertKind::BalanceNegative, true) => "رصيد سالب",
    };
    if let Err(err) = app
        .notification()
        .builder()
        .title(format!("SMM Desk: {title}"))
        .body(&alert.message)
        .show()
    {
        tracing::debug!(%err, "desktop notification not shown");
    }
}
