//! Where an edit sits in its file. At record time, the lines around the inserted text (its
//! *place*: the nearest non-trivial line above, and below) are kept with the entry; at commit
//! time they tell the AI's copy of a line from a person's identical or similar one elsewhere,
//! and show an edit that was undone where it was made.

use super::HashMap;
use std::cell::OnceCell;

use super::bind::{MODIFIED_SIMILARITY, resemblance};
use super::keys::{LineKey, ShortKey, is_trivial, line_key, short_key};

/// The nearest non-trivial lines around an edit's inserted text when it was recorded. `above`
/// alone is `None` at the top of the file; both are `None` when the edit was not found.
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq)]
pub struct Place {
    pub above: Option<LineKey>,
    pub below: Option<LineKey>,
}

/// How many non-trivial lines beyond the nearest one are kept on each side of an edit: look-alike
/// places (sibling `except` blocks, one field in several classes) differ a few lines away.
pub const FARTHER: usize = 3;

/// An edit's place, and the short keys of the non-trivial lines beyond it on each side
/// (nearest first, up to [`FARTHER`]): the deeper they agree with a block's surroundings, the
/// surer the place.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct Located {
    pub place: Place,
    pub farther_above: Vec<ShortKey>,
    pub farther_below: Vec<ShortKey>,
}

impl Located {
    /// The place of the edit between `above` and `below`, the non-trivial lines around it,
    /// nearest first. The farther lines of a side are kept only when its nearest line occurs
    /// more than once in the file (`repeated`): a unique line tells the place alone, and the
    /// journal stays small.
    fn between(
        mut above: impl Iterator<Item = LineKey>,
        mut below: impl Iterator<Item = LineKey>,
        repeated: [bool; 2],
    ) -> Located {
        let farther = |side: &mut dyn Iterator<Item = LineKey>, repeated: bool| match repeated {
            true => side.take(FARTHER).map(|k| short_key(&k)).collect(),
            false => Vec::new(),
        };
        let place = Place {
            above: above.next(),
            below: below.next(),
        };
        Located {
            place,
            farther_above: farther(&mut above, repeated[0]),
            farther_below: farther(&mut below, repeated[1]),
        }
    }
}

/// The whole text an edit wrote at one place (a replacement's new text, a written file); the
/// inserted lines are its lines from `first` on (split at `\n`).
#[derive(Debug, Clone, Copy)]
pub struct Written<'a> {
    pub text: &'a str,
    pub first: usize,
    /// The byte offset where `text` starts in the file, when the payload pins it.
    pub offset: Option<usize>,
}

/// Where `inserted` sits in `file_text` (the file right after the edit). The text the edit
/// wrote pins it when it occurs once, even if the inserted lines also occur elsewhere;
/// otherwise the inserted non-trivial lines must occur exactly once.
pub fn locate(file_text: &str, inserted: &str, written: Option<Written<'_>>) -> Located {
    written
        .and_then(|w| by_written(file_text, inserted, w))
        .or_else(|| by_lines(file_text, inserted))
        .unwrap_or_default()
}

