//! The seven audit answers for lines of a file (DESIGN §3): what was generated, what was asked,
//! which model, which tool and version, which file and commit, who accepted it and who drove
//! the agent, whether it was reviewed, and whether the record verifies. Built on blame's
//! overlay, then the note of each line's commit (or the journal, for a pending line).

use std::collections::HashMap;

use anyhow::Result;
use serde::Serialize;

use crate::git::{BlameOptions, Repo};
use crate::model::{EditRecord, ObjectId, ParsedNote, ReviewRecord, ranges_contain};
use crate::query::blame::{self, Attribution, Line, LineOutcome};
use crate::query::history::review_status;
use crate::settings::{PromptMode, Settings};
use crate::store::journal::Journal;
use crate::store::notes::Notes;

/// At most this many lines of a record are shown as what was generated.
pub const MAX_GENERATED: usize = 200;

/// The answers for one line.
#[derive(Debug, Serialize)]
pub struct Explanation {
    pub file: String,
    pub line: u32,
    pub content: String,
    pub attribution: Attribution,
    /// `None` for a line not committed yet.
    pub commit: Option<ObjectId>,
    /// The commit's author and committer (the person who accepted the lines into history).
    pub author: Option<String>,
    pub committer: Option<String>,
    /// Why the line is what `attribution` says, in words.
    pub reason: String,
    pub ai: Option<AiAnswers>,
    /// The commit's latest review.
    pub review: Option<ReviewRecord>,
    /// Whether the note of the line's commit verifies (`lineage verify`): `signed-valid`,
    /// `unsigned`, `altered lines`, `unknown signer`, `invalid signature`, or `not checked`
    /// (signed, but git has no allowed signers file); `null` for a line not committed.
    pub signature: Option<String>,
}

/// What the AI record says.
#[derive(Debug, Serialize)]
pub struct AiAnswers {
    pub record: String,
    pub tool: String,
    pub tool_version: Option<String>,
    pub model: Option<String>,
    pub session: Option<String>,
    /// Who drove the agent (`Name <email>`).
    pub user: Option<String>,
    pub recorded_at: Option<String>,
    pub outcome: LineOutcome,
    /// `line`: bound at commit time; `commit`: the whole commit attributed from its metadata.
    pub evidence: &'static str,
    pub prompt: PromptAnswer,
    /// The record's lines: as committed (the commit's version of the file), or as recorded
    /// (a pending edit), this line marked.
    pub generated: Vec<GeneratedLine>,
    /// Lines of the record left out of `generated` (over [`MAX_GENERATED`]).
    pub generated_omitted: usize,
}

#[derive(Debug, Serialize)]
pub struct PromptAnswer {
    pub id: Option<String>,
    /// `full` (the text is here), `hash` (only its id, a sha256 of the text, was kept) or
    /// `none` (no prompt, or nothing was kept).
    pub kept: &'static str,
    pub text: Option<String>,
}

#[derive(Debug, Serialize)]
pub struct GeneratedLine {
    pub line: u32,
    pub content: String,
    /// This is the line asked about.
    pub this: bool,
    /// A person edited it before committing.
    pub modified: bool,
}

