//! `record --from <agent>`: hook mode. An agent's hook calls this on every event, so it must
//! never fail the agent: every problem becomes a warning, and the only output is the answer an
//! agent requires (Cline's `{"cancel":false}`). The adapter the payload's shape names reads it;
//! prompts and models are kept per session; each edit becomes a journal entry.

use std::path::Path;

use serde_json::Value;
use sha2::{Digest, Sha256};

use super::record::{NewEdit, TORN_TAIL_WARNING, check_inserted, late_commit, locate, make_entry};
use crate::engine::key_to_hex;
use crate::git::Repo;
use crate::ingest::adapters::{self, Adapter, Edit, Event, Parsed};
use crate::ingest::redact::redact;
use crate::store::journal::{Journal, SessionState};

/// What a hook-mode record did: the answer to print, the warnings, and the journal to log
/// them in (once the repository is known).
#[derive(Default)]
pub struct HookOutcome {
    pub answer: Option<&'static str>,
    pub warnings: Vec<String>,
    pub journal: Option<Journal>,
}

/// Records what the payload (`Err`: why it could not be read) of `agent`'s hook says.
pub fn run(cwd: &Path, agent: &str, payload: Result<String, String>) -> HookOutcome {
    let wired = adapters::by_name(agent);
    let mut run = HookRun {
        adapter: wired,
        ..HookRun::default()
    };
    if wired.is_none() && agent != "auto" {
        run.warnings.push(format!(
            "unknown agent {agent:?} (known: {}, auto); reading the payload by its shape",
            adapters::names().join(", ")
        ));
    }
    if let Err(problem) = payload.and_then(|text| run.record(cwd, text)) {
        run.warnings.push(problem);
    }
    HookOutcome {
        answer: run.adapter.and_then(|a| a.answer(&run.payload)),
        warnings: run.warnings,
        journal: run.journal,
    }
}

#[derive(Default)]
struct HookRun {
    adapter: Option<&'static dyn Adapter>,
    /// The payload, once read (`Null` until then).
    payload: Value,
    journal: Option<Journal>,
    warnings: Vec<String>,
}

impl HookRun {
    fn record(&mut self, cwd: &Path, text: String) -> Result<(), String> {
        if text.trim().is_empty() {
            return Err("empty payload: nothing to record".into());
        }
        let payload_digest = key_to_hex(&Sha256::digest(text.as_bytes()).into());
        self.payload = serde_json::from_str(&text).map_err(|e| format!("the payload is not JSON: {e}"))?;
        let adapter = adapters::choose(self.adapter, &self.payload)
            .ok_or("the payload has the shape of no known agent; name one with --from")?;
        self.adapter = Some(adapter);
        let parsed = adapter
            .parse(&self.payload)
            .map_err(|e| format!("{} payload: {e}", adapter.name()))?;

        // The repository is the one the hook runs for (agents run hooks in the project); the
        // payload's directory only resolves its relative paths. A payload naming another
        // repository must not make lineage write there: its paths are outside this work tree
        // and are skipped. Only a hook run outside any repository goes by the payload.
        let payload_dir = parsed.cwd.clone().filter(|d| d.is_dir());
        let repo = match Repo::discover(cwd) {
            Ok(repo) => repo,
            Err(_) => {
                let dir = payload_dir.clone().unwrap_or_else(|| cwd.to_path_buf());
                Repo::discover(&dir).map_err(|_| format!("{} is not in a git repository", dir.display()))?
            }
        };
        let base = payload_dir.unwrap_or_else(|| cwd.to_path_buf());
        let journal = Journal::of(&repo);
        self.journal = Some(journal.clone());
        let session = parsed.session.as_deref();
        match &parsed.event {
            Event::Nothing(_) => Ok(()),
            Event::Model => remember(&journal, &parsed, None),
            Event::Prompt(prompt) => remember(&journal, &parsed, Some(prompt)),
            Event::Edits(edits) => {
                let state = journal.session(&parsed.tool, session);
                for (index, edit) in edits.iter().enumerate() {
                    // Short: it tells calls apart, it proves nothing.
                    let call = format!("{}#{index}", payload_digest.get(..16).unwrap_or_default());
                    let call = Call {
                        adapter,
                        parsed: &parsed,
                        state: &state,
                        id: call,
                    };
                    match record_edit(&repo, &journal, &base, &call, edit) {
                        Ok(warning) => self.warnings.extend(warning),
                        Err(problem) => self.warnings.push(problem),
                    }
                }
                Ok(())
            }
        }
    }
}

/// Saves what the event says about its session: a prompt (redacted), a model.
fn remember(journal: &Journal, parsed: &Parsed, prompt: Option<&str>) -> Result<(), String> {
    let session = parsed.session.as_deref();
    let mut state = journal.session(&parsed.tool, session);
    if let Some(prompt) = prompt {
        state.prompt = Some(redact(prompt).text.into_owned());
    }
    if parsed.model.is_some() {
        state.model.clone_from(&parsed.model);
    }
    journal
        .save_session(&parsed.tool, session, &state)
        .map_err(|e| format!("cannot save the session state: {e:#}"))
}

/// The agent's call an edit came from: who made it, in which session, and its id.
struct Call<'a> {
    adapter: &'a dyn Adapter,
    parsed: &'a Parsed,
    state: &'a SessionState,
    /// See [`crate::model::Entry::call`].
    id: String,
}

fn record_edit(
    repo: &Repo,
    journal: &Journal,
    base: &Path,
    call: &Call<'_>,
    edit: &Edit,
) -> Result<Option<String>, String> {
    let Call {
        adapter,
        parsed,
        state,
        ..
    } = *call;
    let skipping = |e: anyhow::Error| format!("skipping {}: {e:#}", edit.path);
    let (file, file_text) = locate(repo, base, Path::new(&edit.path)).map_err(skipping)?;
    // A pure deletion inserts nothing, and is recorded all the same.
    let inserted = match edit.inserted.is_empty() && edit.deleted > 0 {
        true => String::new(),
        false => check_inserted(edit.inserted.clone().into_bytes(), true).map_err(skipping)?,
    };
    let (mut entry, _) = make_entry(NewEdit {
        file,
        inserted,
        tool: parsed.tool.clone(),
        tool_version: parsed.tool_version.clone(),
        model: parsed.model.clone().or_else(|| state.model.clone()),
        session: parsed.session.clone(),
        // The session's prompt is stored redacted already; make_entry redacts again, harmlessly.
        prompt: state.prompt.clone(),
        status: edit.status,
        user: repo.user(),
        source: adapter.name().to_string(),
        worktree: Some(repo.worktree_id()),
        file_text,
        optional: edit.optional.clone(),
        written: edit.written.clone(),
        deleted: edit.deleted,
        call: Some(call.id.clone()),
        removed: edit.removed.clone(),
    });
    entry.progress.late = late_commit(repo, &entry);
    let appended = journal
        .append(&entry)
        .map_err(|e| format!("cannot record the edit of {}: {e:#}", edit.path))?;
    Ok(appended
        .torn_tail_quarantined
        .then(|| TORN_TAIL_WARNING.to_string()))
}
