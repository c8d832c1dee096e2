//! `lineage blame` output: git-blame-like columns with an AI column, and porcelain.

use std::collections::HashMap;
use std::io::Write;
use std::rc::Rc;

use anyhow::Result;
use unicode_width::UnicodeWidthStr;

use super::{escape, escape_code, tool_model};
use crate::model::ObjectId;
use crate::query::blame::{Attribution, Line, Report};

/// Human output: commit, AI origin and outcome, author, date, line number, then the code. Columns are
/// padded to their widest cell; code is never wrapped. Cells are made once per commit and per
/// record, not per line, and written straight out: a 100,000-line file must print at the
/// speed of git blame.
///
/// With `show_prompt`, a column after the outcome gives the first line of each AI line's prompt.
/// With `colour`, the AI column and the outcome are coloured (ANSI), as git colours blame.
pub fn blame(out: &mut dyn Write, report: &Report, show_prompt: bool, colour: bool) -> Result<()> {
    // Per line: indices into `cells` for its commit, AI and outcome, and author columns.
    let mut cells: Vec<(String, usize)> = Vec::new();
    let mut index: HashMap<CellKey, usize> = HashMap::new();
    let mut cell = |key: CellKey, make: &dyn Fn() -> String| -> usize {
        *index.entry(key).or_insert_with(|| {
            let text = make();
            let width = text.width();
            cells.push((text, width));
            cells.len() - 1
        })
    };
    // Runs of consecutive lines with the same row of cells (few: a run per blame entry and
    // record), and how many lines each covers.
    let mut rows: Vec<([usize; 6], usize)> = Vec::new();
    let mut push = |row: [usize; 6]| match rows.last_mut() {
        Some((last, count)) if *last == row => *count += 1,
        _ => rows.push((row, 1)),
    };
    // Neighbouring lines mostly share commit, record and author: reuse the previous row then.
    let mut previous: Option<(&Line, [usize; 6])> = None;
    for line in &report.lines {
        if let Some((before, row)) = previous
            && Rc::ptr_eq(&before.blamed.source, &line.blamed.source)
            && match (&before.ai, &line.ai) {
                (None, None) => before.attribution == line.attribution,
                (Some(a), Some(b)) => Rc::ptr_eq(&a.source, &b.source) && a.outcome == b.outcome,
                _ => false,
            }
        {
            push(row);
            previous = Some((line, row));
            continue;
        }
        let source = &line.blamed.source;
        let commit = cell(CellKey::Commit(source.commit), &|| {
            if source.commit.is_zero() {
                "--------".to_string()
            } else {
                source.commit.abbrev(8)
            }
        });
        let (ai, outcome) = match &line.ai {
            Some(ai) => {
                let source = Rc::as_ptr(&ai.source) as usize;
                let outcome = if ai.source.evidence == "commit" {
                    "commit-level"
                } else {
                    ai.outcome.as_str()
                };
                (
                    cell(CellKey::Ai(source), &|| {
                        tool_model(&ai.source.tool, ai.source.model.as_deref())
                    }),
                    cell(CellKey::Outcome(outcome), &|| outcome.to_string()),
                )
            }
            None => (
                cell(CellKey::Human(line.attribution.as_str()), &|| {
                    line.attribution.as_str().to_string()
                }),
                cell(CellKey::Outcome(""), &String::new),
            ),
        };
        let author = cell(
            CellKey::Author(Rc::as_ptr(&source.author) as *const u8 as usize),
            &|| escape(&source.author).into_owned(),
        );
        let date = cell(CellKey::Date(source.commit), &|| {
            date(source.author_time, source.commit.is_zero())
        });
        let prompt = match (&line.ai, show_prompt) {
            (Some(ai), true) => cell(CellKey::Prompt(Rc::as_ptr(&ai.source) as usize), &|| {
                ai.source
                    .prompt
                    .as_deref()
                    .map(|p| super::excerpt(p, 39))
                    .unwrap_or_else(|| "-".to_string())
            }),
            _ => cell(CellKey::Outcome(""), &String::new),
        };
        let row = [commit, ai, outcome, prompt, author, date];
        push(row);
        previous = Some((line, row));
    }
    // On a terminal, one long tool/model name must not push every line past its width: the
    // AI column gets at most a third of it.
    if let Some(width) = super::terminal_width() {
        let cap = (width / 3).max(16);
        let ai_cells: std::collections::HashSet<usize> = rows.iter().map(|(r, _)| r[1]).collect();
        for index in ai_cells {
            let (text, w) = &mut cells[index];
            if *w > cap {
                *text = super::truncate(text, cap);
                *w = text.width();
            }
        }
    }
    let mut widths = [0usize; 7];
    for (row, _) in &rows {
        for (width, &cell) in widths.iter_mut().zip(row) {
            *width = (*width).max(cells[cell].1);
        }
    }
    widths[6] = report
        .lines
        .iter()
        .map(|l| l.blamed.line)
        .max()
        .map_or(1, |n| n.to_string().len());

    let spaces = " ".repeat(widths.iter().max().copied().unwrap_or(0) + 1);
    // Lines are written in 64 KiB batches; the columns before the number are the same for a
    // run of lines with one row, and are made once for it.
    let mut batch: Vec<u8> = Vec::with_capacity(1 << 16);
    let mut prefix = String::new();
    let mut prefix_row: Option<&[usize; 6]> = None;
    let each_line = rows
        .iter()
        .flat_map(|(row, count)| std::iter::repeat_n(row, *count));
    for (row, line) in each_line.zip(&report.lines) {
        if prefix_row != Some(row) {
            prefix.clear();
            for (column, &cell) in row.iter().enumerate() {
                // A column empty on every line (the prompt, unless asked for) takes no room.
                if widths[column] == 0 {
                    continue;
                }
                let (cell, width) = &cells[cell];
                let paint = match (colour, column, line.attribution) {
                    (false, ..) => None,
                    (true, 1, Attribution::Ai) => Some(CYAN),
                    (true, 1, Attribution::Unknown) => Some(DIM),
                    (true, 2, _) => match cell.as_str() {
                        "modified" => Some(YELLOW),
                        "pending" => Some(MAGENTA),
                        "" => None,
                        _ => Some(GREEN),
                    },
                    _ => None,
                };
                match paint {
                    Some(code) if !cell.is_empty() => {
                        prefix.push_str(code);
                        prefix.push_str(cell);
                        prefix.push_str(RESET);
                    }
                    _ => prefix.push_str(cell),
                }
                prefix.push_str(&spaces[..widths[column] - width + 1]);
            }
            prefix_row = Some(row);
        }
        let start = batch.len();
        batch.extend_from_slice(prefix.as_bytes());
        push_number(&mut batch, line.blamed.line, widths[6]);
        batch.extend_from_slice(" │ ".as_bytes());
        batch.extend_from_slice(escape_code(&line.blamed.content).as_bytes());
        let kept = batch[start..].trim_ascii_end().len();
        batch.truncate(start + kept);
        batch.push(b'\n');
        if batch.len() >= 1 << 16 {
            out.write_all(&batch)?;
            batch.clear();
        }
    }
    out.write_all(&batch)?;
    Ok(())
}