fn by_written(file_text: &str, inserted: &str, written: Written<'_>) -> Option<Located> {
    let pinned = written.offset.filter(|&at| {
        file_text
            .get(at..)
            .is_some_and(|rest| rest.starts_with(written.text))
    });
    let at = match pinned {
        Some(at) => at,
        None if written.text.trim().is_empty() => return None,
        None => {
            // An editor may have saved the file with CRLF line ends while the payload has LF.
            let crlf = written.text.replace('\n', "\r\n");
            let once = |pattern: &str| {
                let mut found = file_text.match_indices(pattern).map(|(at, _)| at);
                (found.next(), found.next())
            };
            match once(written.text) {
                (Some(at), None) => at,
                (None, _) if crlf != written.text => match once(&crlf) {
                    (Some(at), None) => at,
                    _ => return None,
                },
                _ => return None,
            }
        }
    };
    let lines: Vec<&str> = file_text.lines().collect();
    let first = file_text.get(..at)?.matches('\n').count() + written.first;
    let count = inserted.lines().count();
    // The inserted lines must be where the written text says (a check on the adapter).
    let here = lines.get(first..first + count)?;
    if here
        .iter()
        .zip(inserted.lines())
        .any(|(a, b)| line_key(a) != line_key(b))
    {
        return None;
    }
    // The non-trivial lines on each side, nearest first: the place and those farther out.
    let non_trivial = |l: &&&str| !is_trivial(l);
    let above: Vec<&str> = lines[..first]
        .iter()
        .rev()
        .filter(non_trivial)
        .take(FARTHER + 1)
        .copied()
        .collect();
    let below: Vec<&str> = lines[first + count..]
        .iter()
        .filter(non_trivial)
        .take(FARTHER + 1)
        .copied()
        .collect();
    // Told by text: hashing every line of the file would cost a large file milliseconds.
    let repeated = |side: &[&str]| {
        side.first()
            .is_some_and(|n| lines.iter().filter(|l| l.trim() == n.trim()).nth(1).is_some())
    };
    Some(Located::between(
        above.iter().map(|l| line_key(l)),
        below.iter().map(|l| line_key(l)),
        [repeated(&above), repeated(&below)],
    ))
}

fn by_lines(file_text: &str, inserted: &str) -> Option<Located> {
    let wanted: Vec<LineKey> = non_trivial_keys(inserted);
    let file: Vec<LineKey> = non_trivial_keys(file_text);
    if wanted.is_empty() || wanted.len() > file.len() {
        return None;
    }
    let mut found = occurrences(&file, &wanted);
    let at = found.next()?;
    if found.next().is_some() {
        return None;
    }
    let repeated =
        |nearest: Option<&LineKey>| nearest.is_some_and(|n| file.iter().filter(|k| *k == n).nth(1).is_some());
    Some(Located::between(
        file[..at].iter().rev().copied(),
        file[at + wanted.len()..].iter().copied(),
        [
            repeated(at.checked_sub(1).map(|i| &file[i])),
            repeated(file.get(at + wanted.len())),
        ],
    ))
}

fn non_trivial_keys(text: &str) -> Vec<LineKey> {
    text.lines().filter(|l| !is_trivial(l)).map(line_key).collect()
}

/// A file's non-trivial lines, indexed once, for looking up many edits' places. Their text is
/// indexed at once (cheap); their keys only when a place must be looked up, since hashing every
/// line of a 12,000-line file costs milliseconds a commit should not pay when each edit's text
/// is simply there.
pub struct FileLines<'a> {
    lines: Vec<&'a str>,
    /// Per trimmed line, where it occurs (up to two).
    by_text: HashMap<&'a str, (usize, Option<usize>)>,
    keyed: OnceCell<Keyed>,
}

struct Keyed {
    keys: Vec<LineKey>,
    /// Per key, where it occurs (up to two: enough to tell "once").
    at: HashMap<LineKey, (usize, Option<usize>)>,
}

/// Notes where `key` occurs: the first two places.
fn note_place<K: std::hash::Hash + Eq>(at: &mut HashMap<K, (usize, Option<usize>)>, key: K, i: usize) {
    at.entry(key)
        .and_modify(|(_, second)| {
            second.get_or_insert(i);
        })
        .or_insert((i, None));
}

