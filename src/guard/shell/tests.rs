use super::*;

/// The simple commands of a program, as their literal words (non-literal words as their source).
fn commands(src: &str) -> Vec<Vec<String>> {
    fn script(s: &Script, out: &mut Vec<Vec<String>>) {
        for item in &s.items {
            for cmd in &item.pipeline.commands {
                match cmd {
                    Command::Simple(sc) => {
                        for w in &sc.words {
                            word(w, out);
                        }
                        if !sc.words.is_empty() {
                            out.push(
                                sc.words
                                    .iter()
                                    .map(|w| w.literal().unwrap_or_else(|| w.raw().to_string()))
                                    .collect(),
                            );
                        }
                    }
                    Command::Compound(c) => {
                        for w in &c.words {
                            word(w, out);
                        }
                        script(&c.body, out);
                    }
                }
            }
        }
    }
    fn word(w: &Word, out: &mut Vec<Vec<String>>) {
        for p in w.parts().iter() {
            match p {
                Part::Subst { script: s, .. } | Part::ProcSubst(s) => script(s, out),
                Part::Param {
                    modifier: Some(m), ..
                } => word(m, out),
                _ => {}
            }
        }
    }
    let mut out = Vec::new();
    script(&parse(src).unwrap().script, &mut out);
    out
}

fn cmd(words: &[&str]) -> Vec<String> {
    words.iter().map(|s| s.to_string()).collect()
}

#[test]
fn operators_split_commands_without_spaces() {
    assert_eq!(
        commands("ls;rm -rf /&&echo a||b|c&d"),
        vec![
            cmd(&["ls"]),
            cmd(&["rm", "-rf", "/"]),
            cmd(&["echo", "a"]),
            cmd(&["b"]),
            cmd(&["c"]),
            cmd(&["d"])
        ]
    );
}

