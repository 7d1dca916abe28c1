//! One way to run svcx against the test API server (`tests/support/`): a
//! kubeconfig generated for the server in a temporary directory, passed with
//! `--kubeconfig` to a run with a cleared environment. Every live test goes
//! through here, so none can fall back to the kubeconfig of whoever runs it.

use super::Run;
use crate::support::{ApiServer, Kubeconfig};
use std::path::{Path, PathBuf};
use std::time::{Duration, Instant};

/// Runs `svcx --kubeconfig KUBECONFIG ARGS`.
pub fn svcx_with(kubeconfig: &Path, args: &[&str]) -> Run {
    let mut full = vec![
        "--kubeconfig",
        kubeconfig.to_str().expect("a UTF-8 temp path"),
    ];
    full.extend_from_slice(args);
    super::svcx(&full)
}

/// Runs `svcx ARGS` once against `server`, with a kubeconfig for it written
/// in a temporary directory that is gone when the run is.
pub fn svcx_on(server: &ApiServer, args: &[&str]) -> Run {
    let dir = tempfile::tempdir().expect("a temporary directory");
    svcx_with(&server.kubeconfig().write(dir.path()), args)
}

/// Asserts that svcx asked `server` something, and only read: every request
/// a GET, none naming Secrets.
pub fn assert_only_reads(server: &ApiServer) {
    let requests = server.requests();
    assert!(!requests.is_empty(), "svcx read the cluster");
    for r in &requests {
        assert_eq!(r.method, "GET", "svcx only reads: {r:?}");
        assert!(
            !r.path.contains("secrets") && !r.query.contains("secrets"),
            "svcx never asks for Secrets: {r:?}"
        );
    }
}

/// A running server with a kubeconfig for it in a temporary directory.
pub struct Cluster {
    pub server: ApiServer,
    pub dir: tempfile::TempDir,
    pub kubeconfig: PathBuf,
}

impl Cluster {
    /// `server` with its default kubeconfig (context `test`, namespace `default`).
    pub fn start(server: ApiServer) -> Cluster {
        Cluster::with_kubeconfig(server, |k| k)
    }

    /// `server` with its kubeconfig changed first (e.g. another namespace).
    pub fn with_kubeconfig(
        server: ApiServer,
        kubeconfig: impl FnOnce(Kubeconfig) -> Kubeconfig,
    ) -> Cluster {
        let dir = tempfile::tempdir().expect("a temporary directory");
        let kubeconfig = kubeconfig(server.kubeconfig()).write(dir.path());
        Cluster {
            server,
            dir,
            kubeconfig,
        }
    }

    /// A server for these objects.
    pub fn serving(yaml: &str) -> Cluster {
        Cluster::start(ApiServer::builder().yaml(yaml).start())
    }

    /// A server for the demo manifest.
    pub fn demo() -> Cluster {
        Cluster::serving(svcx::demo::MANIFEST)
    }

    /// Runs `svcx --kubeconfig <generated> ARGS`.
    pub fn svcx(&self, args: &[&str]) -> Run {
        svcx_with(&self.kubeconfig, args)
    }

    /// The same, and how long the run took.
    pub fn svcx_timed(&self, args: &[&str]) -> (Run, Duration) {
        let started = Instant::now();
        let run = self.svcx(args);
        (run, started.elapsed())
    }

    /// Writes another kubeconfig (for this server or not) beside the first
    /// and returns its path.
    pub fn write_kubeconfig(&self, kubeconfig: &Kubeconfig) -> PathBuf {
        let n = std::fs::read_dir(self.dir.path()).map_or(0, |d| d.count());
        kubeconfig.write_to(&self.dir.path().join(format!("kubeconfig-{n}")))
    }

    /// How many requests asked for exactly `path`.
    pub fn hits(&self, path: &str) -> usize {
        self.server
            .requests()
            .iter()
            .filter(|r| r.path == path)
            .count()
    }

    /// See [`assert_only_reads`].
    pub fn assert_only_reads(&self) {
        assert_only_reads(&self.server);
    }

    /// insta settings with the temporary directory and port numbers filtered.
    pub fn settings(&self) -> insta::Settings {
        let mut s = super::settings();
        s.add_filter(
            &super::regex_escape(&self.dir.path().display().to_string()),
            "[TMP]",
        );
        s.add_filter(r"127\.0\.0\.1:\d+", "127.0.0.1:[PORT]");
        // errno values differ between platforms.
        s.add_filter(r"\(os error \d+\)", "(os error [N])");
        s
    }
}