impl<'a> FileLines<'a> {
    pub fn of(file_text: &'a str) -> FileLines<'a> {
        let lines: Vec<&str> = file_text.lines().filter(|l| !is_trivial(l)).collect();
        let mut by_text = HashMap::with_capacity_and_hasher(lines.len(), Default::default());
        for (i, line) in lines.iter().enumerate() {
            note_place(&mut by_text, line.trim(), i);
        }
        FileLines {
            lines,
            by_text,
            keyed: OnceCell::new(),
        }
    }

    fn keyed(&self) -> &Keyed {
        self.keyed.get_or_init(|| {
            let keys: Vec<LineKey> = self.lines.iter().map(|l| line_key(l)).collect();
            let mut at = HashMap::with_capacity_and_hasher(keys.len(), Default::default());
            for (i, key) in keys.iter().enumerate() {
                note_place(&mut at, *key, i);
            }
            Keyed { keys, at }
        })
    }

    fn keys(&self) -> &[LineKey] {
        &self.keyed().keys
    }

    /// The index of `key` among the non-trivial lines, when it occurs exactly once.
    fn once(&self, key: LineKey) -> Option<usize> {
        match self.keyed().at.get(&key) {
            Some(&(i, None)) => Some(i),
            _ => None,
        }
    }

    /// Whether the non-trivial lines `own` (trimmed) follow each other at one of the first two
    /// places their first line occurs: `false` may still hold them further down.
    fn seen_holding(&self, own: &[&str]) -> bool {
        let Some(&(first, second)) = own.first().and_then(|l| self.by_text.get(l)) else {
            return false;
        };
        let holds_at = |at: usize| {
            self.lines
                .get(at..at + own.len())
                .is_some_and(|lines| lines.iter().map(|l| l.trim()).eq(own.iter().copied()))
        };
        holds_at(first) || second.is_some_and(holds_at)
    }
}

/// Whether an edit was undone or rewritten where it was made: its place (the line above it)
/// occurs once in `file`, the work tree's file, yet neither next to it (below `above`, or
/// above `below`) nor anywhere as a whole is its text, verbatim or edited. Its lines elsewhere
/// are then a person's, however alike. Unknown places and blank-only edits are never displaced.
pub fn displaced(file: &FileLines<'_>, place: Place, lines: &[&str]) -> bool {
    let own_lines: Vec<&str> = lines.iter().copied().filter(|l| !is_trivial(l)).collect();
    let trimmed: Vec<&str> = own_lines.iter().map(|l| l.trim()).collect();
    // An edit whose text is there, whole, is not displaced: told without any key.
    if own_lines.is_empty() || (place.above.is_none() && place.below.is_none()) || file.seen_holding(&trimmed)
    {
        return false;
    }
    let own: Vec<LineKey> = own_lines.iter().map(|l| line_key(l)).collect();
    let keys = file.keys();
    let is_own = |i: usize| {
        own.contains(&keys[i])
            || own_lines
                .iter()
                .any(|l| resemblance(l, file.lines[i]) >= MODIFIED_SIMILARITY)
    };
    // A side counts only when its line is known and found once; an unknown side decides nothing.
    let mut sides = 0;
    if let Some(above) = place.above {
        let Some(i) = file.once(above) else { return false };
        sides += 1;
        if i + 1 < keys.len() && is_own(i + 1) {
            return false;
        }
    }
    if let Some(below) = place.below {
        let Some(i) = file.once(below) else { return false };
        sides += 1;
        if i > 0 && is_own(i - 1) {
            return false;
        }
    }
    sides > 0 && occurrences(keys, &own).next().is_none()
}

/// Whether the lines around `place` in `file` are next to each other (nothing non-trivial
/// between them, or nothing below the line above when the place was at the end): a deletion
/// made there is in the file. `None` when the place is unknown or not found once.
pub fn closed(file: &FileLines<'_>, place: Place) -> Option<bool> {
    match (place.above, place.below) {
        (Some(above), Some(below)) => {
            let i = file.once(above)?;
            Some(file.keys().get(i + 1) == Some(&below))
        }
        (Some(above), None) => Some(file.once(above)? + 1 == file.keys().len()),
        (None, Some(below)) => Some(file.once(below)? == 0),
        (None, None) => None,
    }
}

/// Where `pattern` starts in `text`, in order: Knuth–Morris–Pratt, linear in both even for
/// files of repeated lines (a sliding comparison was quadratic: 15 s on a 2.5 MB file).
fn occurrences<'a>(text: &'a [LineKey], pattern: &'a [LineKey]) -> impl Iterator<Item = usize> + 'a {
    // failure[i]: the length of the longest proper prefix of pattern[..=i] that is a suffix.
    let mut failure = vec![0usize; pattern.len()];
    let mut k = 0;
    for i in 1..pattern.len() {
        while k > 0 && pattern[i] != pattern[k] {
            k = failure[k - 1];
        }
        if pattern[i] == pattern[k] {
            k += 1;
        }
        failure[i] = k;
    }
    let mut matched = 0;
    text.iter().enumerate().filter_map(move |(i, key)| {
        if pattern.is_empty() {
            return None;
        }
        while matched > 0 && *key != pattern[matched] {
            matched = failure[matched - 1];
        }
        if *key == pattern[matched] {
            matched += 1;
        }
        if matched == pattern.len() {
            matched = failure[matched - 1];
            return Some(i + 1 - pattern.len());
        }
        None
    })
}

/// Where texts occur in a file as whole lines: from a line's start to a line's end (the file's
/// end, for a text without a final newline). The first few texts are looked for with `memmem`
/// (a 12,000-line file is scanned in ~0.05 ms); then the file's lines are indexed by their
/// bytes once, since a thousand entries each scanning a thousand-line file took ~4 ms.
pub struct WholeLines<'a> {
    file: &'a [u8],
    scans: usize,
    index: Option<LineIndex<'a>>,
}

