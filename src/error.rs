//! Errors a user can act on: what went wrong, and a hint saying what to do about it.
//!
//! Commands return `anyhow::Result`; `main` looks for a [`UserError`] in the chain to print its
//! hint. Anything else is reported as a plain `error:` line.

use std::fmt;

/// A problem with the user's input or environment, with a hint for fixing it.
#[derive(Debug)]
pub struct UserError {
    pub message: String,
    pub hint: String,
}

impl fmt::Display for UserError {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(&self.message)
    }
}

impl std::error::Error for UserError {}

/// Builds an `anyhow::Error` carrying a [`UserError`].
pub fn user_error(message: impl Into<String>, hint: impl Into<String>) -> anyhow::Error {
    anyhow::Error::new(UserError {
        message: message.into(),
        hint: hint.into(),
    })
}
