//! Line ranges as notes store them: sorted `[start, end]` pairs, 1-based and inclusive.

pub type Ranges = Vec<[u32; 2]>;

/// Collapses line numbers (any order, duplicates allowed) into sorted inclusive ranges.
pub fn to_ranges(lines: impl IntoIterator<Item = u32>) -> Ranges {
    let mut sorted: Vec<u32> = lines.into_iter().collect();
    sorted.sort_unstable();
    sorted.dedup();
    let mut ranges: Ranges = Vec::new();
    for line in sorted {
        match ranges.last_mut() {
            Some(last) if last[1] + 1 == line => last[1] = line,
            _ => ranges.push([line, line]),
        }
    }
    ranges
}

/// `ranges` as a reader can trust them: pairs that are no range (`[0, …]`, `[5, 3]`) dropped,
/// the rest sorted and overlapping or adjacent ones merged. Notes come from collaborators and
/// other tools: nothing says their ranges are sorted.
pub fn normalize(mut ranges: Ranges) -> Ranges {
    ranges.retain(|[a, b]| *a >= 1 && a <= b);
    ranges.sort_unstable();
    let mut merged: Ranges = Vec::with_capacity(ranges.len());
    for [a, b] in ranges {
        match merged.last_mut() {
            Some(last) if a <= last[1].saturating_add(1) => last[1] = last[1].max(b),
            _ => merged.push([a, b]),
        }
    }
    merged
}

/// Whether `line` falls in one of `ranges` (which must be sorted, as [`to_ranges`] makes them).
pub fn ranges_contain(ranges: &[[u32; 2]], line: u32) -> bool {
    let after = ranges.partition_point(|r| r[0] <= line);
    after > 0 && ranges[after - 1][1] >= line
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn collapses_runs() {
        assert_eq!(to_ranges([5, 1, 2, 3, 7, 8, 3]), vec![[1, 3], [5, 5], [7, 8]]);
        assert!(to_ranges([]).is_empty());
    }

    #[test]
    fn foreign_ranges_are_normalised() {
        assert_eq!(normalize(vec![[3, 3], [1, 1], [2, 2]]), vec![[1, 3]]);
        assert_eq!(normalize(vec![[5, 9], [0, 2], [7, 3], [6, 12]]), vec![[5, 12]]);
        assert_eq!(normalize(vec![[1, u32::MAX], [4, 4]]), vec![[1, u32::MAX]]);
    }

    #[test]
    fn containment() {
        let r = to_ranges([1, 2, 3, 7, 8]);
        assert!(ranges_contain(&r, 1) && ranges_contain(&r, 3) && ranges_contain(&r, 8));
        assert!(!ranges_contain(&r, 0) && !ranges_contain(&r, 4) && !ranges_contain(&r, 9));
    }
}