/// A file's lines by their bytes (without the newline), each text's equal lines as a chain.
struct LineIndex<'a> {
    /// Where each line starts, by line number.
    starts: Vec<usize>,
    /// Per line's bytes: the first and the last line that have them.
    ends: HashMap<&'a [u8], (usize, usize)>,
    /// By line number: the next line with the same bytes.
    next: Vec<Option<usize>>,
}

impl<'a> WholeLines<'a> {
    /// Texts looked for by scanning before the file is indexed.
    const SCANS: usize = 4;

    pub fn of(file: &'a [u8]) -> WholeLines<'a> {
        WholeLines {
            file,
            scans: 0,
            index: None,
        }
    }

    /// Whether `text` (not empty) is in the file as whole lines.
    pub fn holds(&mut self, text: &[u8]) -> bool {
        if text.is_empty() {
            return false;
        }
        if self.index.is_none() && self.scans < Self::SCANS {
            self.scans += 1;
            return holds_whole_lines(self.file, text);
        }
        let file = self.file;
        let index = self.index.get_or_insert_with(|| LineIndex::of(file));
        let first_line = text.split(|&b| b == b'\n').next().unwrap_or_default();
        let mut line = index.ends.get(first_line).map(|&(first, _)| first);
        while let Some(at) = line {
            if whole_lines_at(file, index.starts[at], text) {
                return true;
            }
            line = index.next[at];
        }
        false
    }
}

impl<'a> LineIndex<'a> {
    fn of(file: &'a [u8]) -> LineIndex<'a> {
        let mut index = LineIndex {
            starts: Vec::new(),
            ends: HashMap::default(),
            next: Vec::new(),
        };
        let mut start = 0;
        for (number, line) in file.split(|&b| b == b'\n').enumerate() {
            index.starts.push(start);
            index.next.push(None);
            start += line.len() + 1;
            let next = &mut index.next;
            index
                .ends
                .entry(line)
                .and_modify(|(_, last)| {
                    next[*last] = Some(number);
                    *last = number;
                })
                .or_insert((number, number));
        }
        index
    }
}

/// Whether `text` is in `file` as whole lines, by one scan (see [`WholeLines`]).
fn holds_whole_lines(file: &[u8], text: &[u8]) -> bool {
    if text.is_empty() {
        return false;
    }
    let finder = memchr::memmem::Finder::new(text);
    let mut from = 0;
    while let Some(found) = file.get(from..).and_then(|rest| finder.find(rest)) {
        let at = from + found;
        if (at == 0 || file[at - 1] == b'\n') && whole_lines_at(file, at, text) {
            return true;
        }
        // The next match may overlap this one, but it starts at a line's start.
        match memchr::memchr(b'\n', &file[at..]) {
            Some(newline) => from = at + newline + 1,
            None => return false,
        }
    }
    false
}

/// Whether `text` is in `file` at `at`, a line's start, up to a line's end.
fn whole_lines_at(file: &[u8], at: usize, text: &[u8]) -> bool {
    let end = at + text.len();
    file.get(at..).is_some_and(|rest| rest.starts_with(text))
        && (text.ends_with(b"\n") || end == file.len() || file.get(end) == Some(&b'\n'))
}

#[cfg(test)]
mod tests {
    use super::*;

