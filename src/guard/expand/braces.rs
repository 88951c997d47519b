//! Globs and brace expansion: whether a word holds a pattern, and `{a,b}` / `{1..5}` expanded as
//! bash does, within bounds.

use super::*;

/// An unquoted `*`, `?` or `[` in literal text makes it a pattern.
pub(crate) fn has_glob(s: &str) -> bool {
    glob_and_brace(s).0
}

/// Whether literal text has a glob character (see [`has_glob`]) and whether it has a `{`, in one
/// pass (every plain word is asked both).
#[inline(always)]
pub(super) fn glob_and_brace(s: &str) -> (bool, bool) {
    let (mut glob, mut brace) = (false, false);
    for b in s.bytes() {
        match b {
            b'*' | b'?' | b'[' => glob = true,
            b'{' => brace = true,
            _ => {}
        }
    }
    (glob, brace)
}

/// Longest variable value followed; a longer one is taken as unknown.
pub(super) const MAX_VALUE: usize = 64 * 1024;
/// Longest word built from variable values; past it the word is taken as unknown.
pub(super) const MAX_EXPANDED: usize = 1024 * 1024;

/// Most words one brace expansion may produce before the word is taken as unknown.
pub(crate) const MAX_BRACE_WORDS: usize = 256;
/// Most brace groups in one word that are expanded (each could double the words).
pub(super) const MAX_BRACE_GROUPS: usize = 16;

/// Brace expansion (`{a,b}`, `{1..3}`) over the unquoted parts of a word, when it has any.
pub(super) fn braces(word: &Word, whole: &Arg, ends: &[usize]) -> Option<Vec<Arg>> {
    if !word
        .parts()
        .iter()
        .any(|p| matches!(p, Part::Lit(s) if s.contains('{')))
    {
        return None;
    }
    // Each character of the resolved text, and whether it came from unquoted literal text.
    let mut chars: Vec<(char, bool)> = Vec::new();
    let mut start = 0;
    for (part, &end) in word.parts().iter().zip(ends) {
        let active = matches!(part, Part::Lit(_));
        chars.extend(whole.text[start..end].chars().map(|c| (c, active)));
        start = end;
    }
    let mut out = Vec::new();
    let groups = chars
        .iter()
        .filter(|(c, active)| *active && *c == '{')
        .count();
    if groups > MAX_BRACE_GROUPS || !expand(&chars, &mut out) {
        return Some(vec![Arg {
            text: whole.text.clone(),
            exact: false,
            glob: whole.glob,
            feed: None,
        }]);
    }
    if out.len() == 1 && whole.text == out[0] {
        return None;
    }
    Some(
        out.into_iter()
            .map(|text| Arg {
                text: text.into(),
                exact: whole.exact,
                glob: whole.glob,
                feed: None,
            })
            .collect(),
    )
}

/// Appends the expansions of `chars` to `out`; false when there would be too many.
pub(super) fn expand(chars: &[(char, bool)], out: &mut Vec<String>) -> bool {
    let mut open = None;
    for (i, &(c, active)) in chars.iter().enumerate() {
        if !(active && c == '{') {
            continue;
        }
        // Find the matching close and the top-level commas.
        let mut depth = 0;
        let mut commas = Vec::new();
        let mut close = None;
        for (j, &(d, a)) in chars.iter().enumerate().skip(i + 1) {
            if !a {
                continue;
            }
            match d {
                '{' => depth += 1,
                '}' if depth == 0 => {
                    close = Some(j);
                    break;
                }
                '}' => depth -= 1,
                ',' if depth == 0 => commas.push(j),
                _ => {}
            }
        }
        if let Some(j) = close {
            let items = if commas.is_empty() {
                let inner: String = chars[i + 1..j].iter().map(|c| c.0).collect();
                sequence(&inner)
            } else {
                None
            };
            if !commas.is_empty() || items.is_some() {
                open = Some((i, j, commas, items));
                break;
            }
        }
    }
    let Some((i, j, commas, items)) = open else {
        out.push(chars.iter().map(|c| c.0).collect());
        return out.len() <= MAX_BRACE_WORDS;
    };
    let alternatives: Vec<Vec<(char, bool)>> = if let Some(items) = items {
        items
            .into_iter()
            .map(|s| s.chars().map(|c| (c, false)).collect())
            .collect()
    } else {
        let mut bounds = vec![i];
        bounds.extend(commas);
        bounds.push(j);
        bounds
            .windows(2)
            .map(|w| chars[w[0] + 1..w[1]].to_vec())
            .collect()
    };
    for alt in alternatives {
        let mut next = chars[..i].to_vec();
        next.extend(alt);
        next.extend_from_slice(&chars[j + 1..]);
        if !expand(&next, out) {
            return false;
        }
    }
    true
}

/// `{1..5}`, `{a..e}`, `{10..1..2}`: the items of a sequence expression.
pub(crate) fn sequence(inner: &str) -> Option<Vec<String>> {
    let parts: Vec<&str> = inner.split("..").collect();
    if !(2..=3).contains(&parts.len()) {
        return None;
    }
    let step = match parts.get(2) {
        Some(s) => s.parse::<i64>().ok()?.unsigned_abs().max(1) as usize,
        None => 1,
    };
    // More items than the guard follows: a marker list just over the limit, never the real one.
    let too_many =
        |n: usize| (n > MAX_BRACE_WORDS).then(|| vec![String::new(); MAX_BRACE_WORDS + 1]);
    if let (Ok(a), Ok(b)) = (parts[0].parse::<i64>(), parts[1].parse::<i64>()) {
        let n = ((a.abs_diff(b) / step as u64) as usize).saturating_add(1);
        if let Some(marker) = too_many(n) {
            return Some(marker);
        }
        // In i128, `a ± k·step` cannot overflow for any i64 bounds.
        let dir: i128 = if b >= a { 1 } else { -1 };
        return Some(
            (0..n)
                .map(|k| (i128::from(a) + dir * (k as i128) * (step as i128)).to_string())
                .collect(),
        );
    }
    let (a, b) = (parts[0], parts[1]);
    if a.chars().count() == 1 && b.chars().count() == 1 {
        let (a, b) = (a.chars().next()? as u32, b.chars().next()? as u32);
        if let Some(marker) = too_many(a.abs_diff(b) as usize / step + 1) {
            return Some(marker);
        }
        let range: Vec<u32> = if a <= b {
            (a..=b).step_by(step).collect()
        } else {
            (b..=a).rev().step_by(step).collect()
        };
        return Some(
            range
                .into_iter()
                .filter_map(char::from_u32)
                .map(String::from)
                .collect(),
        );
    }
    None
}
