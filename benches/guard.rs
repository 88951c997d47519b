//! Micro-benchmarks of the decision's parts, with scaling series: the shell parser over command
//! length and nesting depth, the whole evaluation of typical commands, the scope matcher over
//! manifest size, and path resolution over depth. `cargo bench`; the results (time per element)
//! are summarized in docs/performance.md.

use criterion::{BenchmarkId, Criterion, Throughput, criterion_group, criterion_main};
use so_hook::guard::shell::parse;
use so_hook::hook::call::{Platform, Tool, ToolCall};
use so_hook::hook::evaluate::evaluate;
use so_hook::project::Environment;
use so_hook::project::scope::{AllowedPaths, resolve};
use std::hint::black_box;
use std::path::PathBuf;

/// A command of about `n` bytes: words, quoted strings and operators mixed.
fn command_of(n: usize) -> String {
    let unit = "git status && echo \"done: $HOME\" | tee -a log.txt; ls -la src/ ";
    unit.repeat(n / unit.len() + 1)[..n].to_string()
}

/// A here-doc command of about `n` bytes.
fn heredoc_of(n: usize) -> String {
    let line = "the quick brown fox jumps over the lazy dog, $USER\n";
    format!(
        "cat > notes.txt <<EOF\n{}EOF\n",
        line.repeat(n / line.len() + 1)
    )
}

fn parser(c: &mut Criterion) {
    let mut g = c.benchmark_group("parse/length");
    for n in [1_000, 10_000, 100_000, 1_000_000] {
        for (kind, text) in [("command", command_of(n)), ("heredoc", heredoc_of(n))] {
            g.throughput(Throughput::Bytes(text.len() as u64));
            g.bench_with_input(BenchmarkId::new(kind, n), &text, |b, t| {
                b.iter(|| parse(black_box(t)))
            });
        }
    }
    g.finish();
    let mut g = c.benchmark_group("parse/depth");
    for depth in [1, 8, 16, 31] {
        let text = format!("{}ls{}", "$(".repeat(depth), ")".repeat(depth));
        g.bench_with_input(BenchmarkId::from_parameter(depth), &text, |b, t| {
            b.iter(|| parse(black_box(t)))
        });
    }
    g.finish();
}

fn evaluation(c: &mut Criterion) {
    let root = PathBuf::from("/nonexistent/so-hook-bench");
    let env = Environment::default();
    let call = |command: &str| ToolCall {
        platform: Platform::Claude,
        tool: Tool::Shell {
            command: command.into(),
        },
        agent_id: None,
        root: root.clone(),
        cwd: root.clone(),
    };
    let mut g = c.benchmark_group("evaluate");
    for (name, cmd) in [
        ("benign", "cargo test --workspace && git status"),
        ("destructive", "git push -f origin main"),
        (
            "chain",
            "cd src && cargo fmt && cargo clippy -- -D warnings && cargo test 2>&1 | tee ../t.log; git add -A && git status",
        ),
        (
            "wrapped",
            "sudo -E env FOO=1 timeout 5 bash -c 'ls; rm -fr /tmp/x'",
        ),
    ] {
        let c = call(cmd);
        g.bench_function(name, |b| b.iter(|| evaluate(black_box(&c), &env)));
    }
    g.finish();
    let mut g = c.benchmark_group("evaluate/length");
    // A 1 MB command takes milliseconds: fewer samples keep the run short.
    g.sample_size(20);
    for n in [1_000, 10_000, 100_000, 1_000_000] {
        let c = call(&command_of(n));
        g.throughput(Throughput::Bytes(n as u64));
        g.bench_with_input(BenchmarkId::from_parameter(n), &c, |b, c| {
            b.iter(|| evaluate(black_box(c), &env))
        });
    }
    g.finish();
}

fn scope(c: &mut Criterion) {
    let mut g = c.benchmark_group("scope/patterns");
    for n in [10, 100, 1_000, 10_000] {
        let patterns: Vec<String> = (0..n)
            .map(|i| {
                if i % 2 == 0 {
                    format!("pkg{i}/src/**/*.rs")
                } else {
                    format!("docs/area{i}/")
                }
            })
            .collect();
        g.throughput(Throughput::Elements(n as u64));
        g.bench_with_input(BenchmarkId::from_parameter(n), &patterns, |b, p| {
            b.iter(|| {
                let a = AllowedPaths::new(black_box(p)).unwrap();
                a.matches(black_box("src/lib.rs")) || a.matches(black_box("docs/area1/x.md"))
            })
        });
    }
    g.finish();
    let mut g = c.benchmark_group("scope/path-depth");
    let root = PathBuf::from("/nonexistent/so-hook-bench");
    for depth in [1, 10, 50, 100] {
        let raw = vec!["d"; depth].join("/") + "/f.rs";
        g.throughput(Throughput::Elements(depth as u64));
        g.bench_with_input(BenchmarkId::from_parameter(depth), &raw, |b, raw| {
            b.iter(|| resolve(black_box(raw), &root))
        });
    }
    g.finish();
}

criterion_group!(benches, parser, evaluation, scope);
criterion_main!(benches);
