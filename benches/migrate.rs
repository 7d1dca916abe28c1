//! Benchmark: `svcx migrate-to-gateway` on the largest Ingress set of the
//! corpora (every file of tests/corpus/official and ../shared/corpus that
//! holds an Ingress, in one input), with its routing check, against `svcx
//! lint` on the same input: lint reads the same objects and builds the same
//! model, so the ratio shows what writing the routes and checking every
//! request costs on top. Wall time from GNU time, medians of alternating
//! runs.
//!
//!     cargo bench --bench migrate
//!     SVCX_BENCH_BIN=/tmp/svcx-before,/tmp/svcx-after cargo bench --bench migrate
//!
//! With SVCX_BENCH_BIN, each build given (comma-separated paths) runs in
//! turn, to compare two revisions side by side on the same machine.

#[path = "shared/mod.rs"]
mod shared;

use std::path::{Path, PathBuf};
use std::process::{Command, Stdio};
use std::time::Instant;

const ROUNDS: usize = 11;

/// Every YAML file under `dir` that holds an Ingress.
fn ingress_files(dir: &Path, out: &mut Vec<PathBuf>) {
    let Ok(entries) = std::fs::read_dir(dir) else {
        return;
    };
    for e in entries.flatten() {
        let p = e.path();
        if p.is_dir() {
            ingress_files(&p, out);
        } else if p.extension().is_some_and(|x| x == "yaml")
            && std::fs::read_to_string(&p).is_ok_and(|t| t.contains("kind: Ingress\n"))
        {
            out.push(p);
        }
    }
}

/// Seconds one run takes (its output discarded; any exit status counts).
fn time(cmd: &mut Command) -> f64 {
    let start = Instant::now();
    cmd.stdout(Stdio::null())
        .stderr(Stdio::null())
        .status()
        .expect("svcx runs");
    start.elapsed().as_secs_f64()
}

fn main() {
    if shared::listing_only() {
        return;
    }
    let root = Path::new(env!("CARGO_MANIFEST_DIR"));
    let mut files = Vec::new();
    ingress_files(&root.join("tests/corpus/official"), &mut files);
    ingress_files(&root.join("../shared/corpus"), &mut files);
    files.sort();
    // Files svcx refuses as published (invalid YAML) would stop the run.
    let svcx = env!("CARGO_BIN_EXE_svcx");
    files.retain(|f| {
        Command::new(svcx)
            .args(["lint", "-f"])
            .arg(f)
            .stdout(Stdio::null())
            .stderr(Stdio::null())
            .status()
            .is_ok_and(|s| s.code() != Some(2))
    });
    let parts: Vec<String> = files
        .iter()
        .map(|f| std::fs::read_to_string(f).expect("readable"))
        .collect();
    let dir = tempfile::tempdir().expect("tempdir");
    let input = dir.path().join("ingresses.yaml");
    std::fs::write(&input, parts.join("\n---\n")).expect("writable");
    let input = input.display().to_string();
    let builds: Vec<String> = std::env::var("SVCX_BENCH_BIN")
        .unwrap_or_else(|_| svcx.into())
        .split(',')
        .map(str::to_string)
        .collect();
    let migrate = |bin: &str| {
        time(Command::new(bin).args([
            "migrate-to-gateway",
            "--gateway-class",
            "eg",
            "-o",
            "json",
            "-f",
            &input,
        ]))
    };
    let lint = |bin: &str| time(Command::new(bin).args(["lint", "-o", "json", "-f", &input]));
    let mut m = vec![Vec::new(); builds.len()];
    let mut l = vec![Vec::new(); builds.len()];
    for _ in 0..ROUNDS {
        for (i, bin) in builds.iter().enumerate() {
            m[i].push(migrate(bin));
            l[i].push(lint(bin));
        }
    }
    println!(
        "migrate-to-gateway on {} files with Ingresses ({} KB), medians of {ROUNDS} alternating runs:",
        files.len(),
        parts.iter().map(String::len).sum::<usize>() / 1000
    );
    println!("| build | migrate-to-gateway | lint (same input) | ratio |");
    println!("|---|---|---|---|");
    for (i, bin) in builds.iter().enumerate() {
        let (mm, ll) = (shared::median(m[i].clone()), shared::median(l[i].clone()));
        println!("| {bin} | {mm:.3} s | {ll:.3} s | {:.2}× |", mm / ll);
    }
}
