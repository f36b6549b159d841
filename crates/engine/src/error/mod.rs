//! The engine's error type: every variant has a stable `code()` the UI translates.
//!
//! The bottom layer: it names only [`crate::paths`] (for [`PathsError`]). The refusals of
//! orders and webhooks ([`OrderError`], [`WebhookError`]) live here too, re-exported by
//! `orders` and `webhooks`, so [`EngineError`] can wrap them without naming a domain module.

mod order;
mod route;
mod webhook;

use serde::Serialize;

use crate::paths::PathsError;

pub use order::{LineError, OrderError};
pub use route::{MemberSkip, RouteError};
pub use webhook::WebhookError;

/// Everything that can go wrong in the engine. Messages never contain an API key.
#[derive(Debug, thiserror::Error)]
pub enum EngineError {
    /// A field of the request is missing or malformed.
    #[error("{field}: {message}")]
    Input {
        /// The field, as the user named it (e.g. `limit`).
        field: &'static str,
        /// What is wrong with it.
        message: String,
    },
    /// No live provider has that name.
    #[error("no provider named \"{0}\"")]
    ProviderNotFound(String),
    /// A live provider already has that name.
    #[error("a provider named \"{0}\" already exists")]
    ProviderNameTaken(String),
    /// The name is not a slug.
    #[error("provider name \"{0}\" must be 1-40 lowercase letters, digits or dashes, starting with a letter or digit")]
    ProviderNameInvalid(String),
    /// The provider URL does not parse as a URL.
    #[error("\"{0}\" is not a URL")]
    UrlInvalid(String),
    /// The provider URL is not http(s).
    #[error("the provider URL must start with https:// (got {0}://)")]
    UrlScheme(String),
    /// The provider URL is plain http to a host other than this computer.
    #[error("plain http is allowed only for this computer (127.0.0.1, ::1, localhost); use https for {0}")]
    UrlInsecure(String),
    /// The API key is empty (or only whitespace).
    #[error("the API key is empty")]
    KeyEmpty,
    /// No preset has that name.
    #[error("no preset named \"{0}\" (known: jap, smmkings, secsers)")]
    PresetUnknown(String),
    /// The provider is disabled.
    #[error("provider \"{0}\" is disabled")]
    ProviderInactive(String),
    /// The database was written by a newer SMM Desk.
    #[error("the database has schema version {found}, but this SMM Desk knows only up to {known}; update SMM Desk")]
    NewerSchema {
        /// The database's schema version.
        found: i64,
        /// The newest schema this binary knows.
        known: i64,
    },
    /// The database stayed busy (every connection in use) for too long.
    #[error("the database is busy; try again")]
    StoreBusy,
    /// SQLite failed.
    #[error("database error: {0}")]
    Store(#[from] rusqlite::Error),
    /// A file could not be read or written.
    #[error("{what}: {source}")]
    Io {
        /// What was being done.
        what: String,
        /// The OS error.
        source: std::io::Error,
    },
    /// The folders could not be worked out or created.
    #[error(transparent)]
    Paths(#[from] PathsError),
    /// The master key cannot be found although keys were encrypted under one.
    #[error("the master key is missing ({0}); stored API keys cannot be decrypted")]
    MasterKeyMissing(String),
    /// The master key does not decrypt what was stored with it.
    #[error("the master key does not match this database; stored API keys cannot be decrypted")]
    MasterKeyMismatch,
    /// The OS keychain was required (SMM_DESK_KEY_STORE=keychain) but is not usable.
    #[error("the OS keychain is not usable: {0}")]
    KeychainUnavailable(String),
    /// A stored secret could not be decrypted.
    #[error("a stored API key could not be decrypted")]
    Decrypt,
    /// The provider's API call failed.
    #[error("provider \"{provider}\": {source}")]
    Panel {
        /// The provider's name.
        provider: String,
        /// The client's error (never contains the key).
        source: smm_panel::PanelError,
    },
    /// An order, refill, cancel or mass order was refused (see [`OrderError`]).
    #[error(transparent)]
    Order(OrderError),
    /// A webhook request was refused (see [`WebhookError`]).
    #[error(transparent)]
    Webhook(WebhookError),
    /// An offer group or a routed order was refused (see [`RouteError`]).
    #[error(transparent)]
    Route(RouteError),
    /// No customer by that id or name.
    #[error("no customer {0}")]
    CustomerNotFound(String),
    /// A customer already has that name (ignoring case and spacing).
    #[error("a customer named \"{0}\" already exists")]
    CustomerNameTaken(String),
    /// The backup file to restore does not exist.
    #[error("no file at {0}")]
    BackupNotFound(String),
    /// The backup to restore is a folder or another thing that is not a regular file.
    #[error("{0} is not a file")]
    BackupNotFile(String),
    /// The backup to restore is not an SQLite database.
    #[error("{0} is not an SQLite database (not an SMM Desk backup)")]
    BackupNotSqlite(String),
    /// The file to restore is a live database (a `-wal` file lies beside it).
    #[error("{0} is in use by a running database (a -wal file lies beside it); make a backup of it with SMM Desk and restore that")]
    BackupLive(String),
    /// The backup fails SQLite's integrity check.
    #[error("the backup is damaged: {0}")]
    BackupCorrupt(String),
    /// The backup is an SQLite database, but not SMM Desk's.
    #[error("the file is an SQLite database but not an SMM Desk backup")]
    BackupNotSmmDesk,
    /// The backup was written by a newer SMM Desk.
    #[error("the backup has schema version {found}, but this SMM Desk knows only up to {known}; update SMM Desk first")]
    BackupNewerSchema {
        /// The backup's schema version.
        found: i64,
        /// The newest schema this binary knows.
        known: i64,
    },
    /// The backup's API keys were encrypted under another master key.
    #[error("the backup was made with another master key (another computer or a reset key store): its provider API keys could not be decrypted, so it was not restored")]
    BackupKeyMismatch,
    /// Another SMM Desk program uses the data folder, so the database cannot be replaced.
    #[error("another SMM Desk program (the app or smmdesk) is using the data folder {0}; close it and try again")]
    DataInUse(String),
    /// The data folder is forced by `SMM_DESK_DATA_DIR` or `--data-dir`.
    #[error("the data folder is set by {0}, so it cannot be changed here")]
    DataDirForced(String),
    /// The chosen folder already holds SMM Desk data (and the user did not ask to use it).
    #[error(
        "{0} already holds SMM Desk data; choose an empty folder, or use the data that is there"
    )]
    DataDirHasData(String),
    /// The user asked to use the data in a folder that holds none.
    #[error("{0} holds no SMM Desk database")]
    DataDirNoData(String),
    /// The chosen folder is the data folder in use.
    #[error("{0} is already the data folder")]
    DataDirSame(String),
    /// A bug or an impossible state.
    #[error("internal error: {0}")]
    Internal(String),
}

