//! `lineage`: provenance for AI-written code, kept in git itself.
//!
//! The pipeline, in the order data flows, and the folder that owns each step:
//!
//! ```text
//! agent payload ─▶ ingest ─▶ ops::record ─▶ store::journal
//! git commit ─▶ ops::commit ─▶ engine (bind, fates, compose) ─▶ store::notes
//! lineage blame / show / status ─▶ query ─▶ render
//! ```
//!
//! Dependencies point one way: [`cli`] → [`ops`] / [`query`] → [`engine`] / [`store`] /
//! [`ingest`] / [`install`] → [`git`] → [`model`]. Only `git` talks to git; only `cli` and
//! `render` print. `tests/layering.rs` checks the direction.

pub mod cli;
pub mod clock;
pub mod config;
pub mod engine;
pub mod error;
pub mod git;
pub mod ingest;
pub mod install;
pub mod model;
pub mod ops;
pub mod parallel;
pub mod pinned;
pub mod query;
pub mod render;
pub mod settings;
pub mod store;
