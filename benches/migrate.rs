//! Benchmark: `svcx migrate-to-gateway`, with its routing check, on two
//! inputs: the largest Ingress set of the corpora (every file of
//! tests/corpus/official and ../shared/corpus that holds an Ingress, in one
//! input), and 1,000 generated ingress-nginx Ingresses (a host each with
//! three paths, every third with TLS, every tenth with a canary: about
//! 15,000 requests checked). Against `svcx lint` on the same input: lint
//! reads the same objects and builds the same model, so the ratio shows
//! what writing the routes and checking every request costs on top. Wall
//! time, medians of alternating runs.
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
    let corpus = dir.path().join("ingresses.yaml");
    std::fs::write(&corpus, parts.join("\n---\n")).expect("writable");
    let generated = dir.path().join("generated.yaml");
    std::fs::write(&generated, ingresses(1000)).expect("writable");
    let inputs = [
        (
            format!(
                "the corpora's Ingresses ({} files, {} KB)",
                files.len(),
                parts.iter().map(String::len).sum::<usize>() / 1000
            ),
            corpus.display().to_string(),
        ),
        (
            "1,000 generated Ingresses".to_string(),
            generated.display().to_string(),
        ),
    ];
    let builds: Vec<String> = std::env::var("SVCX_BENCH_BIN")
        .unwrap_or_else(|_| svcx.into())
        .split(',')
        .map(str::to_string)
        .collect();
    for (what, input) in &inputs {
        run(what, input, &builds);
    }
}

/// Alternating runs of each build on one input, and the table.
fn run(what: &str, input: &str, builds: &[String]) {
    let migrate = |bin: &str| {
        time(Command::new(bin).args([
            "migrate-to-gateway",
            "--gateway-class",
            "eg",
            "-o",
            "json",
            "-f",
            input,
        ]))
    };
    let lint = |bin: &str| time(Command::new(bin).args(["lint", "-o", "json", "-f", input]));
    let mut m = vec![Vec::new(); builds.len()];
    let mut l = vec![Vec::new(); builds.len()];
    for _ in 0..ROUNDS {
        for (i, bin) in builds.iter().enumerate() {
            m[i].push(migrate(bin));
            l[i].push(lint(bin));
        }
    }
    println!("migrate-to-gateway on {what}, medians of {ROUNDS} alternating runs:");
    println!("| build | migrate-to-gateway | lint (same input) | ratio |");
    println!("|---|---|---|---|");
    for (i, bin) in builds.iter().enumerate() {
        let (mm, ll) = (shared::median(m[i].clone()), shared::median(l[i].clone()));
        println!("| {bin} | {mm:.3} s | {ll:.3} s | {:.2}× |", mm / ll);
    }
}

/// `n` ingress-nginx Ingresses in 10 namespaces, each its own host with a
/// `/` and an `/api` Prefix path and an Exact `/healthz`; every third has
/// TLS, every tenth a canary of weight 10 on `/`.
fn ingresses(n: usize) -> String {
    let mut out = String::new();
    for i in 0..n {
        let ns = format!("team-{}", i % 10);
        let tls = if i % 3 == 0 {
            format!("  tls:\n  - hosts: [app-{i:04}.example.com]\n    secretName: app-{i:04}-tls\n")
        } else {
            String::new()
        };
        out.push_str(&format!(
            "---\napiVersion: networking.k8s.io/v1\nkind: Ingress\nmetadata:\n  name: app-{i:04}\n  namespace: {ns}\n\
             spec:\n  ingressClassName: nginx\n{tls}  rules:\n  - host: app-{i:04}.example.com\n    http:\n      paths:\n\
             \x20     - {{path: /, pathType: Prefix, backend: {{service: {{name: web-{i:04}, port: {{number: 80}}}}}}}}\n\
             \x20     - {{path: /api, pathType: Prefix, backend: {{service: {{name: api-{i:04}, port: {{number: 8080}}}}}}}}\n\
             \x20     - {{path: /healthz, pathType: Exact, backend: {{service: {{name: web-{i:04}, port: {{number: 80}}}}}}}}\n"
        ));
        if i % 10 == 0 {
            out.push_str(&format!(
                "---\napiVersion: networking.k8s.io/v1\nkind: Ingress\nmetadata:\n  name: app-{i:04}-canary\n  namespace: {ns}\n\
                 \x20 annotations:\n    nginx.ingress.kubernetes.io/canary: \"true\"\n    nginx.ingress.kubernetes.io/canary-weight: \"10\"\n\
                 spec:\n  ingressClassName: nginx\n  rules:\n  - host: app-{i:04}.example.com\n    http:\n      paths:\n\
                 \x20     - {{path: /, pathType: Prefix, backend: {{service: {{name: web-{i:04}-canary, port: {{number: 80}}}}}}}}\n"
            ));
        }
    }
    out
}
