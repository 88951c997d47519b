//! Times the shell parser (and the whole command guard) on files, in process.
//!
//! `cargo run --release --example parse_cost -- FILE...` prints, per file, the median time of
//! `shell::parse` and of `guard::check` over enough iterations to run for half a second.

use so_hook::guard::shell::parse;
use so_hook::guard::{GuardContext, check};
use std::path::PathBuf;
use std::time::{Duration, Instant};

fn median(mut f: impl FnMut()) -> Duration {
    let start = Instant::now();
    f();
    let once = start.elapsed().max(Duration::from_nanos(50));
    let n = ((Duration::from_millis(500).as_nanos() / once.as_nanos()) as usize).clamp(5, 200_000);
    let mut samples: Vec<Duration> = (0..n)
        .map(|_| {
            let t = Instant::now();
            f();
            t.elapsed()
        })
        .collect();
    samples.sort();
    samples[n / 2]
}

fn main() {
    let ctx = GuardContext {
        root: PathBuf::from("/work/project"),
        cwd: PathBuf::from("/work/project"),
        temp_roots: vec![PathBuf::from("/tmp")],
        ..Default::default()
    };
    println!("| input | bytes | parse (µs) | parse + judge (µs) |");
    println!("|---|---:|---:|---:|");
    for path in std::env::args().skip(1) {
        let src = std::fs::read_to_string(&path).expect("readable input");
        let parse_t = median(|| {
            let _ = std::hint::black_box(parse(std::hint::black_box(&src)));
        });
        let check_t = median(|| {
            let _ = std::hint::black_box(check(std::hint::black_box(&src), &ctx));
        });
        let name = path.rsplit('/').next().unwrap_or(&path);
        println!(
            "| {name} | {} | {:.2} | {:.2} |",
            src.len(),
            parse_t.as_secs_f64() * 1e6,
            check_t.as_secs_f64() * 1e6
        );
    }
}
