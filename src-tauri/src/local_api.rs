//! The local API while the app runs (issue #14): Settings › Local API switches it on (off by
//! default) on 127.0.0.1 at the port the user picks, and the next launch starts it again.
//!
//! `enabled` and the port are engine settings ([`ENABLED_SETTING`], [`PORT_SETTING`]). smm-api
//! keeps only the token's hash; the plain token created or rotated during this run is held here,
//! in memory only, so Settings can show and copy it until the app quits.

use std::net::{Ipv4Addr, SocketAddr};
use std::time::Duration;

use serde::Serialize;
use smm_api::{ApiConfig, RequestNote, Server, ServerHandle};
use smm_engine::{Engine, EngineError};
use tokio::sync::{oneshot, Mutex};

use crate::commands::blocking;
use crate::error::{codes, IpcError};

/// The engine setting that says whether the app runs the local API (`true`/`false`).
pub const ENABLED_SETTING: &str = "api.enabled";
/// The engine setting with the port the app listens on.
pub const PORT_SETTING: &str = "api.port";
/// The lowest port the app accepts (below it needs root).
pub const PORT_MIN: u32 = 1024;
/// How long stopping waits for requests in flight before it cuts them off.
const STOP_GRACE: Duration = Duration::from_secs(5);

/// The app's local API: stopped, or one running server.
#[derive(Default)]
pub struct LocalApi {
    inner: Mutex<Inner>,
}

#[derive(Default)]
struct Inner {
    running: Option<Running>,
    /// Why the last start failed (cleared by a start or by switching off).
    problem: Option<IpcError>,
    /// The plain token created or rotated during this run.
    token: Option<SessionToken>,
}

/// A plain token that never prints itself.
struct SessionToken(String);

impl std::fmt::Debug for SessionToken {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.write_str("SessionToken(••••)")
    }
}

struct Running {
    port: u16,
    handle: ServerHandle,
    stop: oneshot::Sender<()>,
    task: tauri::async_runtime::JoinHandle<Result<(), EngineError>>,
}

/// What Settings › Local API shows.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, specta::Type)]
#[serde(rename_all = "camelCase")]
pub struct LocalApiView {
    /// The switch: the app starts the API on launch.
    pub enabled: bool,
    /// It is serving now.
    pub running: bool,
    /// The port (saved, or 8765).
    pub port: u16,
    /// `http://127.0.0.1:PORT` while it runs.
    pub url: Option<String>,
    /// Why it is not running although switched on, or why switching on failed.
    pub problem: Option<IpcError>,
    /// Whether the token can be shown.
    pub token: TokenState,
}

/// Whether the app can show the token.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, specta::Type)]
#[serde(rename_all = "lowercase")]
pub enum TokenState {
    /// No token was ever created.
    None,
    /// Created or rotated during this run: it can be shown and copied.
    Session,
    /// Created earlier (only its hash is kept): rotate to see a new one.
    Earlier,
}

/// The saved switch and port.
fn saved(engine: &Engine) -> Result<(bool, u16), IpcError> {
    let enabled = engine.setting(ENABLED_SETTING)?.as_deref() == Some("true");
    let port = engine
        .setting(PORT_SETTING)?
        .and_then(|p| p.trim().parse::<u32>().ok())
        .and_then(|p| check_port(p).ok())
        .unwrap_or(smm_api::DEFAULT_PORT);
    Ok((enabled, port))
}

/// A port the app may listen on: 1024–65535.
pub fn check_port(port: u32) -> Result<u16, IpcError> {
    u16::try_from(port)
        .ok()
        .filter(|p| u32::from(*p) >= PORT_MIN)
        .ok_or_else(|| IpcError::input("port", format!("a port is {PORT_MIN}-65535, not {port}")))
}

/// Binds 127.0.0.1:`port` (the app never listens beyond this computer).
async fn bind(engine: &Engine, port: u16) -> Result<Server, IpcError> {
    let config = ApiConfig {
        addr: SocketAddr::from((Ipv4Addr::LOCALHOST, port)),
        ..ApiConfig::default()
    };
    Server::bind(engine.clone(), &config)
        .await
        .map_err(|err| bind_error(port, err))
}

/// A port taken by another program gets its own code; other failures keep the engine's.
fn bind_error(port: u16, err: EngineError) -> IpcError {
    match &err {
        EngineError::Io { source, .. } if source.kind() == std::io::ErrorKind::AddrInUse => {
            IpcError {
                field: Some("port".into()),
                ..IpcError::new(
                    codes::API_PORT_IN_USE,
                    format!("port {port} is in use by another program"),
                )
            }
        }
        _ => err.into(),
    }
}