    fn place(above: Option<&str>, below: Option<&str>) -> Place {
        Place {
            above: above.map(line_key),
            below: below.map(line_key),
        }
    }

    #[test]
    fn inserted_lines_found_once_have_a_place() {
        let file = "fn a() {\n    x();\n}\nfn b() {\n    y();\n    z();\n}\nfn c() {}\n";
        assert_eq!(
            locate(file, "    y();\n    z();\n", None).place,
            place(Some("fn b() {"), Some("fn c() {}"))
        );
        assert_eq!(
            locate(file, "fn a() {\n", None).place,
            place(None, Some("x();")),
            "at the top"
        );
        assert_eq!(
            locate("a\nb\na\nb\n", "b\n", None).place,
            Place::default(),
            "twice: unknown"
        );
        assert_eq!(locate(file, "missing();\n", None), Located::default());
        // The lines farther out are kept where the nearest one is repeated in the file.
        let keys = |lines: &[&str]| lines.iter().map(|l| short_key(&line_key(l))).collect::<Vec<_>>();
        let repeated = "fn a() {\n    y();\n}\nfn b() {\n    y();\n    z();\n}\nfn c() {}\n";
        let located = locate(repeated, "    z();\n", None);
        assert_eq!(located.farther_above, keys(&["fn b() {", "y();", "fn a() {"]));
        assert!(located.farther_below.is_empty(), "nothing beyond `fn c() {{}}`");
        let located = locate(file, "    z();\n", None);
        assert!(located.farther_above.is_empty(), "`y();` is there once");
    }

    /// The text an edit wrote pins its place although its inserted line occurs twice.
    #[test]
    fn the_written_text_pins_a_repeated_line() {
        let file = "@cached\ndef base():\n    return 0\n\n\n@cached\ndef a():\n    return 1\n";
        let written = Written {
            text: "\n\n@cached\ndef a():",
            first: 2,
            offset: None,
        };
        assert_eq!(
            locate(file, "@cached\n", Some(written)).place,
            place(Some("return 0"), Some("def a():"))
        );
        let crlf = file.replace('\n', "\r\n");
        assert_eq!(
            locate(&crlf, "@cached\n", Some(written)).place,
            place(Some("return 0"), Some("def a():"))
        );
        assert_eq!(locate(file, "@cached\n", None), Located::default());
    }

    #[test]
    fn an_undone_edit_is_displaced() {
        let ai = [
            "    if not os.path.exists(path):",
            "        return None",
            "    with open(path) as fh:",
        ];
        let at = place(Some("def load(path):"), None);
        let undone = "def load(path):\n    pass\n\n\ndef save(p):\n    if not os.path.exists(path):\n        return None\n";
        assert!(displaced(&FileLines::of(undone), at, &ai));
        let kept = "def load(path):\n    if not os.path.exists(path):\n        return None\n";
        assert!(!displaced(&FileLines::of(kept), at, &ai));
        let edited = "def load(path):\n    if not os.path.isfile(path):\n";
        assert!(
            !displaced(&FileLines::of(edited), at, &ai),
            "edited in place: not displaced"
        );
        let short = ["        pass"];
        let at = place(Some("except ValueError:"), Some("return value"));
        let commented =
            "try:\n    v = int(raw)\nexcept ValueError:\n        pass  # checked\n\nreturn value\n";
        assert!(
            !displaced(&FileLines::of(commented), at, &short),
            "extended in place: not displaced"
        );
        let replaced = "try:\n    v = int(raw)\nexcept ValueError:\n        v = 0\n\nreturn value\n";
        assert!(displaced(&FileLines::of(replaced), at, &short));
        let at = place(Some("def load(path):"), None);
        let moved = "def load(path):\n    pass\n\ndef other():\n    if not os.path.exists(path):\n        return None\n    with open(path) as fh:\n";
        assert!(
            !displaced(&FileLines::of(moved), at, &ai),
            "moved whole: not displaced"
        );
        let twice = "def load(path):\n    pass\ndef load(path):\n";
        assert!(
            !displaced(&FileLines::of(twice), at, &ai),
            "place found twice: unknown"
        );
        assert!(
            !displaced(&FileLines::of(undone), Place::default(), &ai),
            "place unknown"
        );
    }