impl EngineError {
    /// The stable code the UI and scripts branch on (never parse messages).
    pub fn code(&self) -> &'static str {
        match self {
            Self::Input { .. } => "input.invalid",
            Self::ProviderNotFound(_) => "provider.not_found",
            Self::ProviderNameTaken(_) => "provider.name_taken",
            Self::ProviderNameInvalid(_) => "provider.name_invalid",
            Self::UrlInvalid(_) => "provider.url_invalid",
            Self::UrlScheme(_) => "provider.url_scheme",
            Self::UrlInsecure(_) => "provider.url_insecure",
            Self::KeyEmpty => "provider.key_empty",
            Self::PresetUnknown(_) => "provider.preset_unknown",
            Self::ProviderInactive(_) => "provider.inactive",
            Self::NewerSchema { .. } => "store.newer_schema",
            Self::StoreBusy => "store.busy",
            Self::Store(_) => "store.failed",
            Self::Io { .. } => "io.failed",
            Self::Paths(p) => p.code(),
            Self::MasterKeyMissing(_) => "secrets.master_key_missing",
            Self::MasterKeyMismatch => "secrets.master_key_mismatch",
            Self::KeychainUnavailable(_) => "secrets.keychain_unavailable",
            Self::Decrypt => "secrets.decrypt_failed",
            Self::Panel { source, .. } => panel_code(source),
            Self::Order(e) => e.code(),
            Self::Webhook(e) => e.code(),
            Self::Route(e) => e.code(),
            Self::CustomerNotFound(_) => "customer.not_found",
            Self::CustomerNameTaken(_) => "customer.name_taken",
            Self::BackupNotFound(_) => "restore.not_found",
            Self::BackupNotFile(_) => "restore.not_a_file",
            Self::BackupNotSqlite(_) => "restore.not_sqlite",
            Self::BackupLive(_) => "restore.live_database",
            Self::BackupCorrupt(_) => "restore.corrupt",
            Self::BackupNotSmmDesk => "restore.not_smm_desk",
            Self::BackupNewerSchema { .. } => "restore.newer_schema",
            Self::BackupKeyMismatch => "restore.key_mismatch",
            Self::DataInUse(_) => "data.in_use",
            Self::DataDirForced(_) => "data_dir.forced",
            Self::DataDirHasData(_) => "data_dir.has_data",
            Self::DataDirNoData(_) => "data_dir.no_data",
            Self::DataDirSame(_) => "data_dir.same",
            Self::Internal(_) => "internal",
        }
    }

    /// The client's error, when a provider call failed.
    pub fn panel_error(&self) -> Option<&smm_panel::PanelError> {
        match self {
            Self::Panel { source, .. } => Some(source),
            _ => None,
        }
    }

    /// The `{code, message}` pair sent over IPC and printed by `smmdesk --json`.
    pub fn to_body(&self) -> ErrorBody {
        ErrorBody {
            code: self.code(),
            message: self.to_string(),
        }
    }

    pub(crate) fn input(field: &'static str, message: impl Into<String>) -> Self {
        Self::Input {
            field,
            message: message.into(),
        }
    }

    /// A file or socket operation failed while doing `what`.
    pub fn io(what: impl Into<String>, source: std::io::Error) -> Self {
        Self::Io {
            what: what.into(),
            source,
        }
    }
}

