//! The command line's errors: the engine's, plus reading stdin and parsing arguments.

use smm_engine::{EngineError, ErrorBody};

/// Why a command failed.
#[derive(Debug, thiserror::Error)]
pub enum CliError {
    /// The engine refused or failed.
    #[error(transparent)]
    Engine(#[from] EngineError),
    /// An argument could not be understood.
    #[error("{field}: {message}")]
    Input {
        /// The argument.
        field: &'static str,
        /// What is wrong.
        message: String,
    },
    /// Standard input could not be read.
    #[error("cannot read the API key from stdin: {0}")]
    Stdin(std::io::Error),
    /// The async runtime could not start.
    #[error("cannot start the runtime: {0}")]
    Runtime(String),
}

impl CliError {
    /// The stable code, the same vocabulary as the engine's.
    pub fn code(&self) -> &'static str {
        match self {
            CliError::Engine(e) => e.code(),
            CliError::Input { .. } => "input.invalid",
            CliError::Stdin(_) => "input.stdin",
            CliError::Runtime(_) => "internal",
        }
    }

    /// `{code, message}` for `--json`.
    pub fn body(&self) -> ErrorBody {
        match self {
            CliError::Engine(e) => e.to_body(),
            other => ErrorBody {
                code: other.code(),
                message: other.to_string(),
            },
        }
    }

    pub fn input(field: &'static str, message: impl Into<String>) -> Self {
        CliError::Input {
            field,
            message: message.into(),
        }
    }
}
