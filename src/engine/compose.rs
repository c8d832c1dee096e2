//! The note records a commit gets (DESIGN §2.4): composed from its binding and the fates of
//! its entries, or, for history made without the hooks, from commit-level evidence. Storing
//! them is `store::notes`.

use std::collections::BTreeMap;

use sha2::{Digest, Sha256};

use super::bind::{Binding, Claim};
use crate::model::{
    COMMIT_EVIDENCE, ChangedFile, CommitEvidence, EditOutcome, EditRecord, Entry, Fate, NoteRecord, ObjectId,
    PromptMode, PromptRecord, Ranges, SettledRecord, hex, to_ranges,
};

/// The note records for one commit: an `edit` per (file, entry), a `settled` per settled entry,
/// and the prompts they link to.
pub fn compose(
    binding: &Binding,
    entries: &[Entry],
    fates: &BTreeMap<usize, Fate>,
    prompts: PromptMode,
) -> Vec<NoteRecord> {
    let prompt_id = |entry: &Entry| match prompts {
        PromptMode::None => None,
        _ => entry.prompt_id(),
    };
    let mut records = Vec::new();
    let mut linked_prompts: BTreeMap<String, &Entry> = BTreeMap::new();
    for file in &binding.files {
        let mut by_entry: BTreeMap<usize, Vec<&Claim>> = BTreeMap::new();
        for claim in &file.claims {
            by_entry.entry(claim.entry).or_default().push(claim);
        }
        for (index, claims) in by_entry {
            let entry = &entries[index];
            let modified = to_ranges(claims.iter().filter(|c| c.modified).map(|c| c.line));
            let dropped_lines = matches!(fates.get(&index), Some(Fate::Dropped));
            let outcome = if modified.is_empty() && !dropped_lines {
                EditOutcome::Accepted
            } else {
                EditOutcome::Modified
            };
            let prompt_id = prompt_id(entry);
            if let Some(id) = &prompt_id {
                linked_prompts.insert(id.clone(), entry);
            }
            records.push(edit_record(
                entry,
                file.path.clone(),
                to_ranges(claims.iter().map(|c| c.line)),
                modified,
                outcome,
                prompt_id,
            ));
        }
    }
    for (&index, fate) in fates {
        if let Fate::Removed = fate {
            let entry = &entries[index];
            let prompt_id = prompt_id(entry);
            if let Some(id) = &prompt_id {
                linked_prompts.insert(id.clone(), entry);
            }
            let record = edit_record(
                entry,
                entry.file.clone(),
                Vec::new(),
                Vec::new(),
                EditOutcome::Accepted,
                prompt_id,
            );
            records.push(record);
        }
        let Fate::Settled(outcome) = fate else { continue };
        let entry = &entries[index];
        let prompt_id = prompt_id(entry);
        if let Some(id) = &prompt_id {
            linked_prompts.insert(id.clone(), entry);
        }
        records.push(NoteRecord::Settled(SettledRecord {
            id: entry.id.clone(),
            file: entry.file.clone(),
            tool: entry.tool.clone(),
            model: entry.model.clone(),
            session: entry.session.clone(),
            prompt_id,
            recorded_at: entry.recorded_at.clone(),
            outcome: *outcome,
            lines: entry.inserted.lines().count() as u32,
        }));
    }
    if prompts == PromptMode::Full {
        for (id, entry) in linked_prompts {
            records.push(NoteRecord::Prompt(PromptRecord {
                id,
                session: entry.session.clone(),
                text: entry.prompt.clone(),
            }));
        }
    }
    records
}

/// The `edit` record of `entry`'s lines `ranges` of `file` in a commit. The count of lines it
/// removed goes on the record of its first commit only, so adding records up counts it once.
fn edit_record(
    entry: &Entry,
    file: String,
    ranges: Ranges,
    modified: Ranges,
    outcome: EditOutcome,
    prompt_id: Option<String>,
) -> NoteRecord {
    let first = entry.progress.commits.is_empty();
    NoteRecord::Edit(EditRecord {
        id: entry.id.clone(),
        file,
        ranges,
        modified,
        tool: entry.tool.clone(),
        tool_version: entry.tool_version.clone(),
        model: entry.model.clone(),
        session: entry.session.clone(),
        prompt_id,
        recorded_at: entry.recorded_at.clone(),
        outcome,
        user: entry.user.clone(),
        evidence: None,
        deleted: (first && entry.deleted > 0).then(|| u32::try_from(entry.deleted).unwrap_or(u32::MAX)),
    })
}

/// Records for a commit attributed as a whole from its metadata (`lineage import`): one `edit`
/// per file with every added line, marked `"evidence": "commit"`. Ids derive from the source,
/// commit and file, so importing again writes the same lines (and the note's union keeps one).
pub fn commit_level_records(
    source: &str,
    commit: ObjectId,
    recorded_at: &str,
    evidence: &CommitEvidence,
    files: &[ChangedFile],
) -> Vec<NoteRecord> {
    files
        .iter()
        .filter(|f| f.added().next().is_some())
        .map(|file| {
            NoteRecord::Edit(EditRecord {
                id: hex(&Sha256::digest(format!(
                    "import-{source}\0{commit}\0{}",
                    file.path
                ))),
                file: file.path.clone(),
                ranges: to_ranges(file.added().map(|l| l.line)),
                modified: Vec::new(),
                tool: evidence.tool.clone(),
                tool_version: None,
                model: evidence.model.clone(),
                session: None,
                prompt_id: None,
                recorded_at: recorded_at.to_string(),
                outcome: EditOutcome::Accepted,
                user: evidence.user.clone(),
                evidence: Some(COMMIT_EVIDENCE.to_string()),
                deleted: None,
            })
        })
        .collect()
}