/// `--json`: byte for byte what serde writes for the report (DESIGN §3.1), made faster. A
/// line's fields other than its numbers and text are the same along a run of lines (one
/// blame source, one AI origin): they are serialised once per run and copied, and the output
/// goes out in 64 KiB batches. Every string still goes through serde_json's escaping.
pub fn blame_json(out: &mut dyn Write, report: &Report) -> Result<()> {
    let mut batch: Vec<u8> = Vec::with_capacity(1 << 17);
    write!(batch, "{{\"schema\":{},\"file\":", super::JSON_SCHEMA)?;
    serde_json::to_writer(&mut batch, &report.file)?;
    batch.extend_from_slice(b",\"rev\":");
    serde_json::to_writer(&mut batch, &report.rev)?;
    batch.extend_from_slice(b",\"lines\":[");
    // The line whose source and origin the run's shared fields were made for, and the fields:
    // `,"commit":…,"orig_path":…,"orig_line":` and `,"author":…,"content":` of the source,
    // `,"attribution":…,"ai":…,"review":…}` of the origin.
    let mut made_for: Option<&Line> = None;
    let (mut head, mut author, mut tail) = (Vec::new(), Vec::new(), Vec::new());
    for (i, line) in report.lines.iter().enumerate() {
        let b = &line.blamed;
        let previous = made_for.filter(|p| Rc::ptr_eq(&p.blamed.source, &b.source));
        if previous.is_none() {
            head.clear();
            head.extend_from_slice(b",\"commit\":");
            serde_json::to_writer(&mut head, &b.source.commit)?;
            head.extend_from_slice(b",\"orig_path\":");
            serde_json::to_writer(&mut head, &*b.source.orig_path)?;
            head.extend_from_slice(b",\"orig_line\":");
            author.clear();
            author.extend_from_slice(b",\"author\":");
            serde_json::to_writer(&mut author, &*b.source.author)?;
            author.extend_from_slice(b",\"content\":");
        }
        if !previous.is_some_and(|p| same_origin(p, line)) {
            tail.clear();
            tail.extend_from_slice(b",\"attribution\":");
            serde_json::to_writer(&mut tail, &line.attribution)?;
            tail.extend_from_slice(b",\"ai\":");
            serde_json::to_writer(&mut tail, &line.ai)?;
            tail.extend_from_slice(b",\"review\":");
            serde_json::to_writer(&mut tail, &line.review.as_deref())?;
            tail.push(b'}');
        }
        made_for = Some(line);
        if i > 0 {
            batch.push(b',');
        }
        batch.extend_from_slice(b"{\"line\":");
        push_number(&mut batch, b.line, 0);
        batch.extend_from_slice(&head);
        push_number(&mut batch, b.orig_line, 0);
        batch.extend_from_slice(&author);
        serde_json::to_writer(&mut batch, b.content.as_str())?;
        batch.extend_from_slice(&tail);
        if batch.len() >= 1 << 16 {
            out.write_all(&batch)?;
            batch.clear();
        }
    }
    batch.extend_from_slice(b"]}\n");
    out.write_all(&batch)?;
    Ok(())
}

