//! Shared test harness: run the svcx binary in isolation and snapshot what a
//! user sees. The environment is cleared (no HOME, no KUBECONFIG), so no test
//! can read a real kubeconfig or reach a real cluster.
#![allow(dead_code)]

mod cluster;
mod terminal;
pub use cluster::{Cluster, assert_only_reads, svcx_on, svcx_with};
pub use terminal::on_a_terminal;

use serde_json::Value;
use std::path::{Path, PathBuf};
use std::process::{Child, Command, Stdio};

/// The crate root, where fixtures and the corpus path are resolved from.
pub fn root() -> &'static Path {
    Path::new(env!("CARGO_MANIFEST_DIR"))
}

/// The third-party corpus that sits beside the project, as a path relative
/// to the crate root (where svcx runs), so reports show it as a user would.
pub fn corpus(rel: &str) -> PathBuf {
    Path::new("../shared/corpus").join(rel)
}

/// insta settings: snapshots live in the top-level `snapshots/` folder.
pub fn settings() -> insta::Settings {
    let mut s = insta::Settings::clone_current();
    s.set_snapshot_path(root().join("snapshots"));
    s.add_filter(&regex_escape(&root().display().to_string()), "[ROOT]");
    s
}

/// Escapes a literal for use in an insta filter.
pub fn regex_escape(s: &str) -> String {
    s.chars()
        .flat_map(|c| {
            if "\\.+*?()|[]{}^$".contains(c) {
                vec!['\\', c]
            } else {
                vec![c]
            }
        })
        .collect()
}

/// What one run of the binary produced.
pub struct Run {
    pub code: i32,
    pub stdout: String,
    pub stderr: String,
}

impl std::fmt::Display for Run {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        write!(
            f,
            "exit: {}\n----- stdout -----\n{}----- stderr -----\n{}",
            self.code, self.stdout, self.stderr
        )
    }
}

/// Runs `svcx ARGS` from the crate root with a cleared environment.
pub fn svcx(args: &[&str]) -> Run {
    svcx_stdin(args, None)
}

/// Runs `svcx ARGS`, feeding `stdin` if given.
pub fn svcx_stdin(args: &[&str], stdin: Option<&str>) -> Run {
    run(args, &[], stdin)
}

/// Runs `svcx ARGS` with these variables added to the cleared environment.
pub fn svcx_env(args: &[&str], env: &[(&str, &str)]) -> Run {
    run(args, env, None)
}

/// Runs `svcx ARGS` from `dir` (cleared environment, no stdin).
pub fn svcx_in(dir: &Path, args: &[&str]) -> Run {
    let out = Command::new(env!("CARGO_BIN_EXE_svcx"))
        .args(args)
        .current_dir(dir)
        .env_clear()
        .env("NO_COLOR", "1")
        .stdin(Stdio::null())
        .output()
        .expect("the svcx binary runs");
    Run {
        code: out.status.code().unwrap_or(-1),
        stdout: String::from_utf8_lossy(&out.stdout).into_owned(),
        stderr: String::from_utf8_lossy(&out.stderr).into_owned(),
    }
}

/// Starts `svcx ARGS` from the crate root with a cleared environment (plus
/// `env`), stdin, stdout and stderr piped, for tests that talk to it as it runs.
pub fn spawn(args: &[&str], env: &[(&str, &str)]) -> Child {
    piped(env!("CARGO_BIN_EXE_svcx"), args, env)
        .spawn()
        .expect("the svcx binary runs")
}

/// `program ARGS` as the tests start svcx (itself, or a program that runs
/// it): from the crate root, with a cleared environment plus `NO_COLOR` and
/// `env`, every stream piped.
pub fn piped(program: &str, args: &[&str], env: &[(&str, &str)]) -> Command {
    let mut command = Command::new(program);
    command
        .args(args)
        .current_dir(root())
        .env_clear()
        .env("NO_COLOR", "1")
        .envs(env.iter().copied())
        .stdin(Stdio::piped())
        .stdout(Stdio::piped())
        .stderr(Stdio::piped());
    command
}

fn run(args: &[&str], env: &[(&str, &str)], stdin: Option<&str>) -> Run {
    use std::io::Write;
    let mut child = spawn(args, env);
    // Dropping stdin closes it: with no input, svcx reads an empty stream.
    let mut pipe = child.stdin.take().expect("stdin is piped");
    if let Some(input) = stdin {
        pipe.write_all(input.as_bytes())
            .expect("stdin accepts input");
    }
    drop(pipe);
    let out = child.wait_with_output().expect("svcx finishes");
    Run {
        code: out.status.code().unwrap_or(-1),
        stdout: String::from_utf8_lossy(&out.stdout).into_owned(),
        stderr: String::from_utf8_lossy(&out.stderr).into_owned(),
    }
}

