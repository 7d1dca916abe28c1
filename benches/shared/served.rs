//! What the benches that time svcx against a served cluster share: their
//! settings (`SVCX_BENCH_SIZES`, `SVCX_BENCH_ROUNDS`, `SVCX_BENCH_SERVE`) and
//! a generated cluster served by the test API server with a kubeconfig for it.

use crate::support::ApiServer;
use serde_json::Value;
use std::path::{Path, PathBuf};

/// The Service counts to measure: `SVCX_BENCH_SIZES` (comma-separated), else
/// `default`.
pub fn sizes(default: &str) -> Vec<usize> {
    std::env::var("SVCX_BENCH_SIZES")
        .unwrap_or_else(|_| default.into())
        .split(',')
        .map(|s| s.trim().parse().expect("SVCX_BENCH_SIZES: Service counts"))
        .collect()
}

/// How many timed rounds per size: `SVCX_BENCH_ROUNDS`, else 3.
pub fn rounds() -> usize {
    std::env::var("SVCX_BENCH_ROUNDS")
        .ok()
        .and_then(|s| s.parse().ok())
        .unwrap_or(3)
}

/// `SVCX_BENCH_SERVE=N`: only serve a cluster of N Services, to profile
/// against it.
pub fn serve_only() -> Option<usize> {
    std::env::var("SVCX_BENCH_SERVE")
        .ok()
        .and_then(|s| s.parse().ok())
}

/// `svcx explain -A -o FORMAT` against the served cluster, with time enough
/// for the largest.
pub fn explain_all<'a>(format: &'a str, kubeconfig: &'a str) -> [&'a str; 8] {
    [
        "explain",
        "-A",
        "-o",
        format,
        "--kubeconfig",
        kubeconfig,
        "--request-timeout",
        "600s",
    ]
}

/// Objects served until dropped, and a kubeconfig for them in a temporary
/// directory of their own.
pub struct Served {
    _server: ApiServer,
    dir: tempfile::TempDir,
    kubeconfig: PathBuf,
}

impl Served {
    pub fn start(objects: Vec<Value>) -> Served {
        let server = ApiServer::builder().objects(objects).start();
        let dir = tempfile::tempdir().expect("tempdir");
        let kubeconfig = server.kubeconfig().write(dir.path());
        Served {
            _server: server,
            dir,
            kubeconfig,
        }
    }

    /// The kubeconfig that points at the server.
    pub fn kubeconfig(&self) -> &Path {
        &self.kubeconfig
    }

    /// The temporary directory, for the bench's own files.
    pub fn dir(&self) -> &Path {
        self.dir.path()
    }

    /// Serves until the process is stopped, having printed `what` and the
    /// kubeconfig.
    pub fn forever(self, what: &str) -> ! {
        println!("serving {what}; kubeconfig: {}", self.kubeconfig.display());
        loop {
            std::thread::park();
        }
    }
}
