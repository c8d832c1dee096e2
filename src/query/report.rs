//! What the HTML report shows, computed from the same facts as `stats`: totals, AI share over
//! time, by model, tool, author and path, a per-file heat map, acceptance rates, the prompts
//! that produced the most lines, and the AI lines no approving review covers.

use std::collections::{BTreeMap, HashMap};

use anyhow::Result;
use serde::Serialize;

use crate::git::Repo;
use crate::model::NoteRecord;
use crate::query::history::{self, By, CommitFacts, Figures, Ignore, Tally};

/// Rows of the per-path and per-file tables, and entries of the prompt and unreviewed lists.
pub const TOP: usize = 50;

#[derive(Debug, Serialize)]
pub struct ReportData {
    pub range: String,
    pub commits: usize,
    pub total: Figures,
    pub by_week: Vec<Keyed>,
    pub by_model: Vec<Keyed>,
    pub by_tool: Vec<Keyed>,
    pub by_author: Vec<Keyed>,
    /// The paths with the most lines.
    pub by_path: Vec<Keyed>,
    pub top_prompts: Vec<PromptLines>,
    pub unreviewed: Vec<Unreviewed>,
}

#[derive(Debug, Serialize)]
pub struct Keyed {
    pub key: String,
    #[serde(flatten)]
    pub figures: Figures,
}

#[derive(Debug, Serialize)]
pub struct PromptLines {
    pub prompt_id: String,
    /// The first line of the prompt; `None` when only its hash was kept.
    pub text: Option<String>,
    pub lines: u64,
}

#[derive(Debug, Serialize)]
pub struct Unreviewed {
    pub commit: String,
    pub date: String,
    pub author: String,
    pub summary: String,
    pub ai_lines: u64,
}

fn keyed(rows: BTreeMap<String, Tally>) -> Vec<Keyed> {
    rows.into_iter()
        .map(|(key, tally)| Keyed {
            key,
            figures: tally.into(),
        })
        .collect()
}

/// The report's figures for `range`.
pub fn report(
    repo: &Repo,
    range: Option<&str>,
    paths: &[String],
    ignore: &Ignore,
    progress: &mut dyn FnMut(usize, usize),
) -> Result<ReportData> {
    let mut facts: Vec<CommitFacts> = Vec::new();
    let mut prompts: HashMap<String, (Option<String>, u64)> = HashMap::new();
    history::for_each_commit(repo, range, paths, ignore, progress, &mut |commit, note| {
        for edit in note.edits().filter(|e| history::wanted(&e.file, paths, ignore)) {
            let Some(id) = &edit.prompt_id else { continue };
            let lines: u64 = edit.ranges.iter().map(|[a, b]| u64::from(b - a + 1)).sum();
            let text = note.records.iter().find_map(|r| match r {
                NoteRecord::Prompt(p) if &p.id == id => {
                    p.text.as_deref().and_then(|t| t.lines().next()).map(String::from)
                }
                _ => None,
            });
            let slot = prompts.entry(id.clone()).or_insert((None, 0));
            slot.1 += lines;
            if slot.0.is_none() {
                slot.0 = text;
            }
        }
        facts.push(commit);
        Ok(())
    })?;
    let mut by_path: Vec<Keyed> = keyed(history::group(&facts, By::Path));
    by_path.sort_by(|a, b| b.figures.lines.cmp(&a.figures.lines).then(a.key.cmp(&b.key)));
    by_path.truncate(TOP);
    let mut top_prompts: Vec<PromptLines> = prompts
        .into_iter()
        .map(|(prompt_id, (text, lines))| PromptLines {
            prompt_id,
            text,
            lines,
        })
        .collect();
    top_prompts.sort_by(|a, b| b.lines.cmp(&a.lines).then(a.prompt_id.cmp(&b.prompt_id)));
    top_prompts.truncate(TOP);
    let mut unreviewed: Vec<Unreviewed> = facts
        .iter()
        .filter(|c| !c.approved())
        .map(|c| (c, c.tally().ai()))
        .filter(|(_, ai)| *ai > 0)
        .map(|(c, ai_lines)| Unreviewed {
            commit: c.commit.to_hex(),
            date: history::day(c.author_time),
            author: c.author.clone(),
            summary: c.summary.clone(),
            ai_lines,
        })
        .collect();
    unreviewed.truncate(TOP);
    Ok(ReportData {
        range: range.unwrap_or("HEAD").to_string(),
        commits: facts.len(),
        total: history::total(&facts).into(),
        by_week: keyed(history::group(&facts, By::Week)),
        by_model: keyed(history::group(&facts, By::Model)),
        by_tool: keyed(history::group(&facts, By::Tool)),
        by_author: keyed(history::group(&facts, By::Author)),
        by_path,
        top_prompts,
        unreviewed,
    })
}
