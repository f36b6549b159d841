//! What goes over the wire, HTTP-level rules and configuration checks, against raw servers.

use std::time::Duration;

use smm_panel::{
    ApiKey, Client, Delivery, OrderDetails, OrderRequest, PanelError, ProviderConfig,
    ProviderReason, RetryPolicy, DEFAULT_USER_AGENT,
};

use crate::common::*;

fn client_for(url: &str) -> Client {
    let mut config = ProviderConfig::new(url, ApiKey::new("wire-key-1234567890"));
    config.retry = RetryPolicy::none();
    config.read_timeout = Duration::from_secs(5);
    Client::new(config).unwrap()
}

fn header<'a>(head: &'a str, name: &str) -> Option<&'a str> {
    head.lines().find_map(|l| {
        let (k, v) = l.split_once(':')?;
        k.trim().eq_ignore_ascii_case(name).then(|| v.trim())
    })
}

#[tokio::test]
async fn requests_are_form_encoded_posts_with_key_action_and_a_user_agent() {
    let (url, log) = scripted(|_| http("200 OK", &[], r#"{"order":"23501"}"#)).await;
    let client = client_for(&url);
    let order = OrderRequest::new(
        "7",
        OrderDetails::CustomComments {
            link: "https://instagram.com/p/x?a=1&b=2".into(),
            comments: vec!["Wow 😍".into(), "مرحبا".into(), "a+b=c & d".into()],
        },
    )
    .unwrap();
    assert_eq!(client.add(&order).await.unwrap().id, "23501");
    let sent = log.lock().unwrap()[0].clone();
    assert!(
        sent.head.starts_with("POST /api/v2 HTTP/1.1"),
        "{}",
        sent.head
    );
    assert_eq!(
        header(&sent.head, "content-type"),
        Some("application/x-www-form-urlencoded")
    );
    assert_eq!(header(&sent.head, "user-agent"), Some(DEFAULT_USER_AGENT));
    let pairs: Vec<(String, String)> = url::form_urlencoded::parse(sent.body.as_bytes())
        .into_owned()
        .collect();
    assert_eq!(
        pairs,
        vec![
            ("key".into(), "wire-key-1234567890".into()),
            ("action".into(), "add".into()),
            ("service".into(), "7".into()),
            ("link".into(), "https://instagram.com/p/x?a=1&b=2".into()),
            ("comments".into(), "Wow 😍\nمرحبا\na+b=c & d".into()),
        ]
    );
    assert!(sent.body.contains("%0A"), "newlines are percent-encoded");
    assert!(
        sent.body.contains("%F0%9F%98%8D"),
        "emoji are percent-encoded"
    );
}

#[tokio::test]
async fn a_configured_user_agent_is_sent_and_an_empty_one_refused() {
    let (url, log) = scripted(|_| http("200 OK", &[], r#"{"balance":"1","currency":"USD"}"#)).await;
    let mut config = ProviderConfig::new(&url, ApiKey::new("wire-key-1234567890"));
    config.user_agent = "Mozilla/5.0 (X11; Linux x86_64) Chrome/126".into();
    Client::new(config.clone())
        .unwrap()
        .balance()
        .await
        .unwrap();
    assert_eq!(
        header(&log.lock().unwrap()[0].head, "user-agent"),
        Some("Mozilla/5.0 (X11; Linux x86_64) Chrome/126")
    );
    config.user_agent = "  ".into();
    assert!(matches!(Client::new(config), Err(PanelError::Config(_))));
}

#[tokio::test]
async fn a_json_error_body_wins_over_the_http_status() {
    let (url, _) = scripted(|_| {
        http(
            "402 Payment Required",
            &[("Content-Type", "application/json")],
            r#"{ "error": "Not enough funds on balance" }"#,
        )
    })
    .await;
    let order = OrderRequest::default_type("1", "https://pf.kakao.com/_xyz", 500).unwrap();
    let e = client_for(&url).add(&order).await.unwrap_err();
    match &e {
        PanelError::Provider {
            reason,
            message,
            http_status,
            ..
        } => {
            assert_eq!(*reason, ProviderReason::InsufficientFunds);
            assert_eq!(message, "Not enough funds on balance");
            assert_eq!(*http_status, 402);
        }
        other => panic!("{other:?}"),
    }
    assert_eq!(e.delivery(), Delivery::Rejected);
}

#[tokio::test]
async fn a_5xx_json_error_carries_its_message_and_retry_after() {
    let (url, _) = scripted(|_| {
        http(
            "503 Service Unavailable",
            &[("Retry-After", "7")],
            r#"{"error":"Maintenance"}"#,
        )
    })
    .await;
    let e = client_for(&url).balance().await.unwrap_err();
    assert_eq!(
        e.reason(),
        Some(&ProviderReason::Other("Maintenance".into()))
    );
    assert_eq!(e.retry_after(), Some(Duration::from_secs(7)));
}

#[tokio::test]
async fn non_json_error_pages_are_transport_errors() {
    let (url, _) = scripted(|_| {
        http(
            "404 Not Found",
            &[("Content-Type", "text/html")],
            "<html><body>Not Found</body></html>",
        )
    })
    .await;
    let e = client_for(&url).balance().await.unwrap_err();
    assert!(matches!(e, PanelError::Http { status: 404, .. }), "{e:?}");
    assert_eq!(e.delivery(), Delivery::Rejected);
}

#[tokio::test]
async fn a_php_warning_before_json_is_non_json() {
    let (url, _) = scripted(|_| {
        http(
            "200 OK",
            &[("Content-Type", "text/html")],
            "<br />\n<b>Warning</b>: mysqli_connect() in <b>/var/www/api.php</b><br />\n{\"order\":5}",
        )
    })
    .await;
    let order = OrderRequest::default_type("1", "https://a.com/x", 5).unwrap();
    let e = client_for(&url).add(&order).await.unwrap_err();
    match &e {
        PanelError::NonJson { snippet, .. } => assert!(snippet.starts_with("<br />")),
        other => panic!("{other:?}"),
    }
    assert_eq!(e.delivery(), Delivery::MaybeSent);
}

#[tokio::test]
async fn a_cross_host_redirect_is_not_followed_and_the_key_never_reaches_the_other_host() {
    let (other, other_log) = scripted(|_| http("200 OK", &[], r#"{"balance":"1"}"#)).await;
    let location = other.replace("127.0.0.1", "localhost");
    let (url, _) =
        scripted(move |_| http("307 Temporary Redirect", &[("Location", &location)], "")).await;
    let e = client_for(&url).balance().await.unwrap_err();
    assert!(
        matches!(e, PanelError::Redirect { status: 307, .. }),
        "{e:?}"
    );
    assert!(other_log.lock().unwrap().is_empty());
}

#[tokio::test]
async fn a_non_standard_envelope_is_unsupported() {
    let (url, _) = scripted(|_| {
        http(
            "200 OK",
            &[],
            r#"{"data":null,"error":{"code":405,"message":"Method not allowed"}}"#,
        )
    })
    .await;
    let e = client_for(&url).balance().await.unwrap_err();
    assert!(matches!(e, PanelError::UnsupportedFormat { .. }), "{e:?}");
}

#[test]
fn https_is_required_except_for_loopback_hosts() {
    let key = || ApiKey::new("cfg-key-1234567890");
    let ok = [
        "https://justanotherpanel.com/api/v2",
        "http://127.0.0.1:8080/api/v2",
        "http://127.9.9.9/api/v2",
        "http://localhost:3000/api/v2",
        "http://[::1]:3000/api/v2",
    ];
    for url in ok {
        assert!(
            Client::new(ProviderConfig::new(url, key())).is_ok(),
            "{url} should be accepted"
        );
    }
    let refused = [
        "http://justanotherpanel.com/api/v2",
        "http://10.0.0.1/api/v2",
        "http://localhost.evil.com/api/v2",
        "ftp://127.0.0.1/api",
        "https://user:pass@panel.com/api/v2",
        "not a url",
    ];
    for url in refused {
        match Client::new(ProviderConfig::new(url, key())) {
            Err(e @ PanelError::Config(_)) => assert_eq!(e.delivery(), Delivery::NeverSent),
            other => panic!("{url}: {other:?}"),
        }
    }
    assert!(Client::new(ProviderConfig::new(
        "https://panel.com/api/v2",
        ApiKey::new("")
    ))
    .is_err());
    let message = Client::new(ProviderConfig::new("http://panel.com/api/v2", key()))
        .unwrap_err()
        .to_string();
    assert!(message.contains("https"), "{message}");
}

#[tokio::test]
async fn a_failed_tls_handshake_is_never_sent() {
    use tokio::io::AsyncWriteExt;
    // A plain-HTTP server on an https URL: the TLS handshake fails before any body leaves.
    let listener = tokio::net::TcpListener::bind("127.0.0.1:0").await.unwrap();
    let url = format!("https://{}/api/v2", listener.local_addr().unwrap());
    tokio::spawn(async move {
        while let Ok((mut stream, _)) = listener.accept().await {
            let _ = stream
                .write_all(b"HTTP/1.1 400 Bad Request\r\nContent-Length: 0\r\n\r\n")
                .await;
        }
    });
    let order = OrderRequest::default_type("1", "https://a.com/x", 10).unwrap();
    let e = client_for(&url).add(&order).await.unwrap_err();
    assert!(matches!(e, PanelError::Connect(_)), "{e:?}");
    assert_eq!(e.delivery(), Delivery::NeverSent);
}