    #[test]
    fn a_deletion_closes_its_place() {
        let at = place(Some("keep();"), Some("keep_too();"));
        assert_eq!(closed(&FileLines::of("keep();\n\nkeep_too();\n"), at), Some(true));
        assert_eq!(
            closed(&FileLines::of("keep();\ngone();\nkeep_too();\n"), at),
            Some(false)
        );
        assert_eq!(
            closed(&FileLines::of("keep();\nkeep();\nkeep_too();\n"), at),
            None,
            "twice: unknown"
        );
        assert_eq!(
            closed(&FileLines::of("a();\nkeep();\n"), place(Some("keep();"), None)),
            Some(true)
        );
        assert_eq!(
            closed(&FileLines::of("keep_too();\n"), place(None, Some("keep_too();"))),
            Some(true)
        );
    }

    #[test]
    fn occurrences_overlap_and_repeat() {
        let k = |s: &str| line_key(s);
        let text = [k("a"), k("a"), k("a"), k("b"), k("a"), k("a")];
        let found: Vec<usize> = occurrences(&text, &[k("a"), k("a")]).collect();
        assert_eq!(found, vec![0, 1, 4]);
        assert_eq!(occurrences(&text, &[k("b")]).collect::<Vec<_>>(), vec![3]);
    }

    /// A big insertion into a big file of one repeated line stays linear.
    #[test]
    fn repeated_lines_stay_linear() {
        let file = "    x += 1;\n".repeat(60_000);
        let inserted = "    x += 1;\n".repeat(30_000);
        let started = std::time::Instant::now();
        assert_eq!(locate(&file, &inserted, None), Located::default());
        assert!(started.elapsed().as_secs() < 10, "{:?}", started.elapsed());
    }

    #[test]
    fn whole_lines_are_found_only_from_a_line_start_to_a_line_end() {
        let file = b"fn a() {}\n    bc\nbcd\nend";
        let mut indexed = WholeLines::of(file);
        indexed.scans = WholeLines::SCANS;
        for (text, expected, why) in [
            (&b"    bc\n"[..], true, "a line"),
            (b"fn a() {}\n    bc\n", true, "two lines"),
            (b"end", true, "the last line, without its newline"),
            (b"bc\n", false, "the end of a line"),
            (b"bc", false, "the start of a longer line"),
            (b"en", false, "the start of the last line"),
            (b"", false, "nothing"),
            (b"\n\n", false, "no two blank lines"),
        ] {
            assert_eq!(holds_whole_lines(file, text), expected, "scanned: {why}");
            assert_eq!(indexed.holds(text), expected, "indexed: {why}");
        }
        // Matches that overlap: the first "\n\n" does not start a line, the second does.
        assert!(holds_whole_lines(b"a\n\n\na", b"\n\n"));
    }

    proptest::proptest! {
        /// The index answers as the scan does, for files and texts made of a few short lines
        /// (repeated, blank, with or without a final newline).
        #[test]
        fn indexed_whole_lines_answer_as_the_scan_does(
            file in proptest::collection::vec(0usize..5, 0..40),
            file_ends_line in proptest::prelude::any::<bool>(),
            texts in proptest::collection::vec(
                (proptest::collection::vec(0usize..5, 1..4), proptest::prelude::any::<bool>()),
                1..12,
            ),
        ) {
            const LINES: [&str; 5] = ["a", "ab", "", "b", "a b"];
            let join = |lines: &[usize], ends_line: bool| {
                let mut text = lines.iter().map(|&i| LINES[i]).collect::<Vec<_>>().join("\n");
                if ends_line {
                    text.push('\n');
                }
                text.into_bytes()
            };
            let file = join(&file, file_ends_line);
            let mut whole = WholeLines::of(&file);
            for (lines, ends_line) in &texts {
                let text = join(lines, *ends_line);
                proptest::prop_assert_eq!(
                    whole.holds(&text),
                    holds_whole_lines(&file, &text),
                    "{:?} in {:?}",
                    String::from_utf8_lossy(&text),
                    String::from_utf8_lossy(&file)
                );
            }
        }
    }
}
