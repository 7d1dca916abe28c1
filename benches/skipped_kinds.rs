//! Benchmark: what kinds svcx does not read cost. Argo CD's published HA
//! install (tests/corpus/official, about 2 MB, nine tenths of it three
//! CustomResourceDefinitions) against the same file with the CRDs left out,
//! side by side: read in-process (split, parse, type), and `svcx lint -f`
//! as a user runs it. The goal is a ratio within 1.5x: a CRD is checked for
//! syntax and counted, never decoded into a value (docs/performance.md).
//!
//! cargo bench --bench skipped_kinds
//! SVCX_BENCH_BIN=/old/svcx,/new/svcx cargo bench --bench skipped_kinds
//!                                     (other builds' `lint -f`, in the same rounds)

#[path = "shared/mod.rs"]
mod shared;

use std::path::Path;
use std::process::{Command, Stdio};
use std::time::Instant;

const ROUNDS: usize = 15;
const INSTALL: &str =
    "tests/corpus/official/argoproj-argo-cd/argoproj-argo-cd--manifests-ha-install.yaml";

/// The stream without its CustomResourceDefinition documents.
fn without_crds(text: &str) -> String {
    text.split("\n---")
        .filter(|doc| !doc.contains("\nkind: CustomResourceDefinition"))
        .collect::<Vec<_>>()
        .join("\n---")
}

fn run(svcx: &str, path: &Path) -> f64 {
    let start = Instant::now();
    Command::new(svcx)
        .args(["lint", "-f"])
        .arg(path)
        .stdout(Stdio::null())
        .stderr(Stdio::null())
        .status()
        .expect("svcx runs");
    start.elapsed().as_secs_f64()
}

fn load(path: &Path) -> f64 {
    let start = Instant::now();
    let snap = svcx::files::load(
        std::slice::from_ref(&path.to_path_buf()),
        svcx::Scope::AllNamespaces,
        None,
    )
    .expect("the install loads");
    assert!(!snap.services.is_empty());
    start.elapsed().as_secs_f64()
}

fn main() {
    if shared::listing_only() {
        return;
    }
    let full = Path::new(env!("CARGO_MANIFEST_DIR")).join(INSTALL);
    let text = std::fs::read_to_string(&full).expect("the corpus file");
    let dir = tempfile::tempdir().expect("tempdir");
    let slim = dir.path().join("without-crds.yaml");
    std::fs::write(&slim, without_crds(&text)).expect("writable");
    let (mb_full, mb_slim) = (
        text.len() as f64 / 1e6,
        std::fs::metadata(&slim).expect("written").len() as f64 / 1e6,
    );
    let builds: Vec<String> = std::env::var("SVCX_BENCH_BIN")
        .unwrap_or_else(|_| env!("CARGO_BIN_EXE_svcx").into())
        .split(',')
        .map(str::to_string)
        .collect();
    let (mut lf, mut ls) = (Vec::new(), Vec::new());
    let (mut rf, mut rs) = (
        vec![Vec::new(); builds.len()],
        vec![Vec::new(); builds.len()],
    );
    for _ in 0..ROUNDS {
        lf.push(load(&full));
        ls.push(load(&slim));
        for (i, svcx) in builds.iter().enumerate() {
            rf[i].push(run(svcx, &full));
            rs[i].push(run(svcx, &slim));
        }
    }
    let (lf, ls) = (shared::median(lf), shared::median(ls));
    println!(
        "skipped_kinds: Argo CD HA install {mb_full:.2} MB, without its CRDs {mb_slim:.2} MB (medians of {ROUNDS})"
    );
    println!(
        "  load in-process (this build):  {:7.2} ms  vs {:7.2} ms  ratio {:.2}x",
        lf * 1e3,
        ls * 1e3,
        lf / ls
    );
    for ((svcx, rf), rs) in builds.iter().zip(rf).zip(rs) {
        let (rf, rs) = (shared::median(rf), shared::median(rs));
        println!(
            "  {svcx} lint -f:  {:7.2} ms  vs {:7.2} ms  ratio {:.2}x",
            rf * 1e3,
            rs * 1e3,
            rf / rs
        );
    }
}
