//! Reading a hook payload without keeping what no guard reads.
//!
//! A `Write` carries the whole file it writes, a `MultiEdit` its edits, a `PostToolUse` the tool's
//! response: megabytes that the decision never looks at. [`skim`] copies the payload from its
//! reader into memory chunk by chunk, except the values of those keys, which it replaces with
//! `null` as they stream past. Memory then grows with what the guard needs (a command, a patch),
//! not with the payload, and the JSON parser runs over a slice, its fast path.
//!
//! The skimmer only tracks strings, escapes and nesting; it does not validate. Whatever it keeps
//! is parsed by serde_json afterwards, so malformed input is still refused there.

use std::io::Read;

/// Keys whose values no guard reads, at any depth.
const DROPPED: &[&[u8]] = &[
    b"content",
    b"new_string",
    b"old_string",
    b"edits",
    b"new_source",
    b"tool_response",
    b"tool_output",
    // Copilot CLI's `create` and `edit`, and what its tools return.
    b"file_text",
    b"old_str",
    b"new_str",
    b"toolResult",
    // OpenCode's `edit`.
    b"oldString",
    b"newString",
];

/// What the skimmer read.
pub struct Skimmed {
    /// The payload with dropped values replaced by `null`.
    pub bytes: Vec<u8>,
    /// How many bytes came in (capped at `limit + 1`).
    pub read: usize,
}

#[derive(Clone, Copy, PartialEq)]
enum State {
    /// Outside strings.
    Plain,
    /// Inside a string; `escaped` after a backslash.
    Str { escaped: bool },
    /// Skipping a dropped value: a string, or nested brackets at `depth`.
    SkipStr { escaped: bool },
    SkipNested {
        depth: usize,
        in_str: bool,
        escaped: bool,
    },
}

