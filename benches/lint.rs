//! Benchmark: `svcx lint` on generated manifests of 100, 1,000 and 10,000
//! applications (a Deployment and a Service each: ClusterIP, NodePort,
//! LoadBalancer and headless Services mixed, some broken), against checkov
//! (`--framework kubernetes`) and against kubectl merely parsing the same
//! file (`kubectl label --local -f FILE k=v -o name`). Wall time and peak
//! resident memory come from GNU time; svcx and kubectl figures are medians
//! of 3 runs, checkov runs once per size (it takes minutes).
//!
//! checkov is not a dependency of svcx, nor installed by CI; install it for
//! this benchmark only, in a virtual environment:
//!
//!     python3 -m venv /tmp/checkov && /tmp/checkov/bin/pip install checkov
//!     CHECKOV=/tmp/checkov/bin/checkov cargo bench --bench lint
//!
//! Without CHECKOV (or `checkov` on PATH) its column says "not run".
//! SVCX_BENCH_APPS=100,1000 limits the sizes; SVCX_BENCH_CHECKOV_MAX=1000
//! runs checkov only up to that size.

#[path = "shared/mod.rs"]
mod shared;

use std::fmt::Write as _;
use std::path::Path;
use std::process::{Command, Stdio};

const ROUNDS: usize = 3;

#[derive(Clone, Copy)]
struct Sample {
    wall: f64,
    max_rss_kib: u64,
}

/// Runs a command under GNU time (stdout and stderr discarded) and reads
/// wall seconds and peak resident memory from its report. Any exit status
/// is accepted: linters exit non-zero when they find something.
fn measure(program: &str, args: &[&str], report: &Path) -> Sample {
    let mut cmd = Command::new("/usr/bin/time");
    cmd.args(["-f", "%e %M", "-o"])
        .arg(report)
        .arg(program)
        .args(args)
        .env_clear()
        .env("PATH", std::env::var_os("PATH").unwrap_or_default())
        .env("HOME", std::env::temp_dir())
        .stdout(Stdio::null())
        .stderr(Stdio::null());
    cmd.status().expect("/usr/bin/time runs");
    let text = std::fs::read_to_string(report).expect("time wrote its report");
    let last = text.lines().last().unwrap_or_default();
    let mut it = last.split_whitespace();
    Sample {
        wall: it
            .next()
            .and_then(|s| s.parse().ok())
            .expect("wall seconds"),
        max_rss_kib: it.next().and_then(|s| s.parse().ok()).expect("max rss"),
    }
}

fn median_of(runs: usize, mut run: impl FnMut() -> Sample) -> Sample {
    let samples: Vec<Sample> = (0..runs).map(|_| run()).collect();
    Sample {
        wall: shared::median(samples.iter().map(|s| s.wall).collect()),
        max_rss_kib: shared::median(samples.iter().map(|s| s.max_rss_kib).collect()),
    }
}

/// One application: a Deployment and its Service, as charts write them.
/// Every 10th Service is a NodePort (every 20th with a fixed nodePort),
/// every 10th a LoadBalancer, every 20th headless; every 25th has a
/// selector that matches nothing, every 25th a named targetPort the
/// containers do not declare, every 50th an undeclared numeric targetPort.
fn app(out: &mut String, i: usize) {
    let ns = format!("team-{}", i % 10);
    let name = format!("app-{i:05}");
    let (ty, extra) = match i % 20 {
        0 => ("NodePort", format!("\n    nodePort: {}", 30000 + i % 2700)),
        10 => ("NodePort", String::new()),
        1 | 11 => ("LoadBalancer", String::new()),
        2 => ("ClusterIP", String::new()),
        _ => ("ClusterIP", String::new()),
    };
    let headless = if i % 20 == 2 {
        "\n  clusterIP: None"
    } else {
        ""
    };
    let selector = if i % 25 == 3 {
        format!("{name}-typo")
    } else {
        name.clone()
    };
    let target = match i % 50 {
        4 | 29 => "web".to_string(),
        5 => "9090".to_string(),
        _ => "http".to_string(),
    };
    let _ = write!(
        out,
        r#"---
apiVersion: apps/v1
kind: Deployment
metadata:
  name: {name}
  namespace: {ns}
  labels:
    app.kubernetes.io/name: {name}
    app.kubernetes.io/part-of: bench
spec:
  replicas: 2
  selector:
    matchLabels:
      app: {name}
  template:
    metadata:
      labels:
        app: {name}
        app.kubernetes.io/name: {name}
    spec:
      containers:
      - name: app
        image: registry.example/{name}:1.2.3
        ports:
        - name: http
          containerPort: 8080
        - name: metrics
          containerPort: 9100
        env:
        - name: LOG_LEVEL
          value: info
        resources:
          requests: {{cpu: 100m, memory: 128Mi}}
          limits: {{memory: 256Mi}}
        readinessProbe:
          httpGet: {{path: /healthz, port: http}}
---
apiVersion: v1
kind: Service
metadata:
  name: {name}
  namespace: {ns}
  labels:
    app.kubernetes.io/name: {name}
spec:
  type: {ty}{headless}
  selector:
    app: {selector}
  ports:
  - name: http
    port: 80
    targetPort: {target}{extra}
  - name: metrics
    port: 9100
    targetPort: metrics
"#
    );
}