/// Starts serving a bound server on the app's runtime.
fn serve(server: Server, port: u16) -> Running {
    let handle = server.handle();
    let (stop, stopped) = oneshot::channel::<()>();
    let task = tauri::async_runtime::spawn(server.run(async move {
        let _ = stopped.await;
    }));
    tracing::info!(port, "local API started");
    Running {
        port,
        handle,
        stop,
        task,
    }
}

/// Stops a server and waits for it (at most [`STOP_GRACE`], then it is cut off).
async fn stop(running: Running) {
    let _ = running.stop.send(());
    let port = running.port;
    let abort = running.task.inner().abort_handle();
    match tokio::time::timeout(STOP_GRACE, running.task).await {
        Ok(Ok(Ok(()))) => {}
        Ok(Ok(Err(err))) => tracing::warn!(%err, port, "local API stopped with an error"),
        Ok(Err(err)) => tracing::warn!(%err, port, "local API task failed"),
        Err(_) => {
            abort.abort();
            tracing::warn!(port, "local API cut off after the stop grace");
        }
    }
    tracing::info!(port, "local API stopped");
}

impl LocalApi {
    /// On launch: starts the API when it was left switched on. A failure (the port is taken)
    /// is kept for Settings to show; the switch stays on.
    pub async fn resume(&self, engine: &Engine) {
        let (enabled, port) = match blocking({
            let engine = engine.clone();
            move || saved(&engine)
        })
        .await
        {
            Ok(saved) => saved,
            Err(err) => {
                tracing::warn!(%err, "cannot read the local API settings");
                return;
            }
        };
        if !enabled {
            return;
        }
        let mut inner = self.inner.lock().await;
        match bind(engine, port).await {
            Ok(server) => {
                inner.running = Some(serve(server, port));
                inner.problem = None;
            }
            Err(err) => {
                tracing::warn!(%err, "cannot start the local API");
                inner.problem = Some(err);
            }
        }
    }

    /// What Settings shows.
    pub async fn status(&self, engine: &Engine) -> Result<LocalApiView, IpcError> {
        let mut inner = self.inner.lock().await;
        view(engine, &mut inner).await
    }

    /// Switches the API on (binding its port; a failure leaves it off and says why) or off.
    pub async fn set_enabled(&self, engine: &Engine, on: bool) -> Result<LocalApiView, IpcError> {
        let mut inner = self.inner.lock().await;
        if on {
            if inner.running.is_none() {
                let (_, port) = blocking({
                    let engine = engine.clone();
                    move || saved(&engine)
                })
                .await?;
                match bind(engine, port).await {
                    Ok(server) => {
                        let running = serve(server, port);
                        let handle = running.handle.clone();
                        inner.running = Some(running);
                        inner.problem = None;
                        let engine = engine.clone();
                        // The first switch-on creates the token (shown in this run only).
                        let created = blocking(move || {
                            engine.set_setting(ENABLED_SETTING, "true")?;
                            match smm_api::token::stored_hash(&engine)? {
                                Some(_) => Ok(None),
                                None => Ok(Some(handle.rotate_token()?)),
                            }
                        })
                        .await;
                        match created {
                            Ok(Some(token)) => inner.token = Some(SessionToken(token)),
                            Ok(None) => {}
                            Err(err) => {
                                if let Some(running) = inner.running.take() {
                                    stop(running).await;
                                }
                                return Err(err);
                            }
                        }
                    }
                    Err(err) => inner.problem = Some(err),
                }
            }
        } else {
            if let Some(running) = inner.running.take() {
                stop(running).await;
            }
            inner.problem = None;
            let engine = engine.clone();
            blocking(move || Ok(engine.set_setting(ENABLED_SETTING, "false")?)).await?;
        }
        view(engine, &mut inner).await
    }

    /// Changes the port. While running, the new port is bound first: if it is taken, the API
    /// keeps serving on the old one and nothing changes.
    pub async fn set_port(&self, engine: &Engine, port: u32) -> Result<LocalApiView, IpcError> {
        let port = check_port(port)?;
        let mut inner = self.inner.lock().await;
        let (enabled, _) = blocking({
            let engine = engine.clone();
            move || saved(&engine)
        })
        .await?;
        let serving_here = inner.running.as_ref().is_some_and(|r| r.port == port);
        if enabled && !serving_here {
            let server = bind(engine, port).await?;
            if let Some(old) = inner.running.take() {
                stop(old).await;
            }
            inner.running = Some(serve(server, port));
            inner.problem = None;
        }
        let engine2 = engine.clone();
        blocking(move || Ok(engine2.set_setting(PORT_SETTING, &port.to_string())?)).await?;
        tracing::info!(port, "local API port changed");
        view(engine, &mut inner).await
    }

