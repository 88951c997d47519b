//! What archivers, compressors and binary rewriters do to the files they name: the archive they
//! write, the members they unpack over what is there, the originals they remove.

use super::files::Effect;
use crate::guard::Arg;
use crate::guard::args::{Spec, below, scan, valued};

/// The files `verb` writes, unpacks over or takes away, with the effect on each (empty for a
/// command that is not an archiver or that only reads).
pub(super) fn effects(verb: &str, args: &[Arg]) -> Vec<(Arg, Effect)> {
    let gnu = |short_values: &'static str, long_values: &'static [&'static str]| {
        scan(args, &Spec::gnu(short_values, long_values))
    };
    let owned = |v: Vec<&Arg>| -> Vec<Arg> { v.into_iter().cloned().collect() };
    let mut out: Vec<(Arg, Effect)> = Vec::new();
    let mut all = |v: Vec<Arg>, e: Effect| out.extend(v.into_iter().map(|a| (a, e)));
    match verb {
        "tar" => {
            // Old style `tar cf FILE ...` reads like `tar -cf FILE ...`.
            let mut a: Vec<Arg> = args.to_vec();
            if let Some(first) = a.first_mut()
                && !first.text.starts_with('-')
            {
                first.text = format!("-{}", first.text).into();
            }
            let s = scan(
                &a,
                &Spec::gnu("fCbTXgKLNVH", &["file", "directory", "exclude"]),
            );
            if s.has('c', "create") || s.has('r', "append") || s.has('u', "update") {
                all(
                    s.values('f', "file").map(|v| valued(args, v)).collect(),
                    Effect::Truncates,
                );
            }
            // Extraction writes the members (all, or those named) where it lands.
            if s.has('x', "extract") || s.has_long("get") {
                if let Some(d) = s.value('C', "directory") {
                    all(vec![Arg::known(d)], Effect::Removes { below: true });
                }
                // What the archive holds lands below the directory, over what is there.
                let dir = s.value('C', "directory").unwrap_or(".");
                all(vec![below(args, dir)], Effect::Unpacks);
                all(owned(s.operands.clone()), Effect::Truncates);
            }
            if s.has_long("remove-files") {
                all(owned(s.operands), Effect::TakesAway);
            }
        }
        "qemu-img" if args.first().is_some_and(|a| a.text == "convert") => {
            all(
                args.last().cloned().into_iter().collect(),
                Effect::Truncates,
            );
        }
        // Compressors remove the file they compress (unless told to keep it); and the like.
        "gzip" | "bzip2" | "xz" | "lz4" | "lzma" | "zstd" | "gunzip" | "bunzip2" | "unxz" => {
            let s = gnu("SbTo", &["suffix", "threads", "output"]);
            let keeps = s.has('k', "keep") || s.has('c', "stdout");
            let removes = !keeps && (verb != "zstd" || s.has_long("rm"));
            let below = s.has('r', "recursive");
            if removes {
                // The file is replaced by its compressed (or decompressed) copy: moved away.
                let e = if below {
                    Effect::Removes { below }
                } else {
                    Effect::TakesAway
                };
                all(owned(s.operands.clone()), e);
            }
            // Decompressing `X.gz` writes `X`.
            let decompress = verb.starts_with("gun")
                || verb.starts_with("bun")
                || verb == "unxz"
                || s.has('d', "decompress");
            if decompress && !s.has('c', "stdout") {
                let outs = s
                    .operands
                    .iter()
                    .filter_map(|a| {
                        let t = a.text.as_str();
                        [".gz", ".bz2", ".xz", ".lz4", ".zst", ".lzma", ".z"]
                            .iter()
                            .find_map(|x| t.strip_suffix(x))
                            .map(|v| valued(args, v))
                    })
                    .collect();
                all(outs, Effect::Truncates);
            }
        }
        // Extracting into a place writes what the archive holds there.
        "unzip" => {
            let s = gnu("dxP", &[]);
            if let Some(d) = s.value('d', "\0") {
                all(vec![Arg::known(d)], Effect::Removes { below: true });
            }
            // Without `-o`, unzip asks before it replaces a file, and reading the end of its
            // input (an agent's shell) it answers "none" (`-n` likewise): only new files are made.
            if !s.has_short('l') && !s.has_short('t') && !s.has_short('p') && s.has_short('o') {
                let dir = s.value('d', "\0").unwrap_or(".");
                all(vec![below(args, dir)], Effect::Unpacks);
            }
            all(
                owned(s.operands.into_iter().skip(1).collect()),
                Effect::Truncates,
            );
        }
        "7z" | "7za" | "7zz" if args.iter().any(|a| a.text == "-sdel") => {
            let s = gnu("", &[]);
            all(
                owned(s.operands.into_iter().skip(2).collect()),
                Effect::TakesAway,
            );
        }
        "zip"
            if args.iter().any(|a| {
                a.text == "--move"
                    || (a.text.starts_with('-')
                        && !a.text.starts_with("--")
                        && a.text.contains('m'))
            }) =>
        {
            let s = gnu("", &[]);
            all(owned(s.operands), Effect::TakesAway);
        }
        "strip" | "objcopy" if verb == "strip" || args.len() > 1 => {
            // Rewrites each file in place (objcopy: its output operand), or writes `-o FILE`.
            let s = gnu("oFIOKNRjw", &["output-format", "input-target", "target"]);
            match s.value('o', "\0") {
                Some(o) => all(vec![valued(args, o)], Effect::Truncates),
                None if verb == "strip" => all(owned(s.operands), Effect::Truncates),
                None => all(
                    owned(s.operands.into_iter().skip(1).take(1).collect()),
                    Effect::Truncates,
                ),
            }
        }
        "7z" | "7za" | "7zz" | "zip"
            if matches!(args.first().map(|a| a.text.as_str()), Some("a" | "u"))
                || verb == "zip" =>
        {
            // The archive is written (or rewritten).
            let s = gnu("", &[]);
            let skip = usize::from(verb != "zip");
            all(
                owned(s.operands.into_iter().skip(skip).take(1).collect()),
                Effect::Truncates,
            );
        }
        _ => {}
    }
    out
}