/// The JSON a successful run printed.
pub fn json_out(run: &Run) -> Value {
    assert_eq!(run.code, 0, "{run}");
    serde_json::from_str(&run.stdout).unwrap_or_else(|e| panic!("JSON on stdout ({e}):\n{run}"))
}

/// One Service of an explain report.
pub fn service<'a>(report: &'a Value, ns: &str, name: &str) -> &'a Value {
    report["services"]
        .as_array()
        .and_then(|s| s.iter().find(|s| s["namespace"] == ns && s["name"] == name))
        .unwrap_or_else(|| panic!("{ns}/{name} in the report"))
}

/// The codes of a JSON report's `findings` (lint's), in order. A report
/// without a findings array, or a finding without a code, fails the test
/// rather than reading as "no findings".
pub fn finding_codes(report: &Value) -> Vec<&str> {
    report["findings"]
        .as_array()
        .unwrap_or_else(|| panic!("a findings array in {report:#}"))
        .iter()
        .map(|f| {
            f["code"]
                .as_str()
                .unwrap_or_else(|| panic!("a code in {f:#}"))
        })
        .collect()
}

/// One layer (`load-balancer`, `node-port`, ...) of an explained Service.
pub fn layer<'a>(svc: &'a Value, kind: &str) -> Option<&'a Value> {
    svc["layers"]
        .as_array()?
        .iter()
        .find(|l| l["layer"] == kind)
}

/// Each node of an explain report and whether it accepts external traffic
/// for `svc`'s node-port layer, in the report's node order. Schema 4 names
/// the nodes once (`nodes`); the layer lists only the nodes that hold an
/// endpoint under Local (`local_nodes`) and says what the others do.
pub fn node_acceptance(report: &Value, svc: &Value) -> Vec<(String, bool)> {
    let np = layer(svc, "node-port").expect("a node-port layer");
    report["nodes"]
        .as_array()
        .into_iter()
        .flatten()
        .map(|n| {
            let name = n["name"].as_str().expect("a node name");
            let listed = np["local_nodes"]
                .as_array()
                .into_iter()
                .flatten()
                .find(|l| l["name"] == name);
            let accepts = match listed {
                Some(l) => l["accepts_external"].as_bool().expect("accepts_external"),
                None => np["other_nodes_accept"]
                    .as_bool()
                    .expect("other_nodes_accept"),
            };
            (name.to_string(), accepts)
        })
        .collect()
}

/// Calls `f` on every item, a few at a time on threads of their own, and
/// returns the results in the items' order. The suite's long loops (a run of
/// svcx per corpus file, per subcommand, per fault) spend much of their time
/// waiting for a child process or a slow test server: on a 2-core machine
/// one test's loop would otherwise leave a core idle. A failed assertion in
/// `f` fails the caller with its own message.
pub fn parallel<T: Send, R: Send>(
    items: impl IntoIterator<Item = T>,
    f: impl Fn(T) -> R + Sync,
) -> Vec<R> {
    parallel_on(workers(), items, f)
}

/// How many threads [`parallel`] runs on: twice the cores, since the work
/// is half waiting (process start, the server).
pub fn workers() -> usize {
    std::thread::available_parallelism().map_or(2, |n| n.get()) * 2
}

/// [`parallel`] on `workers` threads: as many as there are items when each
/// item mostly waits (a server that makes every run sit out its retries),
/// so that the waits overlap instead of queueing.
pub fn parallel_on<T: Send, R: Send>(
    workers: usize,
    items: impl IntoIterator<Item = T>,
    f: impl Fn(T) -> R + Sync,
) -> Vec<R> {
    use std::sync::Mutex;
    let queue: Mutex<std::vec::IntoIter<(usize, T)>> = Mutex::new(
        items
            .into_iter()
            .enumerate()
            .collect::<Vec<_>>()
            .into_iter(),
    );
    let mut done: Vec<(usize, R)> = std::thread::scope(|s| {
        let handles: Vec<_> = (0..workers)
            .map(|_| {
                s.spawn(|| {
                    let mut out = Vec::new();
                    loop {
                        let next = queue.lock().unwrap_or_else(|e| e.into_inner()).next();
                        let Some((i, item)) = next else { break out };
                        out.push((i, f(item)));
                    }
                })
            })
            .collect();
        let mut done = Vec::new();
        let mut failed = None;
        for h in handles {
            match h.join() {
                Ok(part) => done.extend(part),
                Err(panic) => failed = failed.or(Some(panic)),
            }
        }
        if let Some(panic) = failed {
            std::panic::resume_unwind(panic);
        }
        done
    });
    done.sort_by_key(|(i, _)| *i);
    done.into_iter().map(|(_, r)| r).collect()
}