/// The answers for lines `first..=last` of `path` (relative to the work tree root) in the work
/// tree, uncommitted lines included.
pub fn explain(repo: &Repo, path: &str, first: u32, last: u32) -> Result<Vec<Explanation>> {
    let head = repo.head()?.ok_or_else(|| {
        crate::error::user_error(
            "this repository has no commits yet, so no line has a history",
            "commit first; `lineage status` shows the pending AI edits meanwhile",
        )
    })?;
    let options = BlameOptions {
        ranges: vec![format!("{first},{last}")],
        ..BlameOptions::default()
    };
    let report = blame::blame(repo, None, &options, path, head)?;
    let prompts = Settings::load(repo).0.prompts;
    let notes = Notes::open(repo)?;
    let mut parsed: HashMap<ObjectId, ParsedNote> = HashMap::new();
    let mut texts: HashMap<(ObjectId, String), Vec<String>> = HashMap::new();
    let mut signatures: HashMap<ObjectId, String> = HashMap::new();
    let mut answers = Vec::new();
    for line in &report.lines {
        let commit = line.commit();
        let committed = !commit.is_zero();
        let (author, committer) = match committed {
            true => {
                let summary = repo.commit_summary(commit)?;
                (Some(summary.author), Some(summary.committer))
            }
            false => (None, None),
        };
        let note = match committed {
            true => {
                if let std::collections::hash_map::Entry::Vacant(slot) = parsed.entry(commit) {
                    slot.insert(notes.read(commit)?);
                }
                parsed.get(&commit)
            }
            false => None,
        };
        let ai = match &line.ai {
            None => None,
            Some(origin) if committed => {
                let edit = note.and_then(|n| n.edits().find(|e| e.id == origin.source.record));
                match edit {
                    Some(edit) => {
                        let key = (commit, line.blamed.source.orig_path.to_string());
                        if !texts.contains_key(&key) {
                            let text = repo.text_in_commit(commit, &key.1)?.unwrap_or_default();
                            texts.insert(key.clone(), text.lines().map(String::from).collect());
                        }
                        let text = texts.get(&key).map(Vec::as_slice).unwrap_or_default();
                        Some(committed_answers(line, edit, note, text))
                    }
                    None => None,
                }
            }
            Some(_) => pending_answers(repo, line, prompts)?,
        };
        let attribution = match (&line.ai, &ai) {
            (Some(_), None) => Attribution::Unknown,
            _ => line.attribution,
        };
        let short = commit.abbrev(12);
        let reason = match (attribution, committed) {
            (Attribution::Ai, true) => {
                format!("an AI edit recorded by lineage holds this line in commit {short}")
            }
            (Attribution::Ai, false) => "not committed yet; a pending AI edit in the journal holds it".into(),
            (Attribution::Human, true) => {
                format!("lineage processed commit {short} and no AI edit holds this line: a person wrote it")
            }
            (Attribution::Human, false) => "not committed yet, and no pending AI edit holds it".into(),
            (Attribution::Unknown, _) => format!(
                "commit {short} was made where lineage was not watching (before `lineage init`, or without its hooks): who wrote it is unknown"
            ),
        };
        answers.push(Explanation {
            file: path.to_string(),
            line: line.blamed.line,
            content: line.blamed.content.to_string(),
            attribution,
            commit: committed.then_some(commit),
            author,
            committer,
            reason,
            ai,
            review: note.and_then(|n| {
                let reviews: Vec<ReviewRecord> = n
                    .records
                    .iter()
                    .filter_map(|r| match r {
                        crate::model::NoteRecord::Review(r) => Some(r.clone()),
                        _ => None,
                    })
                    .collect();
                review_status(&reviews).cloned()
            }),
            signature: match committed {
                true => Some(signature_of(repo, commit, note, &mut signatures)?),
                false => None,
            },
        });
    }
    Ok(answers)
}

/// The verdict of `lineage verify` on the note of `commit`, once per commit.
fn signature_of(
    repo: &Repo,
    commit: ObjectId,
    note: Option<&ParsedNote>,
    known: &mut HashMap<ObjectId, String>,
) -> Result<String> {
    if let Some(verdict) = known.get(&commit) {
        return Ok(verdict.clone());
    }
    let signed = note.is_some_and(|n| {
        n.records
            .iter()
            .any(|r| matches!(r, crate::model::NoteRecord::Sig(_)))
    });
    let verdict = match (signed, crate::query::verify::allowed_signers(repo)) {
        (false, _) => "unsigned".to_string(),
        (true, Err(_)) => "not checked (signed, but git has no gpg.ssh.allowedSignersFile)".to_string(),
        (true, Ok(_)) => crate::query::verify::verify(repo, &[commit])?
            .first()
            .map_or_else(|| "unsigned".to_string(), |v| v.verdict.as_str().to_string()),
    };
    known.insert(commit, verdict.clone());
    Ok(verdict)
}

