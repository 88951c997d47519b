//! Where each value of a JSON text starts, so a diagnostic about `/allowedPaths/2` can name its
//! line and column: serde_json keeps no positions in a `Value`.

use std::collections::HashMap;

/// Where each value of a JSON text starts, by JSON pointer (`/allowedPaths/2`), as (line, column),
/// both 1-based. The text must be valid JSON.
pub fn positions(text: &str) -> HashMap<String, (usize, usize)> {
    struct Scan<'a> {
        b: &'a [u8],
        i: usize,
        line: usize,
        line_start: usize,
        out: HashMap<String, (usize, usize)>,
    }
    impl Scan<'_> {
        fn ws(&mut self) {
            while let Some(&c) = self.b.get(self.i) {
                match c {
                    b'\n' => {
                        self.i += 1;
                        self.line += 1;
                        self.line_start = self.i;
                    }
                    b' ' | b'\t' | b'\r' => self.i += 1,
                    _ => break,
                }
            }
        }
        fn here(&self) -> (usize, usize) {
            // Columns count characters, as editors show them.
            let col = String::from_utf8_lossy(&self.b[self.line_start..self.i])
                .chars()
                .count();
            (self.line, col + 1)
        }
        fn string(&mut self) -> String {
            let start = self.i;
            self.i += 1;
            while let Some(&c) = self.b.get(self.i) {
                self.i += 1;
                match c {
                    b'\\' => self.i += 1,
                    b'"' => break,
                    _ => {}
                }
            }
            serde_json::from_slice(&self.b[start..self.i]).unwrap_or_default()
        }
        fn value(&mut self, pointer: String, depth: usize) {
            self.ws();
            let at = self.here();
            self.out.insert(pointer.clone(), at);
            if depth > 128 {
                return;
            }
            match self.b.get(self.i) {
                Some(b'{') => {
                    self.i += 1;
                    loop {
                        self.ws();
                        match self.b.get(self.i) {
                            Some(b'}') | None => {
                                self.i += 1;
                                break;
                            }
                            Some(b',') => self.i += 1,
                            Some(b'"') => {
                                let key = self.string();
                                self.ws();
                                self.i += 1; // ':'
                                let escaped = key.replace('~', "~0").replace('/', "~1");
                                self.value(format!("{pointer}/{escaped}"), depth + 1);
                            }
                            Some(_) => self.i += 1,
                        }
                    }
                }
                Some(b'[') => {
                    self.i += 1;
                    let mut n = 0;
                    loop {
                        self.ws();
                        match self.b.get(self.i) {
                            Some(b']') | None => {
                                self.i += 1;
                                break;
                            }
                            Some(b',') => self.i += 1,
                            Some(_) => {
                                self.value(format!("{pointer}/{n}"), depth + 1);
                                n += 1;
                            }
                        }
                    }
                }
                Some(b'"') => {
                    self.string();
                }
                Some(_) => {
                    while let Some(&c) = self.b.get(self.i) {
                        if matches!(c, b',' | b'}' | b']') || c.is_ascii_whitespace() {
                            break;
                        }
                        self.i += 1;
                    }
                }
                None => {}
            }
        }
    }
    let mut s = Scan {
        b: text.as_bytes(),
        i: 0,
        line: 1,
        line_start: 0,
        out: HashMap::new(),
    };
    s.value(String::new(), 0);
    s.out
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn positions_follow_pointers() {
        let text = "{\n  \"a\": [1,\n    \"x\"],\n  \"b/c\": {\"d\": null}\n}";
        let p = positions(text);
        assert_eq!(p["/a"], (2, 8));
        assert_eq!(p["/a/1"], (3, 5));
        assert_eq!(p["/b~1c/d"], (4, 16));
    }
}
