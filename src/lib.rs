//! `lineage`: provenance for AI-written code, kept in git itself.
//!
//! The pipeline, in the order data flows:
//! an agent (or a person) records an AI edit with `lineage record`; each record is a [`model::Entry`] in the [`journal`] under the common
//! git dir. At commit time the git hooks ([`install`] puts them in place) run [`binding`]: the
//! committed added lines are matched to pending entries by line key (a hash of the trimmed line),
//! and the result is written by [`notes`] as a JSON Lines note on `refs/notes/lineage`.
//! [`blame`] overlays those notes on `git blame`, and [`render`] prints tables and JSON.
//! Everything that talks to git lives in [`git`]; only [`cli`] and [`render`] print.

pub mod adapters;
pub mod binding;
pub mod blame;
pub mod cli;
pub mod clock;
pub mod commit;
pub mod error;
pub mod git;
pub mod install;
pub mod journal;
pub mod model;
pub mod notes;
pub mod redact;
pub mod render;
pub mod settings;