#[test]
fn quotes_and_escapes_are_removed() {
    assert_eq!(
        commands(r#"r''m "-rf" \src"#),
        vec![cmd(&["rm", "-rf", "src"])]
    );
    assert_eq!(
        commands(r#"echo 'a "b"' "c 'd'""#),
        vec![cmd(&["echo", "a \"b\"", "c 'd'"])]
    );
    assert_eq!(commands(r"echo $'\x72m\t'"), vec![cmd(&["echo", "rm\t"])]);
}

#[test]
fn line_continuations_join_words() {
    assert_eq!(
        commands("git push \\\n--force"),
        vec![cmd(&["git", "push", "--force"])]
    );
    assert_eq!(commands("r\\\nm -rf x"), vec![cmd(&["rm", "-rf", "x"])]);
}

#[test]
fn comments_end_at_newline_and_do_not_open_quotes() {
    assert_eq!(
        commands("ls # don't do it\nrm -rf src"),
        vec![cmd(&["ls"]), cmd(&["rm", "-rf", "src"])]
    );
    assert_eq!(commands("echo a#b"), vec![cmd(&["echo", "a#b"])]);
}

#[test]
fn substitutions_are_parsed_as_code() {
    assert_eq!(
        commands("echo $(rm -rf a) `rm -rf b` <(rm -rf c) \"$(rm -rf d)\""),
        vec![
            cmd(&["rm", "-rf", "a"]),
            cmd(&["rm", "-rf", "b"]),
            cmd(&["rm", "-rf", "c"]),
            cmd(&["rm", "-rf", "d"]),
            cmd(&[
                "echo",
                "$(rm -rf a)",
                "`rm -rf b`",
                "<(rm -rf c)",
                "\"$(rm -rf d)\""
            ]),
        ]
    );
    assert_eq!(
        commands("echo \"\\$(rm -rf x)\""),
        vec![cmd(&["echo", "$(rm -rf x)"])]
    );
    assert_eq!(
        commands("echo ${X:-$(rm -rf y)}"),
        vec![
            cmd(&["rm", "-rf", "y"]),
            cmd(&["echo", "${X:-$(rm -rf y)}"])
        ]
    );
}

#[test]
fn arithmetic_shift_is_not_a_heredoc() {
    assert_eq!(
        commands("echo $((1 << 2)); rm -rf a"),
        vec![cmd(&["echo", "$((1 << 2))"]), cmd(&["rm", "-rf", "a"])]
    );
    assert_eq!(commands("(( x = 1 << 3 )); ls"), vec![cmd(&["ls"])]);
}

#[test]
fn heredoc_bodies_are_data_and_the_next_line_is_a_command() {
    let p = parse("cat <<'EOF' > notes.md\nrm -rf /\nEOF\nls").unwrap();
    assert_eq!(p.script.items.len(), 2);
    let Command::Simple(sc) = &p.script.items[0].pipeline.commands[0] else {
        panic!()
    };
    let doc = sc.redirects[0].heredoc.as_ref().unwrap();
    assert!(doc.quoted);
    assert_eq!(doc.raw(), "rm -rf /\n");
    assert_eq!(sc.redirects[1].op, RedirOp::Out);
    assert_eq!(
        commands("cat <<-EOF\n\tx\n\tEOF\nls"),
        vec![cmd(&["cat"]), cmd(&["ls"])]
    );
}

#[test]
fn unquoted_heredoc_substitutions_run() {
    let p = parse("cat <<EOF\n$(rm -rf x)\nEOF").unwrap();
    let Command::Simple(sc) = &p.script.items[0].pipeline.commands[0] else {
        panic!()
    };
    let body = sc.redirects[0]
        .heredoc
        .as_ref()
        .unwrap()
        .body
        .get()
        .unwrap();
    assert!(body.parts().iter().any(|p| matches!(p, Part::Subst { .. })));
}

#[test]
fn compound_commands_expose_their_bodies() {
    assert_eq!(
        commands("if true; then rm -rf a; elif x; then y; else z; fi"),
        vec![
            cmd(&["true"]),
            cmd(&["rm", "-rf", "a"]),
            cmd(&["x"]),
            cmd(&["y"]),
            cmd(&["z"])
        ]
    );
    assert_eq!(
        commands("for f in $(ls); do rm -rf \"$f\"; done"),
        vec![cmd(&["ls"]), cmd(&["rm", "-rf", "\"$f\""])]
    );
    assert_eq!(
        commands("case $x in a|b) rm -rf a;; *) ls;; esac"),
        vec![cmd(&["rm", "-rf", "a"]), cmd(&["ls"])]
    );
    assert_eq!(
        commands("f() { rm -rf a; }; f"),
        vec![cmd(&["rm", "-rf", "a"]), cmd(&["f"])]
    );
    assert_eq!(
        commands("{ ls; } && (cd x; ls)"),
        vec![cmd(&["ls"]), cmd(&["cd", "x"]), cmd(&["ls"])]
    );
    assert_eq!(
        commands("while read l; do echo $l; done < f"),
        vec![cmd(&["read", "l"]), cmd(&["echo", "$l"])]
    );
    assert_eq!(commands("[[ $a < $b && -f x ]] && ls"), vec![cmd(&["ls"])]);
}

#[test]
fn keywords_are_only_keywords_in_command_position() {
    assert_eq!(
        commands("echo if then fi done"),
        vec![cmd(&["echo", "if", "then", "fi", "done"])]
    );
    assert_eq!(commands("\"if\" x"), vec![cmd(&["if", "x"])]);
}

#[test]
fn redirections_are_recognized() {
    let p = parse("echo x 2>&1 >|a &>b 3>>c <d <<<e >&f").unwrap();
    let Command::Simple(sc) = &p.script.items[0].pipeline.commands[0] else {
        panic!()
    };
    let ops: Vec<RedirOp> = sc.redirects.iter().map(|r| r.op).collect();
    assert_eq!(
        ops,
        vec![
            RedirOp::Dup,
            RedirOp::Clobber,
            RedirOp::OutErr,
            RedirOp::Append,
            RedirOp::In,
            RedirOp::HereString,
            RedirOp::OutErr
        ]
    );
    assert_eq!(sc.redirects[3].fd, Some(3));
    assert_eq!(sc.words.len(), 2);
}

#[test]
fn assignments_are_not_commands() {
    let p = parse("A=1 B=\"x y\" cmd; C=(a $(rm -rf z))").unwrap();
    let Command::Simple(sc) = &p.script.items[0].pipeline.commands[0] else {
        panic!()
    };
    assert_eq!(sc.assigns.len(), 2);
    assert_eq!(sc.words[0].literal().as_deref(), Some("cmd"));
    assert_eq!(commands("C=(a $(rm -rf z))"), Vec::<Vec<String>>::new());
}

#[test]
fn broken_input_is_tolerated_and_reported() {
    let p = parse("echo \"abc; rm -rf /").unwrap();
    assert!(!p.issues.is_empty());
    assert_eq!(p.script.items.len(), 1);
    let p = parse("if true; then rm -rf /").unwrap();
    assert!(!p.issues.is_empty());
    assert_eq!(
        commands("if true; then rm -rf /"),
        vec![cmd(&["true"]), cmd(&["rm", "-rf", "/"])]
    );
    assert_eq!(
        commands("echo $(rm -rf /"),
        vec![cmd(&["rm", "-rf", "/"]), cmd(&["echo", "$(rm -rf /"])]
    );
    for bad in [
        ")",
        "fi",
        ";;",
        "|",
        "&& ls",
        "cat <<EOF",
        "${",
        "$((",
        "`",
        "'",
        "a=(",
        "[[",
    ] {
        assert!(parse(bad).is_ok(), "{bad}");
    }
}

#[test]
fn nesting_beyond_the_bound_is_an_error_not_a_crash() {
    let deep = format!("{}x{}", "$(".repeat(1000), ")".repeat(1000));
    assert_eq!(parse(&deep).unwrap_err(), Limit::Deep);
    let deep = "( ".repeat(100_000);
    assert_eq!(parse(&deep).unwrap_err(), Limit::Deep);
    let ok = format!("{}x{}", "$(".repeat(10), ")".repeat(10));
    assert!(parse(&ok).is_ok());
}

#[test]
fn a_program_longer_than_the_walker_follows_stops_while_it_is_parsed() {
    // A 29 MB script was built into a tree of 900 MB before the walker refused it.
    let long = "echo a; ".repeat(MAX_PARSED + 1);
    assert_eq!(parse(&long).unwrap_err(), Limit::Long);
    // The count starts again with each program.
    assert!(parse(&"echo a; ".repeat(1000)).is_ok());
}

#[test]
fn non_ascii_and_invalid_shapes_do_not_panic() {
    for s in [
        "é\\é",
        "$'\\u00e9'",
        "echo \"é",
        "\\",
        "$",
        "a\\\n",
        "<(",
        "{a}>x",
        "2>",
        "\u{0}",
    ] {
        let _ = parse(s);
    }
}

#[test]
fn plain_words_and_words_that_go_on() {
    // Plain words take the short path; a word that goes on past them takes the long one.
    assert_eq!(
        commands("cp a.rs b/c.rs && ls -la"),
        vec![vec!["cp", "a.rs", "b/c.rs"], vec!["ls", "-la"]]
    );
    let parsed = parse("diff a<(sort x) b").unwrap();
    let Command::Simple(sc) = &parsed.script.items[0].pipeline.commands[0] else {
        panic!("not a simple command");
    };
    assert_eq!(sc.words.len(), 3, "{:?}", sc.words);
    assert!(matches!(
        &*sc.words[1].parts(),
        [Part::Lit(a), Part::ProcSubst(_)] if a == "a"
    ));
    assert!(sc.words[0].is_plain("diff"));
}

#[test]
fn a_plain_word_is_its_text_and_the_empty_word_has_no_parts() {
    let plain = Word::plain_text("src/main.rs");
    assert_eq!(plain.raw(), "src/main.rs");
    assert!(matches!(&*plain.parts(), [Part::Lit(s)] if s == "src/main.rs"));
    assert_eq!(plain.plain(), Some("src/main.rs"));
    assert_eq!(plain.literal().as_deref(), Some("src/main.rs"));
    // A parsed word of one literal part equal to its text is the same plain word.
    let same = Word::new("-rf", vec![Part::Lit("-rf".into())]);
    assert_eq!(same.plain(), Some("-rf"));
    let quoted = Word::new("'-rf'", vec![Part::Quoted("-rf".into())]);
    assert_eq!(quoted.plain(), None);
    assert_eq!(quoted.literal().as_deref(), Some("-rf"));
    let empty = Word::default();
    assert!(empty.parts().is_empty());
    assert_eq!(empty.plain(), None);
    assert_eq!(empty.literal().as_deref(), Some(""));
    // Changing a plain word's parts makes them its own.
    let mut w = Word::plain_text(":-x");
    if let Some(Part::Lit(first)) = w.parts_mut().first_mut() {
        *first = "x".into();
    }
    assert!(matches!(&*w.parts(), [Part::Lit(s)] if s == "x"));
    assert_eq!(w.raw(), ":-x");
    // A word of a 150,000-word command costs 24 bytes besides its text (which is inline up to
    // 22 bytes).
    assert_eq!(std::mem::size_of::<Word>(), 24);
}