/// Whether two lines have the same attribution, AI origin (the same record, the same outcome)
/// and review verdict.
fn same_origin(a: &Line, b: &Line) -> bool {
    let ai = match (&a.ai, &b.ai) {
        (None, None) => true,
        (Some(x), Some(y)) => Rc::ptr_eq(&x.source, &y.source) && x.outcome == y.outcome,
        _ => false,
    };
    ai && a.attribution == b.attribution && a.review == b.review
}

/// `n` in decimal, right-aligned in `width` columns.
fn push_number(out: &mut Vec<u8>, n: u32, width: usize) {
    let mut digits = [0u8; 10];
    let mut first = digits.len();
    let mut rest = n;
    loop {
        first -= 1;
        digits[first] = b'0' + (rest % 10) as u8;
        rest /= 10;
        if rest == 0 {
            break;
        }
    }
    let digits = &digits[first..];
    out.extend(std::iter::repeat_n(b' ', width.saturating_sub(digits.len())));
    out.extend_from_slice(digits);
}

const CYAN: &str = "\x1b[36m";
const GREEN: &str = "\x1b[32m";
const YELLOW: &str = "\x1b[33m";
const MAGENTA: &str = "\x1b[35m";
const DIM: &str = "\x1b[2m";
const RESET: &str = "\x1b[0m";

