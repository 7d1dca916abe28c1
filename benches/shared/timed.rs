//! Timing a command under GNU time: wall seconds and peak resident memory,
//! for the benchmarks that run svcx against a served cluster.

use std::path::Path;
use std::process::{Command, Stdio};

/// One run of a command: wall seconds and peak resident memory.
pub struct Sample {
    pub wall: f64,
    pub max_rss_kib: u64,
}

/// Runs a command under GNU time, discarding stdout, and reads wall seconds
/// and peak resident memory from its report.
pub fn measure(program: &str, args: &[&str], report: &Path) -> Sample {
    let status = Command::new("/usr/bin/time")
        .args(["-f", "%e %M", "-o"])
        .arg(report)
        .arg(program)
        .args(args)
        .env_clear()
        .stdout(Stdio::null())
        .stderr(Stdio::inherit())
        .status()
        .expect("/usr/bin/time runs");
    assert!(status.success(), "{program} {args:?} failed");
    let text = std::fs::read_to_string(report).expect("time wrote its report");
    let mut it = text.split_whitespace();
    Sample {
        wall: it
            .next()
            .and_then(|s| s.parse().ok())
            .expect("wall seconds"),
        max_rss_kib: it.next().and_then(|s| s.parse().ok()).expect("max rss"),
    }
}