/// Reads at most `limit + 1` bytes from `input`.
pub fn skim<R: Read>(mut input: R, limit: usize) -> std::io::Result<Skimmed> {
    let mut out = Vec::new();
    let mut chunk = vec![0u8; 64 * 1024];
    let mut state = State::Plain;
    // The last string closed in Plain state, and where it started in `out` (a candidate key).
    let mut last_str: Option<(usize, usize)> = None;
    // Set after `"key":` for a dropped key, until the value starts.
    let mut drop_next = false;
    let mut read = 0usize;
    loop {
        let want = chunk.len().min(limit + 1 - read);
        if want == 0 {
            break;
        }
        let n = match input.read(&mut chunk[..want]) {
            Ok(0) => break,
            Ok(n) => n,
            Err(e) if e.kind() == std::io::ErrorKind::Interrupted => continue,
            Err(e) => return Err(e),
        };
        read += n;
        let mut i = 0;
        while i < n {
            let b = chunk[i];
            match state {
                State::Plain => {
                    if drop_next && !b.is_ascii_whitespace() {
                        drop_next = false;
                        match b {
                            b'"' => {
                                state = State::SkipStr { escaped: false };
                                i += 1;
                                continue;
                            }
                            b'{' | b'[' => {
                                state = State::SkipNested {
                                    depth: 1,
                                    in_str: false,
                                    escaped: false,
                                };
                                i += 1;
                                continue;
                            }
                            // A number or a literal is small: kept as it is.
                            _ => {}
                        }
                    }
                    match b {
                        b'"' => {
                            last_str = Some((out.len(), 0));
                            state = State::Str { escaped: false };
                        }
                        b':' => {
                            if let Some((start, end)) = last_str.take() {
                                let key = &out[start + 1..end.saturating_sub(1).max(start + 1)];
                                if DROPPED.contains(&key) {
                                    drop_next = true;
                                }
                            }
                        }
                        _ if !b.is_ascii_whitespace() => last_str = None,
                        _ => {}
                    }
                    out.push(b);
                    i += 1;
                }
                State::Str { escaped } => {
                    // A run of plain string bytes at once.
                    if !escaped {
                        let run = memchr::memchr2(b'"', b'\\', &chunk[i..n]).unwrap_or(n - i);
                        out.extend_from_slice(&chunk[i..i + run]);
                        i += run;
                        if i == n {
                            continue;
                        }
                    }
                    let c = chunk[i];
                    out.push(c);
                    i += 1;
                    state = if escaped {
                        State::Str { escaped: false }
                    } else if c == b'\\' {
                        State::Str { escaped: true }
                    } else {
                        // The closing quote.
                        if let Some((start, _)) = last_str {
                            last_str = Some((start, out.len()));
                        }
                        State::Plain
                    };
                }
                State::SkipStr { escaped } => {
                    if !escaped {
                        let run = memchr::memchr2(b'"', b'\\', &chunk[i..n]).unwrap_or(n - i);
                        i += run;
                        if i == n {
                            continue;
                        }
                    }
                    let c = chunk[i];
                    i += 1;
                    state = if escaped {
                        State::SkipStr { escaped: false }
                    } else if c == b'\\' {
                        State::SkipStr { escaped: true }
                    } else {
                        out.extend_from_slice(b"null");
                        State::Plain
                    };
                }
                State::SkipNested {
                    depth,
                    in_str,
                    escaped,
                } => {
                    i += 1;
                    state = match (in_str, escaped, b) {
                        (true, true, _) => State::SkipNested {
                            depth,
                            in_str: true,
                            escaped: false,
                        },
                        (true, false, b'\\') => State::SkipNested {
                            depth,
                            in_str: true,
                            escaped: true,
                        },
                        (true, false, b'"') => State::SkipNested {
                            depth,
                            in_str: false,
                            escaped: false,
                        },
                        (true, false, _) => state,
                        (false, _, b'"') => State::SkipNested {
                            depth,
                            in_str: true,
                            escaped: false,
                        },
                        (false, _, b'{' | b'[') => State::SkipNested {
                            depth: depth + 1,
                            in_str: false,
                            escaped: false,
                        },
                        (false, _, b'}' | b']') if depth == 1 => {
                            out.extend_from_slice(b"null");
                            State::Plain
                        }
                        (false, _, b'}' | b']') => State::SkipNested {
                            depth: depth - 1,
                            in_str: false,
                            escaped: false,
                        },
                        _ => state,
                    };
                }
            }
        }
    }
    // A value cut off by the end of input: keep what was skipped as an unterminated string, so
    // the parser reports the truncation.
    if matches!(state, State::SkipStr { .. } | State::SkipNested { .. }) {
        out.push(b'"');
    }
    Ok(Skimmed { bytes: out, read })
}

#[cfg(test)]
mod tests {
    use super::*;
    use serde_json::{Value, json};

    fn skimmed(v: &Value) -> Value {
        let text = v.to_string();
        let s = skim(text.as_bytes(), 1 << 30).unwrap();
        assert_eq!(s.read, text.len());
        serde_json::from_slice(&s.bytes).unwrap()
    }

    #[test]
    fn dropped_values_become_null_and_the_rest_is_kept() {
        let v = json!({"tool_name": "Write", "cwd": "/p", "tool_input": {
            "file_path": "/p/a \"quoted\" \\ name", "content": "x\"y\\z".repeat(1000),
            "edits": [{"old_string": "a", "new_string": "b]}"}], "command": "content: \"x\""}});
        let s = skimmed(&v);
        assert_eq!(s["tool_input"]["content"], Value::Null);
        assert_eq!(s["tool_input"]["edits"], Value::Null);
        assert_eq!(s["tool_input"]["file_path"], v["tool_input"]["file_path"]);
        assert_eq!(s["tool_input"]["command"], "content: \"x\"");
        assert_eq!(s["tool_name"], "Write");
    }

    #[test]
    fn a_key_named_like_a_dropped_one_inside_a_string_is_not_a_key() {
        let v = json!({"tool_input": {"command": "echo \"content\": 1", "x": ["content", "a"]}});
        assert_eq!(skimmed(&v), v);
    }

