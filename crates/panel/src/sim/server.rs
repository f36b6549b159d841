//! The simulator's HTTP side: accept loop, request log, faults and dialect rendering.

use std::convert::Infallible;
use std::sync::Arc;
use std::time::Duration;

use axum::body::Body;
use axum::extract::{Request, State};
use axum::http::{header, HeaderMap, HeaderValue, Method, StatusCode};
use axum::response::{IntoResponse, Response};
use axum::routing::any;
use axum::Router;
use hyper::server::conn::http1;
use hyper_util::rt::TokioIo;
use serde_json::{json, Value};
use tokio::sync::{watch, Notify};
use tower_service::Service as _;

use super::{Fault, Shared, SimRequest, MAX_LOGGED_REQUESTS};
use crate::action::Action;

/// Ends the connection a request came on, without a reply.
#[derive(Clone)]
struct ConnectionKill(Arc<Notify>);

/// Largest request body read.
const MAX_REQUEST_BYTES: usize = 4 << 20;

/// Accepts connections until `stopped` turns true.
pub(super) async fn serve(
    listener: tokio::net::TcpListener,
    shared: Arc<Shared>,
    mut stopped: watch::Receiver<bool>,
) {
    let router = Router::new()
        .route("/api/v2", any(handle))
        .fallback(not_found)
        .with_state(shared);
    loop {
        let accepted = tokio::select! {
            accepted = listener.accept() => accepted,
            _ = stopped.changed() => break,
        };
        let Ok((stream, _)) = accepted else {
            tokio::time::sleep(Duration::from_millis(10)).await;
            continue;
        };
        let router = router.clone();
        let mut stopped = stopped.clone();
        tokio::spawn(async move {
            let kill = Arc::new(Notify::new());
            let service_kill = kill.clone();
            let service = hyper::service::service_fn(
                move |mut req: hyper::Request<hyper::body::Incoming>| {
                    req.extensions_mut()
                        .insert(ConnectionKill(service_kill.clone()));
                    let mut router = router.clone();
                    async move {
                        let response = router.call(req.map(Body::new)).await;
                        Ok::<_, Infallible>(response.unwrap_or_else(|e| match e {}))
                    }
                },
            );
            let connection = http1::Builder::new()
                .keep_alive(true)
                .serve_connection(TokioIo::new(stream), service);
            tokio::select! {
                _ = connection => {}
                _ = kill.notified() => {}
                _ = stopped.changed() => {}
            }
        });
    }
}

async fn not_found() -> Response {
    (
        StatusCode::NOT_FOUND,
        [(header::CONTENT_TYPE, "text/html")],
        "<html><body><h1>404 Not Found</h1></body></html>",
    )
        .into_response()
}

