//! Directory listings for glob expansion, read once per judgement and bounded: a command that
//! names the same directory in a hundred globs reads it once, and one whose globs would match
//! more entries than [`MAX_ENTRIES`] in all stops being read (the judgement then ends in a deny,
//! `nesting-limit`), so that no command can make the guard slower than the clients wait for it
//! (Gemini CLI and Copilot CLI let a call through when the hook times out).

use std::cell::RefCell;
use std::collections::HashMap;
use std::path::{Path, PathBuf};
use std::rc::Rc;

/// The most directory entries one judgement reads.
pub const MAX_ENTRIES: usize = 200_000;

#[derive(Default)]
struct Listings {
    read: usize,
    exhausted: bool,
    cache: HashMap<PathBuf, Rc<[String]>>,
}

thread_local! {
    static LISTINGS: RefCell<Listings> = RefCell::new(Listings::default());
}

/// Why a directory's names are not known.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Unlisted {
    /// There is no such directory.
    Missing,
    /// It cannot be read, or reading it would pass the judgement's bound.
    Unknown,
}

/// Starts a judgement: an empty cache and a fresh budget.
pub fn begin() {
    LISTINGS.with(|l| *l.borrow_mut() = Listings::default());
}

/// The deny of a judgement that stopped reading directories at the bound (unless `found` has
/// one of the same rule already).
pub fn finding(found: &[crate::hook::decision::Finding]) -> Option<crate::hook::decision::Finding> {
    let limited = found.iter().any(|f| f.rule == "nesting-limit");
    (exhausted() && !limited).then(|| {
        crate::hook::decision::Finding::deny(
            "nesting-limit",
            format!(
                "The command's globs read more than {MAX_ENTRIES} directory entries, more than \
                 so-hook follows, so it is blocked to stay safe. Name the files, or use narrower \
                 patterns."
            ),
        )
    })
}

/// Whether this judgement stopped reading directories at the bound.
pub fn exhausted() -> bool {
    LISTINGS.with(|l| l.borrow().exhausted)
}

/// Counts `n` entries against the judgement's bound (every glob matched against a listing
/// costs its length, cached or not); whether the bound still holds.
fn charge(n: usize) -> bool {
    LISTINGS.with(|l| {
        let mut l = l.borrow_mut();
        l.read = l.read.saturating_add(n);
        if l.read > MAX_ENTRIES {
            l.exhausted = true;
        }
        !l.exhausted
    })
}

/// The names in `dir`, from this judgement's cache or read now.
pub fn names(dir: &Path) -> Result<Rc<[String]>, Unlisted> {
    if exhausted() {
        return Err(Unlisted::Unknown);
    }
    if let Some(hit) = LISTINGS.with(|l| l.borrow().cache.get(dir).cloned()) {
        return if charge(hit.len()) {
            Ok(hit)
        } else {
            Err(Unlisted::Unknown)
        };
    }
    let entries = match std::fs::read_dir(dir) {
        Ok(e) => e,
        Err(e) if e.kind() == std::io::ErrorKind::NotFound => return Err(Unlisted::Missing),
        Err(_) => return Err(Unlisted::Unknown),
    };
    let mut names = Vec::new();
    for e in entries.flatten() {
        if !charge(1) {
            return Err(Unlisted::Unknown);
        }
        names.push(e.file_name().to_string_lossy().into_owned());
    }
    let names: Rc<[String]> = names.into();
    LISTINGS.with(|l| {
        l.borrow_mut()
            .cache
            .insert(dir.to_path_buf(), names.clone())
    });
    Ok(names)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_directory_is_read_once_and_the_bound_holds() {
        let dir = std::env::temp_dir().join(format!("so-hook-listing-{}", std::process::id()));
        let _ = std::fs::remove_dir_all(&dir);
        std::fs::create_dir_all(&dir).unwrap();
        std::fs::write(dir.join("a"), "").unwrap();
        begin();
        assert_eq!(&*names(&dir).unwrap(), ["a".to_string()]);
        std::fs::write(dir.join("b"), "").unwrap();
        // Cached for the rest of the judgement (and counted again: matching costs).
        assert_eq!(names(&dir).unwrap().len(), 1);
        assert_eq!(LISTINGS.with(|l| l.borrow().read), 2);
        assert_eq!(names(&dir.join("none")), Err(Unlisted::Missing));
        LISTINGS.with(|l| l.borrow_mut().read = MAX_ENTRIES);
        begin();
        assert_eq!(names(&dir).unwrap().len(), 2);
        LISTINGS.with(|l| l.borrow_mut().read = MAX_ENTRIES);
        let other = dir.join("sub");
        std::fs::create_dir_all(&other).unwrap();
        std::fs::write(other.join("x"), "").unwrap();
        assert_eq!(names(&other), Err(Unlisted::Unknown));
        assert!(exhausted());
        let _ = std::fs::remove_dir_all(dir);
    }
}