/// An error as the UI and scripts see it.
#[derive(Debug, Clone, Serialize, PartialEq, Eq)]
pub struct ErrorBody {
    /// Stable machine code, e.g. `provider.not_found`.
    pub code: &'static str,
    /// Human message (English); the UI shows its own translation of `code`.
    pub message: String,
}

/// The engine's result type.
pub type Result<T, E = EngineError> = std::result::Result<T, E>;

/// A stable code for a failed provider call: `panel.<what>`, or `panel.rejected.<reason>`
/// when the provider answered with an error.
fn panel_code(e: &smm_panel::PanelError) -> &'static str {
    use smm_panel::{PanelError as P, ProviderReason as R};
    match e {
        P::Provider { reason, .. } => match reason {
            R::InvalidKey => "panel.rejected.invalid_key",
            R::InsufficientFunds => "panel.rejected.insufficient_funds",
            R::BadLink => "panel.rejected.bad_link",
            R::QuantityBelowMin { .. } => "panel.rejected.quantity_below_min",
            R::QuantityAboveMax { .. } => "panel.rejected.quantity_above_max",
            R::InvalidQuantity => "panel.rejected.invalid_quantity",
            R::UnknownService => "panel.rejected.unknown_service",
            R::DuplicateActiveLink => "panel.rejected.duplicate_active_link",
            R::UnknownOrder => "panel.rejected.unknown_order",
            R::UnknownRefill => "panel.rejected.unknown_refill",
            R::RefillNotAllowed => "panel.rejected.refill_not_allowed",
            R::CancelNotAllowed => "panel.rejected.cancel_not_allowed",
            R::DripFeedNotSupported => "panel.rejected.dripfeed_not_supported",
            R::RateLimited => "panel.rejected.rate_limited",
            R::IncorrectRequest => "panel.rejected.incorrect_request",
            _ => "panel.rejected.other",
        },
        P::Config(_) => "panel.config",
        P::InvalidRequest(_) => "panel.invalid_request",
        P::Connect(_) => "panel.connect",
        P::Timeout => "panel.timeout",
        P::Transport(_) => "panel.transport",
        P::Http { .. } => "panel.http",
        P::Redirect { .. } => "panel.redirect",
        P::NonJson { .. } => "panel.non_json",
        P::EmptyBody { .. } => "panel.empty_body",
        P::UnexpectedReply { .. } => "panel.unexpected_reply",
        P::UnsupportedFormat { .. } => "panel.unsupported_format",
        _ => "panel.failed",
    }
}