async fn handle(State(shared): State<Arc<Shared>>, request: Request) -> Response {
    let (parts, body) = request.into_parts();
    let kill = parts.extensions.get::<ConnectionKill>().cloned();
    let body = axum::body::to_bytes(body, MAX_REQUEST_BYTES)
        .await
        .unwrap_or_default();
    let mut params: Vec<(String, String)> = Vec::new();
    if let Some(query) = parts.uri.query() {
        params.extend(url::form_urlencoded::parse(query.as_bytes()).into_owned());
    }
    if parts.method == Method::POST {
        params.extend(url::form_urlencoded::parse(&body).into_owned());
    }
    let key = take(&mut params, "key");
    let raw_action = params
        .iter()
        .find(|(k, _)| k == "action")
        .map(|(_, v)| v.clone());
    let action = raw_action.as_deref().and_then(Action::parse);

    let (fault, dialect, key_ok) = {
        let mut state = shared.lock();
        let key_ok = key.as_deref() == Some(state.panel.key.as_str());
        record(
            &mut state,
            &parts.method,
            &parts.headers,
            action,
            &params,
            key_ok,
        );
        let fault = action.and_then(|a| take_fault(&mut state.faults, a));
        (fault, state.dialect.clone(), key_ok)
    };
    if !shared.latency.is_zero() {
        tokio::time::sleep(shared.latency).await;
    }

    // Faults that answer before the request is processed.
    match &fault {
        Some(Fault::Latency(d)) => tokio::time::sleep(*d).await,
        Some(Fault::Hang) => {
            tokio::time::sleep(Duration::from_secs(3600)).await;
            return StatusCode::GATEWAY_TIMEOUT.into_response();
        }
        Some(Fault::ResetBeforeProcess) => return kill_connection(kill).await,
        Some(Fault::Html200) => return html(StatusCode::OK, CLOUDFLARE_PAGE),
        Some(Fault::MalformedJson) => {
            return json_bytes(r#"{"order": 23501, "status": "#.into(), &dialect)
        }
        Some(Fault::ServerError(code)) => {
            let status = StatusCode::from_u16(*code).unwrap_or(StatusCode::INTERNAL_SERVER_ERROR);
            return html(status, &bad_gateway_page(status));
        }
        Some(Fault::TooManyRequests { retry_after_secs }) => {
            let mut response = (
                StatusCode::TOO_MANY_REQUESTS,
                [(header::CONTENT_TYPE, "application/json")],
                r#"{"error":"Too many requests"}"#,
            )
                .into_response();
            if let Some(secs) = retry_after_secs {
                response
                    .headers_mut()
                    .insert(header::RETRY_AFTER, HeaderValue::from(*secs));
            }
            return response;
        }
        Some(Fault::RateLimitText) => {
            return json_bytes(
                br#"{"error":"Rate limit exceeded. Slow down."}"#.to_vec(),
                &dialect,
            )
        }
        Some(Fault::Redirect(location)) => {
            let mut response = StatusCode::FOUND.into_response();
            if let Ok(v) = HeaderValue::from_str(location) {
                response.headers_mut().insert(header::LOCATION, v);
            }
            return response;
        }
        _ => {}
    }

    let reply: Value = if !key_ok && dialect.user_not_found_key_error {
        json!({ "error": "API is disable for this user or user not found" })
    } else if !key_ok {
        json!({ "error": "Invalid API key" })
    } else {
        match action {
            None => json!({ "error": "Incorrect request" }),
            Some(Action::Refill | Action::RefillStatus | Action::Cancel)
                if dialect.without_refill_and_cancel =>
            {
                json!({ "error": "Request Invalid" })
            }
            Some(action) => {
                let mut state = shared.lock();
                let now = state.clock.now();
                state.panel.handle(action, &params, now, &dialect)
            }
        }
    };

    // Faults that strike after the request was processed.
    match fault {
        Some(Fault::ResetAfterAccept) => kill_connection(kill).await,
        Some(Fault::EmptyBody) => json_bytes(Vec::new(), &dialect),
        Some(Fault::PhpWarningBeforeJson) => {
            let mut body = PHP_WARNING.as_bytes().to_vec();
            body.extend(serde_json::to_vec(&reply).unwrap_or_default());
            json_bytes(body, &dialect)
        }
        Some(Fault::PhpNotices(count)) => {
            let mut body = php_notices(count).into_bytes();
            body.extend(serde_json::to_vec(&reply).unwrap_or_default());
            json_bytes(body, &dialect)
        }
        Some(Fault::PhpNoticeHoldingJson) => {
            let mut body = PHP_NOTICE_HOLDING_JSON.as_bytes().to_vec();
            body.extend(serde_json::to_vec(&reply).unwrap_or_default());
            json_bytes(body, &dialect)
        }
        _ => json_bytes(serde_json::to_vec(&reply).unwrap_or_default(), &dialect),
    }
}

fn take(params: &mut Vec<(String, String)>, name: &str) -> Option<String> {
    let i = params.iter().position(|(k, _)| k == name)?;
    Some(params.remove(i).1)
}

fn record(
    state: &mut super::State,
    method: &Method,
    headers: &HeaderMap,
    action: Option<Action>,
    params: &[(String, String)],
    key_ok: bool,
) {
    let header_text = |name: header::HeaderName| {
        headers
            .get(name)
            .and_then(|v| v.to_str().ok())
            .map(str::to_owned)
    };
    state.counters.total += 1;
    match action {
        Some(a) => *state.counters.by_action.entry(a).or_insert(0) += 1,
        None => state.counters.unknown += 1,
    }
    if state.requests.len() >= MAX_LOGGED_REQUESTS {
        state.requests.remove(0);
    }
    state.requests.push(SimRequest {
        method: method.to_string(),
        action,
        params: params.to_vec(),
        key_ok,
        user_agent: header_text(header::USER_AGENT),
        content_type: header_text(header::CONTENT_TYPE),
    });
}

fn take_fault(
    faults: &mut std::collections::HashMap<Action, super::FaultPlan>,
    action: Action,
) -> Option<Fault> {
    let plan = faults.get_mut(&action)?;
    let fault = plan.fault.clone();
    match &mut plan.remaining {
        None => {}
        Some(0) => {
            faults.remove(&action);
            return None;
        }
        Some(n) => {
            *n -= 1;
            if *n == 0 {
                faults.remove(&action);
            }
        }
    }
    Some(fault)
}

/// Drops the connection with no reply; the response is never written.
async fn kill_connection(kill: Option<ConnectionKill>) -> Response {
    if let Some(ConnectionKill(notify)) = kill {
        notify.notify_one();
        std::future::pending::<()>().await;
    }
    StatusCode::INTERNAL_SERVER_ERROR.into_response()
}

fn json_bytes(body: Vec<u8>, dialect: &super::Dialect) -> Response {
    let content_type = if dialect.html_content_type {
        "text/html; charset=UTF-8"
    } else {
        "application/json"
    };
    (StatusCode::OK, [(header::CONTENT_TYPE, content_type)], body).into_response()
}

fn html(status: StatusCode, page: &str) -> Response {
    (
        status,
        [(header::CONTENT_TYPE, "text/html; charset=UTF-8")],
        page.to_owned(),
    )
        .into_response()
}

fn bad_gateway_page(status: StatusCode) -> String {
    let code = status.as_u16();
    let reason = status.canonical_reason().unwrap_or("Error");
    format!(
        "<html>\r\n<head><title>{code} {reason}</title></head>\r\n<body>\r\n<center><h1>{code} {reason}</h1></center>\r\n<hr><center>nginx</center>\r\n</body>\r\n</html>\r\n"
    )
}

const CLOUDFLARE_PAGE: &str = "<!DOCTYPE html><html lang=\"en-US\"><head><title>Just a moment...</title>\
<meta http-equiv=\"Content-Type\" content=\"text/html; charset=UTF-8\"><meta name=\"robots\" \
content=\"noindex,nofollow\"></head><body><div class=\"main-wrapper\" role=\"main\"><div \
class=\"main-content\"><h1>Checking if the site connection is secure</h1></div></div></body></html>";

/// `count` displayed PHP notices, Notice, Warning and Deprecated in turn.
fn php_notices(count: u32) -> String {
    (0..count)
        .map(|i| match i % 3 {
            0 => format!(
                "<br />\n<b>Notice</b>:  Undefined index: x{i} in <b>/var/www/api.php</b> on line <b>{}</b><br />\n",
                12 + i
            ),
            1 => format!(
                "<br />\n<b>Warning</b>:  Undefined array key \"runs\" in <b>/var/www/api.php</b> on line <b>{}</b><br />\n",
                12 + i
            ),
            _ => format!(
                "<br />\n<b>Deprecated</b>:  Function create_function() is deprecated in <b>/var/www/app/helpers.php</b> on line <b>{}</b><br />\n",
                12 + i
            ),
        })
        .collect()
}

const PHP_NOTICE_HOLDING_JSON: &str = "<br />\n<b>Notice</b>:  Undefined index: {\"order\":1} in \
<b>/var/www/api.php</b> on line <b>12</b><br />\n";

const PHP_WARNING: &str = "<br />\n<b>Warning</b>:  Undefined array key \"runs\" in \
<b>/home/panel/public_html/app/api.php</b> on line <b>214</b><br />\n";