    #[test]
    fn scalar_values_of_dropped_keys_are_kept_and_chunks_do_not_matter() {
        let v = json!({"content": 5, "tool_output": null, "edits": true, "a": "b"});
        assert_eq!(skimmed(&v), v);
        // One byte at a time.
        struct OneByte<'a>(&'a [u8]);
        impl Read for OneByte<'_> {
            fn read(&mut self, buf: &mut [u8]) -> std::io::Result<usize> {
                if self.0.is_empty() || buf.is_empty() {
                    return Ok(0);
                }
                buf[0] = self.0[0];
                self.0 = &self.0[1..];
                Ok(1)
            }
        }
        let v = json!({"tool_input": {"content": "a\\\"b", "command": "ls \"x\""}});
        let text = v.to_string();
        let s = skim(OneByte(text.as_bytes()), 1 << 20).unwrap();
        let back: Value = serde_json::from_slice(&s.bytes).unwrap();
        assert_eq!(back["tool_input"]["command"], "ls \"x\"");
        assert_eq!(back["tool_input"]["content"], Value::Null);
    }

    /// What skimming must give: every value under a dropped key, at any depth, replaced by null
    /// when it is a string, an object or an array.
    fn expected(v: &Value) -> Value {
        match v {
            Value::Object(m) => Value::Object(
                m.iter()
                    .map(|(k, x)| {
                        let dropped = DROPPED.contains(&k.as_bytes())
                            && matches!(x, Value::String(_) | Value::Object(_) | Value::Array(_));
                        (k.clone(), if dropped { Value::Null } else { expected(x) })
                    })
                    .collect(),
            ),
            Value::Array(a) => Value::Array(a.iter().map(expected).collect()),
            other => other.clone(),
        }
    }

    #[test]
    fn random_documents_skim_to_the_expected_value() {
        // A small deterministic generator: nested objects and arrays, keys that are and are not
        // dropped, strings full of quotes, backslashes, brackets and unicode.
        let mut seed = 0x9e37_79b9_7f4a_7c15u64;
        let mut next = move |n: u64| {
            seed ^= seed << 13;
            seed ^= seed >> 7;
            seed ^= seed << 17;
            seed % n
        };
        let keys = [
            "content",
            "command",
            "edits",
            "a",
            "tool_input",
            "new_string",
            "x\"y",
            "content2",
        ];
        let pieces = [
            "\"",
            "\\",
            "{",
            "}",
            "[",
            "]",
            ":",
            ",",
            "é",
            "\u{1F600}",
            "content",
            " ",
            "\n",
        ];
        fn build(
            next: &mut dyn FnMut(u64) -> u64,
            keys: &[&str],
            pieces: &[&str],
            depth: u32,
        ) -> Value {
            match if depth > 3 { next(3) } else { next(6) } {
                0 => Value::String(
                    (0..next(12))
                        .map(|_| pieces[next(pieces.len() as u64) as usize])
                        .collect(),
                ),
                1 => json!(next(1000)),
                2 => json!(next(2) == 0),
                3 | 4 => Value::Object(
                    (0..next(5))
                        .map(|_| {
                            (
                                keys[next(keys.len() as u64) as usize].to_string(),
                                build(next, keys, pieces, depth + 1),
                            )
                        })
                        .collect(),
                ),
                _ => Value::Array(
                    (0..next(4))
                        .map(|_| build(next, keys, pieces, depth + 1))
                        .collect(),
                ),
            }
        }
        for _ in 0..2000 {
            let doc = Value::Object(
                (0..next(4) + 1)
                    .map(|_| {
                        (
                            keys[next(keys.len() as u64) as usize].to_string(),
                            build(&mut next, &keys, &pieces, 0),
                        )
                    })
                    .collect(),
            );
            assert_eq!(skimmed(&doc), expected(&doc), "{doc}");
        }
    }

    #[test]
    fn the_limit_stops_reading_and_truncation_stays_an_error() {
        let v = json!({"content": "x".repeat(1000)});
        let text = v.to_string();
        let s = skim(text.as_bytes(), 100).unwrap();
        assert_eq!(s.read, 101);
        assert!(serde_json::from_slice::<Value>(&s.bytes).is_err());
    }
}
