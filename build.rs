//! Detects what the optional tests need, so that `cargo test` shows a test as
//! ignored, with the reason, when its input is missing (a bare clone) and runs
//! it when it is there (CI):
//!
//! - `svcx_corpus`: the third-party corpus at ../shared/corpus, beside the
//!   repository;
//! - `svcx_crds`: the Gateway API CRDs of each release at
//!   ../shared/gateway-api-crds, beside the repository;
//! - `svcx_kubectl`: `kubectl` on PATH (the live tests' fidelity peer);
//! - `svcx_mermaid`: `node` on PATH and Mermaid's parser installed with
//!   `npm ci --prefix tests/mermaid`;
//! - `svcx_gwmodels`: `node` on PATH and @kubernetes-models/gateway-api
//!   installed with `npm ci --prefix tests/gateway-models`;
//! - `svcx_sarif`: `node` on PATH and Ajv installed with
//!   `npm ci --prefix tests/sarif` (the SARIF schema check);
//! - `svcx_script`: util-linux `script` on PATH, which runs svcx in a
//!   pseudo-terminal for the `--interactive` tests;
//! - `svcx_root`: the build runs as root (uid 0, from /proc/self/status),
//!   who reads files whatever their mode: a mode-000 test cannot prove
//!   anything there and is ignored;
//! - `svcx_dot`: Graphviz's `dot` on PATH, which parses `-o dot` output;
//! - `svcx_chromium`: Debian's `chromium` (/usr/bin/chromium, or on PATH),
//!   which renders `-o html` pages headless;
//! - `svcx_ci`: the `CI` variable is set, where the corpus and Mermaid checks
//!   must run (a test asserts that they are not ignored there).
//!
//! The binary itself does not depend on any of these.
//!
//! Cargo reruns this script only when a watched path or variable changes, and
//! a rerun rebuilds the crate, so what is watched is chosen to be cheap and
//! stable: a watched path that does not exist would make Cargo rerun it every
//! time, and a watched directory is scanned recursively. So each input is
//! watched through a path that exists: the corpus directory itself (or
//! ../shared when only that exists), the tool found on PATH (or the PATH
//! variable when it is not found), each npm package's installed package.json
//! (or its small tests/ directory, which `npm ci` changes by adding
//! node_modules).
//! When neither ../shared nor the corpus exists, nothing beside the
//! repository is watched (its parent is too large to scan): after adding the
//! corpus, `touch build.rs` makes Cargo notice it.

use std::env;
use std::path::{Path, PathBuf};

fn main() {
    for cfg in [
        "svcx_corpus",
        "svcx_crds",
        "svcx_kubectl",
        "svcx_mermaid",
        "svcx_gwmodels",
        "svcx_sarif",
        "svcx_script",
        "svcx_dot",
        "svcx_chromium",
        "svcx_ci",
        "svcx_root",
    ] {
        println!("cargo::rustc-check-cfg=cfg({cfg})");
    }
    println!("cargo::rerun-if-changed=build.rs");
    println!("cargo::rerun-if-env-changed=PATH");
    println!("cargo::rerun-if-env-changed=CI");
    if running_as_root() {
        println!("cargo::rustc-cfg=svcx_root");
    }
    if env::var("CI").is_ok_and(|v| !matches!(v.as_str(), "" | "0" | "false")) {
        println!("cargo::rustc-cfg=svcx_ci");
    }

    let root = PathBuf::from(env::var_os("CARGO_MANIFEST_DIR").expect("set by Cargo"));

    let corpus = root.join("../shared/corpus");
    if corpus.is_dir() {
        println!("cargo::rustc-cfg=svcx_corpus");
        watch(&corpus);
    } else if root.join("../shared").is_dir() {
        watch(&root.join("../shared"));
    }

    let crds = root.join("../shared/gateway-api-crds");
    if crds.is_dir() {
        println!("cargo::rustc-cfg=svcx_crds");
        watch(&crds);
    }

    if let Some(script) = on_path("script") {
        println!("cargo::rustc-cfg=svcx_script");
        watch(&script);
    }

    if let Some(dot) = on_path("dot") {
        println!("cargo::rustc-cfg=svcx_dot");
        watch(&dot);
    }

    let chromium = Path::new("/usr/bin/chromium");
    if let Some(chromium) =
        on_path("chromium").or_else(|| is_executable(chromium).then(|| chromium.to_path_buf()))
    {
        println!("cargo::rustc-cfg=svcx_chromium");
        watch(&chromium);
    }

    if let Some(kubectl) = on_path("kubectl") {
        println!("cargo::rustc-cfg=svcx_kubectl");
        watch(&kubectl);
    }

    let node = on_path("node");
    if let Some(node) = &node {
        watch(node);
    }
    let node = node.is_some();
    npm_checker(&root, "mermaid", "mermaid", node, "svcx_mermaid");
    npm_checker(
        &root,
        "gateway-models",
        "@kubernetes-models/gateway-api",
        node,
        "svcx_gwmodels",
    );
    npm_checker(&root, "sarif", "ajv-formats", node, "svcx_sarif");
}

/// A checker installed with `npm ci --prefix tests/DIR`: `cfg` is set when
/// `package` is installed there and Node is on PATH. Watched through the
/// package's package.json, or the small tests/DIR before `npm ci` adds
/// node_modules to it.
fn npm_checker(root: &Path, dir: &str, package: &str, node: bool, cfg: &str) {
    let installed = root
        .join("tests")
        .join(dir)
        .join("node_modules")
        .join(package)
        .join("package.json");
    if installed.is_file() {
        watch(&installed);
        if node {
            println!("cargo::rustc-cfg={cfg}");
        }
    } else {
        watch(&root.join("tests").join(dir));
    }
}

/// Tells Cargo to rerun this script when `path` changes.
fn watch(path: &Path) {
    println!("cargo::rerun-if-changed={}", path.display());
}

/// The first executable file called `name` in a PATH directory.
fn on_path(name: &str) -> Option<PathBuf> {
    let path = env::var_os("PATH")?;
    env::split_paths(&path)
        .map(|dir| dir.join(name))
        .find(|candidate| is_executable(candidate))
}

#[cfg(unix)]
fn is_executable(path: &Path) -> bool {
    use std::os::unix::fs::PermissionsExt;
    path.metadata()
        .is_ok_and(|m| m.is_file() && m.permissions().mode() & 0o111 != 0)
}

#[cfg(not(unix))]
fn is_executable(path: &Path) -> bool {
    path.with_extension("exe").is_file() || path.is_file()
}

/// Whether this process runs as root (Linux: the real uid in
/// /proc/self/status). Elsewhere, false.
fn running_as_root() -> bool {
    std::fs::read_to_string("/proc/self/status").is_ok_and(|s| {
        s.lines()
            .find_map(|l| l.strip_prefix("Uid:"))
            .and_then(|ids| ids.split_whitespace().next())
            == Some("0")
    })
}
