//! A string that keeps short text inside itself instead of on the heap.
//!
//! A shell command is mostly short words, and the guard holds each word twice: as written (in the
//! syntax tree) and as expanded (an argument). With `String`, a 1 MB command of 150,000 words made
//! three heap blocks per word (a 4-byte word costs a 32-byte block): most of the memory and a third
//! of the time of the decision went to `malloc` and `free`. `SmallStr` is the size of a `String`
//! (24 bytes) and holds up to 22 bytes of text without allocating; longer text is a `Box<str>`.

use std::borrow::Borrow;
use std::fmt;
use std::hash::{Hash, Hasher};
use std::ops::Deref;

/// Longest text kept inline.
const INLINE: usize = 22;

/// An immutable string, inline up to 22 bytes. Reads as a `&str` (`Deref`).
#[derive(Clone)]
pub struct SmallStr(Repr);

#[derive(Clone)]
enum Repr {
    /// The first `len` bytes of `bytes` are the text; they were copied from a `&str`, so they are
    /// UTF-8 and `len` falls on a character boundary.
    Inline {
        len: u8,
        bytes: [u8; INLINE],
    },
    Heap(Box<str>),
}

impl SmallStr {
    pub const fn new() -> SmallStr {
        SmallStr(Repr::Inline {
            len: 0,
            bytes: [0; INLINE],
        })
    }

    #[allow(unsafe_code)]
    pub fn as_str(&self) -> &str {
        match &self.0 {
            Repr::Inline { len, bytes } => {
                let bytes = &bytes[..*len as usize];
                // SAFETY: inline bytes are only ever written by `From<&str>`, which copies a whole
                // `&str` (see `Repr::Inline`).
                unsafe { std::str::from_utf8_unchecked(bytes) }
            }
            Repr::Heap(s) => s,
        }
    }

    /// The text is inline (no heap block).
    pub fn is_inline(&self) -> bool {
        matches!(self.0, Repr::Inline { .. })
    }
}

impl Default for SmallStr {
    fn default() -> Self {
        SmallStr::new()
    }
}

impl From<&str> for SmallStr {
    fn from(s: &str) -> Self {
        if s.len() <= INLINE {
            let mut bytes = [0; INLINE];
            bytes[..s.len()].copy_from_slice(s.as_bytes());
            SmallStr(Repr::Inline {
                len: s.len() as u8,
                bytes,
            })
        } else {
            SmallStr(Repr::Heap(s.into()))
        }
    }
}

impl From<String> for SmallStr {
    fn from(s: String) -> Self {
        if s.len() <= INLINE {
            SmallStr::from(s.as_str())
        } else {
            SmallStr(Repr::Heap(s.into_boxed_str()))
        }
    }
}

impl From<char> for SmallStr {
    fn from(c: char) -> Self {
        SmallStr::from(c.encode_utf8(&mut [0; 4]) as &str)
    }
}

impl From<SmallStr> for String {
    fn from(s: SmallStr) -> Self {
        match s.0 {
            Repr::Heap(b) => b.into_string(),
            Repr::Inline { .. } => s.as_str().to_string(),
        }
    }
}

impl Deref for SmallStr {
    type Target = str;
    fn deref(&self) -> &str {
        self.as_str()
    }
}

impl AsRef<std::ffi::OsStr> for SmallStr {
    fn as_ref(&self) -> &std::ffi::OsStr {
        self.as_str().as_ref()
    }
}

impl Borrow<str> for SmallStr {
    fn borrow(&self) -> &str {
        self.as_str()
    }
}

impl PartialEq for SmallStr {
    fn eq(&self, other: &Self) -> bool {
        self.as_str() == other.as_str()
    }
}

impl Eq for SmallStr {}

impl PartialEq<str> for SmallStr {
    fn eq(&self, other: &str) -> bool {
        self.as_str() == other
    }
}

impl PartialEq<&str> for SmallStr {
    fn eq(&self, other: &&str) -> bool {
        self.as_str() == *other
    }
}

impl PartialEq<String> for SmallStr {
    fn eq(&self, other: &String) -> bool {
        self.as_str() == other
    }
}

impl PartialEq<SmallStr> for str {
    fn eq(&self, other: &SmallStr) -> bool {
        self == other.as_str()
    }
}

impl PartialEq<SmallStr> for &str {
    fn eq(&self, other: &SmallStr) -> bool {
        *self == other.as_str()
    }
}

impl PartialOrd for SmallStr {
    fn partial_cmp(&self, other: &Self) -> Option<std::cmp::Ordering> {
        Some(self.cmp(other))
    }
}

impl Ord for SmallStr {
    fn cmp(&self, other: &Self) -> std::cmp::Ordering {
        self.as_str().cmp(other.as_str())
    }
}

impl Hash for SmallStr {
    fn hash<H: Hasher>(&self, state: &mut H) {
        self.as_str().hash(state)
    }
}

impl fmt::Debug for SmallStr {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        fmt::Debug::fmt(self.as_str(), f)
    }
}

impl fmt::Display for SmallStr {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        fmt::Display::fmt(self.as_str(), f)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn short_text_stays_inline_and_long_text_goes_to_the_heap() {
        for s in ["", "a", "rm", "exactly-22-bytes-long!", "ça, é"] {
            let small = SmallStr::from(s);
            assert_eq!(small.as_str(), s);
            assert!(small.is_inline(), "{s:?}");
            assert_eq!(String::from(small.clone()), s);
        }
        for s in ["twenty-three bytes long", "héllo wörld, a longer text"] {
            let small = SmallStr::from(s.to_string());
            assert_eq!(&*small, s);
            assert!(!small.is_inline(), "{s:?}");
            assert_eq!(String::from(small), s);
        }
    }

    #[test]
    fn compares_hashes_and_prints_as_its_text() {
        use std::collections::HashSet;
        let a = SmallStr::from("--force");
        assert_eq!(a, "--force");
        assert_eq!("--force", a);
        assert_eq!(a, "--force".to_string());
        let (a1, b1, long) = (
            SmallStr::from("a"),
            SmallStr::from("b"),
            SmallStr::from("a".repeat(30)),
        );
        assert!(a1 < b1 && long > a1);
        let mut sorted = vec![long.clone(), b1.clone(), a1.clone()];
        sorted.sort();
        assert_eq!(sorted, [a1, long, b1]);
        let set: HashSet<SmallStr> = [a.clone()].into();
        assert!(set.contains("--force"));
        assert_eq!(format!("{a} {a:?}"), "--force \"--force\"");
        assert_eq!(
            std::mem::size_of::<SmallStr>(),
            std::mem::size_of::<String>()
        );
        assert_eq!(SmallStr::from('é'), "é");
    }
}
