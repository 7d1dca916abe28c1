//! Benchmark: reading a large multi-document manifest. `svcx explain -f BIG
//! -o json` (split, parse, type, explain, print) against PyYAML's C loader
//! only parsing the same file (`yaml.load_all(..., CSafeLoader)`), side by
//! side. BIG is every manifest in ../shared/corpus/manifests, concatenated
//! 12 times (about 11 MB, 4,900 documents).
//!
//! It then loads BIG in-process and times the first field-position lookup
//! of every Service and workload: what findings pay when they point at a
//! field (positions are computed on first use).
//!
//! cargo bench --bench explain_files
//! SVCX_BENCH_BIN=/old/svcx,/new/svcx cargo bench --bench explain_files
//!                                     (other builds of svcx, measured in the same rounds)

#[path = "shared/mod.rs"]
mod shared;

use std::path::Path;
use std::process::{Command, Stdio};
use std::time::Instant;

const COPIES: usize = 12;
const ROUNDS: usize = 5;

fn time(cmd: &mut Command) -> f64 {
    let start = Instant::now();
    // svcx's notices (the copies are read as duplicates) are not timed output.
    let status = cmd
        .stdout(Stdio::null())
        .stderr(Stdio::null())
        .status()
        .expect("the command runs");
    assert!(status.success(), "{cmd:?} failed");
    start.elapsed().as_secs_f64()
}

fn main() {
    if shared::listing_only() {
        return;
    }
    let corpus = Path::new(env!("CARGO_MANIFEST_DIR")).join("../shared/corpus/manifests");
    let mut files: Vec<_> = std::fs::read_dir(&corpus)
        .expect("the corpus is beside the project")
        .map(|e| e.expect("a directory entry").path())
        .filter(|p| p.extension().is_some_and(|e| e == "yaml"))
        .collect();
    files.sort();
    let parts: Vec<String> = files
        .iter()
        .map(|f| std::fs::read_to_string(f).expect("readable"))
        .collect();
    let mut big = Vec::new();
    for _ in 0..COPIES {
        big.extend(parts.iter().cloned());
    }
    let big = big.join("\n---\n");
    let dir = tempfile::tempdir().expect("tempdir");
    let path = dir.path().join("big.yaml");
    std::fs::write(&path, &big).expect("writable");
    let mb = big.len() as f64 / 1e6;

    let builds: Vec<String> = std::env::var("SVCX_BENCH_BIN")
        .unwrap_or_else(|_| env!("CARGO_BIN_EXE_svcx").into())
        .split(',')
        .map(str::to_string)
        .collect();
    let peer = "import sys, yaml\nfor _ in yaml.load_all(open(sys.argv[1]), Loader=yaml.CSafeLoader): pass";
    let has_peer = Command::new("python3")
        .args(["-c", "import yaml; assert yaml.__with_libyaml__"])
        .status()
        .is_ok_and(|s| s.success());
    let (mut s, mut p) = (vec![Vec::new(); builds.len()], Vec::new());
    for _ in 0..ROUNDS {
        for (i, svcx) in builds.iter().enumerate() {
            s[i].push(time(
                Command::new(svcx)
                    .args(["explain", "-o", "json", "-f"])
                    .arg(&path),
            ));
        }
        if has_peer {
            p.push(time(Command::new("python3").args(["-c", peer]).arg(&path)));
        }
    }
    println!(
        "explain_files {mb:.1} MB, {COPIES} copies of the corpus manifests (medians of {ROUNDS})"
    );
    let p = has_peer.then(|| shared::median(p));
    for (svcx, s) in builds.iter().zip(s) {
        let s = shared::median(s);
        println!(
            "  {svcx} explain -f BIG -o json: {s:6.3} s  ({:.0} MB/s)",
            mb / s
        );
        if let Some(p) = p {
            println!("    ratio to PyYAML: {:.2}x", s / p);
        }
    }
    if let Some(p) = p {
        println!(
            "  PyYAML CSafeLoader, parse only: {p:6.3} s  ({:.0} MB/s)",
            mb / p
        );
    } else {
        println!("  (peer skipped: python3 with PyYAML's C loader not found)");
    }

    let scope = svcx::Scope::AllNamespaces;
    let (mut loads, mut spans, mut objects) = (Vec::new(), Vec::new(), 0);
    for _ in 0..ROUNDS {
        let start = Instant::now();
        let snap =
            svcx::files::load(std::slice::from_ref(&path), scope.clone(), None).expect("BIG loads");
        loads.push(start.elapsed().as_secs_f64());
        let start = Instant::now();
        let placed = snap
            .services
            .iter()
            .map(|s| s.span_of("spec.ports[0].targetPort"))
            .chain(snap.workloads.iter().map(|w| w.span_of("spec.template")))
            .filter(Option::is_some)
            .count();
        spans.push(start.elapsed().as_secs_f64());
        objects = snap.services.len() + snap.workloads.len();
        assert_eq!(placed, objects, "every object read from text is placed");
    }
    println!(
        "  load in-process (split, parse, type)   {:6.3} s",
        shared::median(loads)
    );
    println!(
        "  first field position of {objects} objects   {:6.3} s",
        shared::median(spans)
    );
}