fn committed_answers(
    line: &Line,
    edit: &EditRecord,
    note: Option<&ParsedNote>,
    text: &[String],
) -> AiAnswers {
    let this = line.blamed.orig_line;
    let mut generated = Vec::new();
    let mut omitted = 0;
    for &[first, last] in &edit.ranges {
        for number in first..=last {
            if generated.len() >= MAX_GENERATED {
                omitted += 1;
                continue;
            }
            let content = text
                .get((number as usize).wrapping_sub(1))
                .cloned()
                .unwrap_or_default();
            generated.push(GeneratedLine {
                line: number,
                content,
                this: number == this,
                modified: ranges_contain(&edit.modified, number),
            });
        }
    }
    let prompt = match &edit.prompt_id {
        None => PromptAnswer {
            id: None,
            kept: "none",
            text: None,
        },
        Some(id) => match note.and_then(|n| n.prompt(id)) {
            Some(p) => PromptAnswer {
                id: Some(id.clone()),
                kept: if p.text.is_some() { "full" } else { "hash" },
                text: p.text.clone(),
            },
            // `lineage.prompts=hash` writes the id alone.
            None => PromptAnswer {
                id: Some(id.clone()),
                kept: "hash",
                text: None,
            },
        },
    };
    let origin = line.ai.as_ref();
    AiAnswers {
        record: edit.id.clone(),
        tool: edit.tool.clone(),
        tool_version: edit.tool_version.clone(),
        model: edit.model.clone(),
        session: edit.session.clone(),
        user: edit.user.clone(),
        recorded_at: Some(edit.recorded_at.clone()),
        outcome: origin.map_or(LineOutcome::Accepted, |o| o.outcome),
        evidence: origin.map_or("line", |o| o.source.evidence),
        prompt,
        generated,
        generated_omitted: omitted,
    }
}

/// A pending line's answers, from its journal entry.
/// The prompt as `lineage.prompts` lets it be shown: the journal holds the text until commit.
fn pending_answers(repo: &Repo, line: &Line, prompts: PromptMode) -> Result<Option<AiAnswers>> {
    let Some(origin) = &line.ai else { return Ok(None) };
    let loaded = Journal::of(repo).load()?;
    let Some(entry) = loaded.entries.iter().find(|e| e.id == origin.source.record) else {
        return Ok(None);
    };
    let mut generated: Vec<GeneratedLine> = entry
        .inserted
        .lines()
        .zip(1..)
        .take(MAX_GENERATED)
        .map(|(content, n)| GeneratedLine {
            line: n,
            this: content == line.blamed.content.as_str(),
            content: content.to_string(),
            modified: false,
        })
        .collect();
    // Only the first of identical lines is this one.
    let mut marked = false;
    for g in generated.iter_mut().filter(|g| g.this) {
        g.this = !marked;
        marked = true;
    }
    let prompt = match (&entry.prompt, prompts) {
        (Some(text), PromptMode::Full) => PromptAnswer {
            id: entry.prompt_id(),
            kept: "full",
            text: Some(text.clone()),
        },
        (Some(_), PromptMode::Hash) => PromptAnswer {
            id: entry.prompt_id(),
            kept: "hash",
            text: None,
        },
        (None, _) | (_, PromptMode::None) => PromptAnswer {
            id: None,
            kept: "none",
            text: None,
        },
    };
    Ok(Some(AiAnswers {
        record: entry.id.clone(),
        tool: entry.tool.clone(),
        tool_version: entry.tool_version.clone(),
        model: entry.model.clone(),
        session: entry.session.clone(),
        user: entry.user.clone(),
        recorded_at: Some(entry.recorded_at.clone()),
        outcome: LineOutcome::Pending,
        evidence: "line",
        prompt,
        generated_omitted: entry.inserted.lines().count().saturating_sub(MAX_GENERATED),
        generated,
    }))
}
