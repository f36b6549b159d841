//! The demo panel: a restart never hands out an id an earlier run already gave.

use smm_engine::demo::DEMO_PROVIDER;
use smm_engine::{NewOrder, OrderStatus, ServiceQuery};

use crate::support::desk;

#[tokio::test]
async fn a_restarted_demo_panel_never_reuses_an_order_id() {
    let d = desk();
    let mut ids = Vec::new();
    for run in 0..2 {
        let demo = d.engine.start_demo(50).await.unwrap();
        let page = d
            .engine
            .list_services(&ServiceQuery {
                provider: Some(DEMO_PROVIDER.into()),
                service_type: Some("Default".into()),
                limit: Some(1),
                ..ServiceQuery::default()
            })
            .unwrap();
        let svc = &page.services[0];
        let order = d
            .engine
            .place_order(NewOrder::new(
                DEMO_PROVIDER,
                &svc.service_id,
                format!("https://instagram.com/p/demo-run-{run}"),
                svc.min,
            ))
            .await
            .unwrap();
        assert_eq!(order.status, OrderStatus::Pending);
        ids.push(order.external_id.unwrap().parse::<u64>().unwrap());
        demo.sim.shutdown().await;
    }
    assert!(ids[1] > ids[0], "ids {ids:?}");
}
