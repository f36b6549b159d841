//! Client tests: against the simulator and against scripted raw servers.

mod actions;
mod common;
mod faults;
mod php_panel;
mod redaction;
mod wire;

/// The engine spawns client calls on a multi-threaded runtime and keeps handles in shared state.
#[test]
fn futures_and_handles_are_send_and_sync() {
    fn send<T: Send>(_: &T) {}
    fn send_sync<T: Send + Sync>() {}
    send_sync::<smm_panel::Client>();
    send_sync::<smm_panel::PanelError>();
    send_sync::<smm_panel::sim::SimHandle>();
    let client = smm_panel::Client::new(smm_panel::ProviderConfig::new(
        "http://127.0.0.1:9/api/v2",
        smm_panel::ApiKey::new("k-000000000000"),
    ))
    .unwrap();
    let order = smm_panel::OrderRequest::default_type("1", "https://a.com/x", 10).unwrap();
    let ids = vec!["1".to_owned()];
    send(&client.services());
    send(&client.balance());
    send(&client.add(&order));
    send(&client.status("1"));
    send(&client.statuses(&ids));
    send(&client.refill("1"));
    send(&client.refills(&ids));
    send(&client.refill_status("1"));
    send(&client.refill_statuses(&ids));
    send(&client.cancel(&ids));
    send(&smm_panel::sim::Simulator::start(Default::default()));
}
