//! Error kinds and what a user sees of them.
//!
//! Commands return `anyhow::Result`. An error a person can act on carries a [`Hinted`] (what
//! went wrong, and what to do about it) with its [`ErrorKind`]; `main` prints `error:` and
//! `hint:` and exits with the kind's code. Anything else is internal: lineage itself failed.
//!
//! | kind | exit code |
//! |---|---|
//! | user error (bad input, wrong place, unreadable file), or a check that said no (`check`'s
//! error-level rules, `verify`'s failed signatures) | 1 |
//! | usage (the command line itself is wrong) | 2 |
//! | internal (a bug, or the machine failed us) | 4 |

use std::fmt;

/// What kind of failure an error is, which decides the exit code.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum ErrorKind {
    User,
    Usage,
    Internal,
}

impl ErrorKind {
    pub fn exit_code(self) -> u8 {
        match self {
            ErrorKind::User => 1,
            ErrorKind::Usage => 2,
            ErrorKind::Internal => 4,
        }
    }
}

/// A failure explained to the person who hit it, with a hint for what to do.
#[derive(Debug)]
pub struct Hinted {
    pub kind: ErrorKind,
    pub message: String,
    pub hint: String,
}

impl fmt::Display for Hinted {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(&self.message)
    }
}

impl std::error::Error for Hinted {}

fn hinted(kind: ErrorKind, message: impl Into<String>, hint: impl Into<String>) -> anyhow::Error {
    anyhow::Error::new(Hinted {
        kind,
        message: message.into(),
        hint: hint.into(),
    })
}

/// A problem with the user's input or environment.
pub fn user_error(message: impl Into<String>, hint: impl Into<String>) -> anyhow::Error {
    hinted(ErrorKind::User, message, hint)
}

/// A command line that does not make sense.
pub fn usage_error(message: impl Into<String>, hint: impl Into<String>) -> anyhow::Error {
    hinted(ErrorKind::Usage, message, hint)
}

/// The explained failure in `err`'s chain, if there is one.
pub fn hinted_in(err: &anyhow::Error) -> Option<&Hinted> {
    err.chain().find_map(|e| e.downcast_ref::<Hinted>())
}

/// The kind of `err`: its explained failure's, else internal.
pub fn kind_of(err: &anyhow::Error) -> ErrorKind {
    hinted_in(err).map_or(ErrorKind::Internal, |h| h.kind)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn kinds_map_to_distinct_exit_codes() {
        let kinds = [ErrorKind::User, ErrorKind::Usage, ErrorKind::Internal];
        let codes: std::collections::BTreeSet<u8> = kinds.iter().map(|k| k.exit_code()).collect();
        assert_eq!(codes.len(), kinds.len());
        assert!(!codes.contains(&0));
    }

    #[test]
    fn the_kind_is_found_through_context() {
        use anyhow::Context;
        let err = Err::<(), _>(usage_error("bad", "fix it"))
            .context("while running")
            .unwrap_err();
        assert_eq!(kind_of(&err), ErrorKind::Usage);
        assert_eq!(hinted_in(&err).unwrap().hint, "fix it");
        assert_eq!(kind_of(&anyhow::anyhow!("disk on fire")), ErrorKind::Internal);
    }
}