/// What a table cell is made from: cells repeat, by commit, record and author.
#[derive(PartialEq, Eq, Hash)]
enum CellKey {
    Commit(ObjectId),
    Ai(usize),
    /// `human` or `unknown`.
    Human(&'static str),
    Outcome(&'static str),
    Author(usize),
    Date(ObjectId),
    Prompt(usize),
}

/// The author date as `git blame` shows it in short form (`2026-11-02`), in UTC.
fn date(seconds: i64, uncommitted: bool) -> String {
    match (uncommitted, chrono::DateTime::from_timestamp(seconds, 0)) {
        (false, Some(when)) => when.format("%Y-%m-%d").to_string(),
        _ => String::new(),
    }
}

/// One tab-separated line per line: commit, line, AI tool, model, outcome (`human` or
/// `unknown` for a line no AI record holds), record, evidence (`line` or `commit`); `-` where
/// there is no AI record. Fields are escaped, so a tab or a
/// newline in a note cannot forge a field or a row.
pub fn blame_porcelain(out: &mut dyn Write, report: &Report) -> Result<()> {
    for line in &report.lines {
        let (tool, model, outcome, record, evidence) = match &line.ai {
            Some(ai) => (
                ai.source.tool.as_str(),
                ai.source.model.as_deref().unwrap_or("-"),
                ai.outcome.as_str(),
                ai.source.record.as_str(),
                ai.source.evidence,
            ),
            None => ("-", "-", line.attribution.as_str(), "-", "-"),
        };
        writeln!(
            out,
            "{}\t{}\t{}\t{}\t{outcome}\t{}\t{evidence}",
            line.commit(),
            line.blamed.line,
            escape(tool),
            escape(model),
            escape(record)
        )?;
    }
    Ok(())
}

/// git blame's own porcelain (`raw`, as git printed it), byte for byte, with lineage's
/// answers for each line as extra header lines right before its content line (git's format
/// lets parsers skip headers they do not know). Values are escaped, so a note cannot forge a
/// header or a line.
pub fn blame_git_porcelain(out: &mut dyn Write, raw: &[u8], report: &Report) -> Result<()> {
    let by_line: HashMap<u32, &Line> = report.lines.iter().map(|l| (l.blamed.line, l)).collect();
    // The final line number of the entry being read (third field of its first header line).
    let mut current: Option<u32> = None;
    for piece in raw.split_inclusive(|&b| b == b'\n') {
        if piece.first() == Some(&b'\t') {
            if let Some(line) = current.take().and_then(|n| by_line.get(&n)) {
                write_lineage_headers(out, line)?;
            }
        } else if let Some(final_line) = entry_start(piece) {
            current = Some(final_line);
        }
        out.write_all(piece)?;
    }
    Ok(())
}

/// The final line number of a porcelain entry's first header (`<id> <orig> <final> [<n>]`).
fn entry_start(header: &[u8]) -> Option<u32> {
    let text = std::str::from_utf8(header).ok()?.trim_end();
    let mut fields = text.split(' ');
    let id = fields.next()?;
    if !(id.len() == 40 || id.len() == 64) || !id.bytes().all(|b| b.is_ascii_hexdigit()) {
        return None;
    }
    fields.next()?.parse::<u32>().ok()?;
    fields.next()?.parse().ok()
}

fn write_lineage_headers(out: &mut dyn Write, line: &Line) -> Result<()> {
    if let Some(review) = &line.review {
        writeln!(out, "lineage-review {}", escape(review))?;
    }
    let Some(ai) = &line.ai else {
        writeln!(out, "lineage-attribution {}", line.attribution.as_str())?;
        return Ok(());
    };
    let source = &ai.source;
    writeln!(out, "lineage-attribution ai")?;
    writeln!(out, "lineage-tool {}", escape(&source.tool))?;
    writeln!(
        out,
        "lineage-model {}",
        escape(source.model.as_deref().unwrap_or("-"))
    )?;
    writeln!(out, "lineage-outcome {}", ai.outcome.as_str())?;
    writeln!(out, "lineage-record {}", escape(&source.record))?;
    writeln!(out, "lineage-evidence {}", source.evidence)?;
    if let Some(prompt) = &source.prompt_id {
        writeln!(out, "lineage-prompt-id {}", escape(prompt))?;
    }
    if let Some(prompt) = &source.prompt {
        writeln!(out, "lineage-prompt {}", escape(prompt))?;
    }
    Ok(())
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::query::blame::{AiOrigin, AiRecord, BlameLine, BlameSource, LineOutcome, LineText};

    fn line(n: u32, source: &Rc<BlameSource>, text: &str) -> Line {
        Line {
            blamed: BlameLine {
                line: n,
                orig_line: n + 10,
                source: source.clone(),
                content: LineText::of(text.to_string()),
            },
            attribution: Attribution::Human,
            ai: None,
            review: None,
        }
    }

    #[test]
    fn json_is_what_serde_writes_for_the_report() {
        let source = |commit: &str, path: &str, author: &str| {
            Rc::new(BlameSource {
                commit: ObjectId::from_hex(commit).unwrap(),
                orig_path: Rc::from(path),
                author: Rc::from(author),
                author_time: 1,
            })
        };
        let a = source(&"a".repeat(40), "src/\"q\".rs", "Ann \u{1b}[31m");
        let b = source(&"b".repeat(40), "src/b.rs", "Bo");
        let zero = source(&"0".repeat(40), "src/b.rs", "Not Committed Yet");
        let record = |id: &str| {
            Rc::new(AiRecord {
                record: id.to_string(),
                tool: "claude-code".to_string(),
                model: Some("m\"1".to_string()),
                session: None,
                prompt_id: Some("p".to_string()),
                prompt: None,
                evidence: "line",
            })
        };
        let (r1, r2) = (record("r1"), record("r2"));
        let ai = |line: &mut Line, record: &Rc<AiRecord>, outcome| {
            line.attribution = Attribution::Ai;
            line.ai = Some(AiOrigin {
                source: record.clone(),
                outcome,
            });
        };
        let mut lines = vec![
            line(1, &a, "fn main() {"),
            line(2, &a, "\tlet s = \"\\\u{7}\";"),
            line(3, &a, "é 😀"),
            line(4, &b, "x"),
            line(5, &b, ""),
            line(6, &b, "y"),
            line(7, &zero, "z"),
            line(8, &a, "}"),
        ];
        ai(&mut lines[1], &r1, LineOutcome::Accepted);
        ai(&mut lines[2], &r1, LineOutcome::Modified);
        ai(&mut lines[3], &r2, LineOutcome::Modified);
        ai(&mut lines[4], &r1, LineOutcome::Modified);
        lines[5].attribution = Attribution::Unknown;
        lines[5].review = Some(Rc::from("approved"));
        lines[7].review = Some(Rc::from("approved"));
        let report = Report {
            file: "src/\u{1}x.rs".to_string(),
            rev: None,
            lines,
            skipped_notes: Vec::new(),
        };
        let mut fast = Vec::new();
        blame_json(&mut fast, &report).unwrap();
        let mut plain = Vec::new();
        crate::render::json(&mut plain, &report).unwrap();
        assert_eq!(
            String::from_utf8(fast).unwrap(),
            String::from_utf8(plain).unwrap()
        );
        // And with a revision, and no lines at all.
        let empty = Report {
            rev: Some(ObjectId::from_hex(&"c".repeat(40)).unwrap()),
            lines: Vec::new(),
            ..report
        };
        let (mut fast, mut plain) = (Vec::new(), Vec::new());
        blame_json(&mut fast, &empty).unwrap();
        crate::render::json(&mut plain, &empty).unwrap();
        assert_eq!(fast, plain);
    }
}