    /// Creates a new token (the old one stops working at once) and returns it.
    pub async fn rotate_token(&self, engine: &Engine) -> Result<String, IpcError> {
        let mut inner = self.inner.lock().await;
        let handle = inner.running.as_ref().map(|r| r.handle.clone());
        let engine = engine.clone();
        let token = blocking(move || match handle {
            Some(handle) => Ok(handle.rotate_token()?),
            None => Ok(smm_api::token::rotate(&engine)?),
        })
        .await?;
        tracing::info!("local API token rotated");
        inner.token = Some(SessionToken(token.clone()));
        Ok(token)
    }

    /// The token created or rotated during this run, if it is still the one in force.
    pub async fn session_token(&self, engine: &Engine) -> Result<Option<String>, IpcError> {
        let mut inner = self.inner.lock().await;
        forget_stale_token(engine, &mut inner).await?;
        Ok(inner.token.as_ref().map(|t| t.0.clone()))
    }

    /// The last requests, newest first (empty while stopped).
    pub async fn recent_requests(&self) -> Vec<RequestNote> {
        let inner = self.inner.lock().await;
        inner
            .running
            .as_ref()
            .map(|r| r.handle.recent_requests())
            .unwrap_or_default()
    }

    /// Stops the API (on exit).
    pub async fn shutdown(&self) {
        if let Some(running) = self.inner.lock().await.running.take() {
            stop(running).await;
        }
    }
}

/// Drops the session token when another token replaced it (e.g. `smmdesk serve --new-token`);
/// returns whether a token exists at all.
async fn forget_stale_token(engine: &Engine, inner: &mut Inner) -> Result<bool, IpcError> {
    let engine = engine.clone();
    let stored = blocking(move || Ok(smm_api::token::stored_hash(&engine)?)).await?;
    let current = match (&stored, &inner.token) {
        (Some(hash), Some(token)) => smm_api::token::hash(&token.0) == *hash,
        _ => false,
    };
    if !current {
        inner.token = None;
    }
    Ok(stored.is_some())
}

async fn view(engine: &Engine, inner: &mut Inner) -> Result<LocalApiView, IpcError> {
    let exists = forget_stale_token(engine, inner).await?;
    let (enabled, saved_port) = blocking({
        let engine = engine.clone();
        move || saved(&engine)
    })
    .await?;
    let port = inner.running.as_ref().map_or(saved_port, |r| r.port);
    Ok(LocalApiView {
        enabled,
        running: inner.running.is_some(),
        port,
        url: inner
            .running
            .as_ref()
            .map(|r| format!("http://127.0.0.1:{}", r.port)),
        problem: inner.problem.clone(),
        token: match (&inner.token, exists) {
            (Some(_), _) => TokenState::Session,
            (None, true) => TokenState::Earlier,
            (None, false) => TokenState::None,
        },
    })
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn ports_below_1024_or_above_65535_are_refused_with_the_field() {
        assert_eq!(check_port(8765).unwrap(), 8765);
        assert_eq!(check_port(1024).unwrap(), 1024);
        assert_eq!(check_port(65535).unwrap(), 65535);
        for bad in [0, 80, 1023, 65536, 100_000] {
            let err = check_port(bad).unwrap_err();
            assert_eq!(
                (err.code.as_str(), err.field.as_deref()),
                ("input.invalid", Some("port"))
            );
        }
    }

    #[test]
    fn a_taken_port_has_its_own_code() {
        let err = bind_error(
            9000,
            EngineError::io(
                "listening",
                std::io::Error::from(std::io::ErrorKind::AddrInUse),
            ),
        );
        assert_eq!(err.code, codes::API_PORT_IN_USE);
        assert_eq!(err.field.as_deref(), Some("port"));
        let other = bind_error(
            9000,
            EngineError::io(
                "listening",
                std::io::Error::from(std::io::ErrorKind::PermissionDenied),
            ),
        );
        assert_eq!(other.code, "io.failed");
    }

    #[test]
    fn the_session_token_never_prints() {
        let token = SessionToken("smmd_secret".into());
        assert!(!format!("{token:?}").contains("secret"));
    }
}