fn generate(apps: usize) -> String {
    let mut out = String::with_capacity(apps * 1600);
    for i in 0..apps {
        app(&mut out, i);
    }
    out
}

fn fmt(s: Option<Sample>) -> String {
    match s {
        Some(s) => format!("{:.2} s, {} MiB", s.wall, s.max_rss_kib / 1024),
        None => "not run".to_string(),
    }
}

fn main() {
    if shared::listing_only() {
        return;
    }
    let sizes: Vec<usize> = std::env::var("SVCX_BENCH_APPS")
        .ok()
        .map(|v| v.split(',').filter_map(|s| s.trim().parse().ok()).collect())
        .unwrap_or_else(|| vec![100, 1000, 10000]);
    let checkov = std::env::var("CHECKOV").ok().or_else(|| {
        Command::new("checkov")
            .arg("--version")
            .stdout(Stdio::null())
            .stderr(Stdio::null())
            .status()
            .ok()
            .filter(|s| s.success())
            .map(|_| "checkov".to_string())
    });
    let checkov_max: usize = std::env::var("SVCX_BENCH_CHECKOV_MAX")
        .ok()
        .and_then(|v| v.parse().ok())
        .unwrap_or(usize::MAX);
    let has_kubectl = Command::new("kubectl")
        .args(["version", "--client"])
        .stdout(Stdio::null())
        .stderr(Stdio::null())
        .status()
        .is_ok_and(|s| s.success());
    let svcx = env!("CARGO_BIN_EXE_svcx");
    let dir = tempfile::tempdir().expect("tempdir");
    let report = dir.path().join("time.txt");
    println!(
        "| apps | file | svcx lint | kubectl label --local (parse) | checkov --framework kubernetes | svcx / kubectl | checkov / svcx |"
    );
    println!("|---|---|---|---|---|---|---|");
    for apps in sizes {
        let text = generate(apps);
        let path = dir.path().join(format!("apps-{apps}.yaml"));
        std::fs::write(&path, &text).expect("writable");
        let file = path.to_str().expect("UTF-8 path");
        let s = median_of(ROUNDS, || {
            measure(
                svcx,
                &[
                    "lint",
                    "--no-config",
                    "--fail-on",
                    "never",
                    "-o",
                    "json",
                    "-f",
                    file,
                ],
                &report,
            )
        });
        let k = has_kubectl.then(|| {
            median_of(ROUNDS, || {
                measure(
                    "kubectl",
                    &["label", "--local", "-f", file, "k=v", "-o", "name"],
                    &report,
                )
            })
        });
        let c = checkov
            .as_deref()
            .filter(|_| apps <= checkov_max)
            .map(|bin| {
                measure(
                    bin,
                    &[
                        "-f",
                        file,
                        "--framework",
                        "kubernetes",
                        "--quiet",
                        "--compact",
                        "-o",
                        "json",
                    ],
                    &report,
                )
            });
        println!(
            "| {apps} | {:.1} MB | {} | {} | {} | {} | {} |",
            text.len() as f64 / 1e6,
            fmt(Some(s)),
            fmt(k),
            fmt(c),
            k.map_or("-".into(), |k| format!("{:.2}×", s.wall / k.wall)),
            c.map_or("-".into(), |c| format!("{:.0}×", c.wall / s.wall)),
        );
    }
}
