//! svcx where people already work: the kubectl plugin, the krew manifest,
//! shell completions, manual pages, `--version`, the pre-commit hook, and
//! rendered charts and kustomizations piped into `svcx lint`.

use crate::common;

use common::{root, settings, svcx, svcx_stdin};
use serde_json::Value;
use std::path::{Path, PathBuf};
use std::process::{Command, Stdio};

fn snapshot(name: &str, run: &common::Run) {
    settings().bind(|| insta::assert_snapshot!(name, run.to_string()));
}

/// The directory Cargo built both executables into.
fn bin_dir() -> PathBuf {
    Path::new(env!("CARGO_BIN_EXE_kubectl-svcx"))
        .parent()
        .expect("the binary has a directory")
        .to_path_buf()
}

/// PATH with the built executables first, then the test's own PATH (for
/// kubectl, sh, bash).
fn path_with_bins() -> std::ffi::OsString {
    let mut dirs = vec![bin_dir()];
    if let Some(path) = std::env::var_os("PATH") {
        dirs.extend(std::env::split_paths(&path));
    }
    std::env::join_paths(dirs).expect("PATH joins")
}

/// Runs `program ARGS` from the crate root with a cleared environment but for
/// a PATH holding the built executables, a fresh HOME and NO_COLOR; feeds
/// `stdin` if given.
fn run_with_bins(program: &str, args: &[&str], stdin: Option<&[u8]>) -> common::Run {
    use std::io::Write;
    let home = tempfile::tempdir().expect("a temp dir");
    let mut child = Command::new(program)
        .args(args)
        .current_dir(root())
        .env_clear()
        .env("PATH", path_with_bins())
        .env("HOME", home.path())
        .env("NO_COLOR", "1")
        .stdin(Stdio::piped())
        .stdout(Stdio::piped())
        .stderr(Stdio::piped())
        .spawn()
        .unwrap_or_else(|e| panic!("{program} runs: {e}"));
    let mut pipe = child.stdin.take().expect("stdin is piped");
    if let Some(input) = stdin {
        pipe.write_all(input).expect("stdin accepts input");
    }
    drop(pipe);
    let out = child.wait_with_output().expect("the command finishes");
    common::Run {
        code: out.status.code().unwrap_or(-1),
        stdout: String::from_utf8_lossy(&out.stdout).into_owned(),
        stderr: String::from_utf8_lossy(&out.stderr).into_owned(),
    }
}

/// The lint findings of a JSON report, as (code, namespace/name).
fn findings(report: &Value) -> Vec<(String, String)> {
    report["findings"]
        .as_array()
        .expect("findings")
        .iter()
        .map(|f| {
            (
                f["code"].as_str().unwrap_or_default().to_string(),
                format!(
                    "{}/{}",
                    f["object"]["namespace"].as_str().unwrap_or_default(),
                    f["object"]["name"].as_str().unwrap_or_default()
                ),
            )
        })
        .collect()
}

#[test]
#[cfg_attr(not(svcx_kubectl), ignore = "needs kubectl on PATH")]
fn kubectl_runs_svcx_as_a_plugin() {
    let direct = svcx(&["explain", "--demo", "-o", "json"]);
    let plugin = run_with_bins(
        "kubectl",
        &["svcx", "explain", "--demo", "-o", "json"],
        None,
    );
    assert_eq!(plugin.code, 0, "{plugin}");
    let direct: Value = serde_json::from_str(&direct.stdout).expect("JSON");
    let plugin: Value = serde_json::from_str(&plugin.stdout).expect("JSON");
    assert_eq!(plugin, direct);
    assert!(!direct["services"].as_array().expect("services").is_empty());

    // Usage errors name the command as typed, in svcx's one error format.
    let run = run_with_bins("kubectl", &["svcx", "trace", "--bogus"], None);
    assert_eq!(run.code, 2, "{run}");
    assert!(run.stderr.starts_with("svcx: error: "), "{run}");
    snapshot("kubectl_plugin_usage_error", &run);
}

#[test]
fn the_plugin_executable_names_itself_kubectl_svcx() {
    let run = run_with_bins(
        env!("CARGO_BIN_EXE_kubectl-svcx"),
        &["lint", "--help"],
        None,
    );
    assert_eq!(run.code, 0, "{run}");
    let usage = run.stdout.lines().find(|l| l.starts_with("Usage: "));
    assert_eq!(usage, Some("Usage: kubectl svcx lint [OPTIONS]"));
    assert!(!run.stdout.contains("\n  svcx "), "{run}");
}

/// The krew manifest, parsed.
fn krew_manifest() -> Value {
    let text = std::fs::read_to_string(root().join("plugins/svcx.yaml")).expect("the manifest");
    svcx::yaml::from_str(&text).expect("the manifest is YAML")
}

#[test]
fn the_krew_manifest_describes_every_release_archive() {
    let m = krew_manifest();
    assert_eq!(
        m["apiVersion"],
        "krew.googlecontainertools.github.com/v1alpha2"
    );
    assert_eq!(m["kind"], "Plugin");
    assert_eq!(m["metadata"]["name"], "svcx");
    let version = format!("v{}", env!("CARGO_PKG_VERSION"));
    assert_eq!(m["spec"]["version"], version.as_str());
    for field in ["homepage", "shortDescription", "description"] {
        assert!(m["spec"][field].is_string(), "{field}");
    }
    let mut seen = Vec::new();
    for p in m["spec"]["platforms"].as_array().expect("platforms") {
        let os = p["selector"]["matchLabels"]["os"].as_str().expect("os");
        let arch = p["selector"]["matchLabels"]["arch"].as_str().expect("arch");
        seen.push(format!("{os}/{arch}"));
        let exe = if os == "windows" { ".exe" } else { "" };
        let bin = format!("kubectl-svcx{exe}");
        assert_eq!(p["bin"], bin.as_str(), "{os}/{arch}");
        let froms: Vec<&str> = p["files"]
            .as_array()
            .expect("files")
            .iter()
            .filter_map(|f| f["from"].as_str())
            .collect();
        assert!(froms.contains(&bin.as_str()), "{os}/{arch} installs {bin}");
        let archive = if os == "windows" { "zip" } else { "tar.gz" };
        let uri = p["uri"].as_str().expect("uri");
        assert!(
            uri.ends_with(&format!("/{version}/svcx-{version}-{os}-{arch}.{archive}")),
            "{uri}"
        );
        // A checksum, or the placeholder that marks it as filled at release.
        let sha = p["sha256"].as_str().expect("sha256");
        assert!(
            sha == "PLACEHOLDER-SHA256-FILLED-AT-RELEASE"
                || (sha.len() == 64 && sha.chars().all(|c| c.is_ascii_hexdigit())),
            "{sha}"
        );
    }
    seen.sort();
    assert_eq!(
        seen,
        [
            "darwin/amd64",
            "darwin/arm64",
            "linux/amd64",
            "linux/arm64",
            "windows/amd64",
            "windows/arm64"
        ]
    );
}

#[test]
fn version_names_the_kubernetes_and_gateway_api_versions() {
    let run = svcx(&["--version"]);
    assert_eq!(run.code, 0, "{run}");
    let lines: Vec<&str> = run.stdout.lines().collect();
    assert_eq!(
        lines,
        [
            format!("svcx {}", env!("CARGO_PKG_VERSION")).as_str(),
            format!(
                "Kubernetes API: {} (k8s-openapi); semantics of Kubernetes {}",
                svcx::version::kubernetes_api(),
                svcx::version::KUBERNETES_SEMANTICS
            )
            .as_str(),
            format!(
                "Gateway API: {}, standard and experimental channels",
                svcx::version::gateway_api()
            )
            .as_str(),
        ]
    );
}

#[test]
fn bash_loads_the_completion_script() {
    if Command::new("bash").arg("--version").output().is_err() {
        panic!("bash is needed to check the completion script");
    }
    let run = run_with_bins(
        "bash",
        &["-c", "source <(svcx completions bash) && complete -p svcx"],
        None,
    );
    assert_eq!(run.code, 0, "{run}");
    assert_eq!(
        run.stdout.trim(),
        "complete -o bashdefault -o default -o nosort -F _svcx svcx"
    );
}

#[test]
fn every_shell_gets_a_script_that_knows_every_subcommand() {
    let markers = [
        ("bash", "_svcx()"),
        ("zsh", "#compdef svcx"),
        ("fish", "complete -c svcx"),
        ("powershell", "Register-ArgumentCompleter"),
        ("elvish", "edit:completion:arg-completer[svcx]"),
    ];
    for (shell, marker) in markers {
        let run = svcx(&["completions", shell]);
        assert_eq!(run.code, 0, "{shell}: {run}");
        assert!(run.stdout.contains(marker), "{shell} script has {marker}");
        for sub in [
            "explain",
            "trace",
            "lint",
            "rule",
            "migrate-to-gateway",
            "completions",
            "man",
        ] {
            assert!(run.stdout.contains(sub), "{shell} completes {sub}");
        }
    }
    // A shell that is installed also loads its script.
    for (shell, check) in [
        (
            "zsh",
            "autoload -Uz compinit && compinit -u && source <(svcx completions zsh) && whence -w _svcx",
        ),
        (
            "fish",
            "svcx completions fish | source && complete -C 'svcx expl'",
        ),
    ] {
        if Command::new(shell).arg("--version").output().is_err() {
            eprintln!("{shell} is not installed: its script was checked by content only");
            continue;
        }
        let run = run_with_bins(shell, &["-c", check], None);
        assert_eq!(run.code, 0, "{shell}: {run}");
        assert!(
            run.stdout.contains("explain") || run.stdout.contains("_svcx"),
            "{shell}: {run}"
        );
    }
}

#[test]
fn man_writes_a_page_per_subcommand_with_its_examples() {
    let dir = tempfile::tempdir().expect("a temp dir");
    let out = dir.path().join("man1");
    let run = svcx(&["man", "--dir", out.to_str().expect("UTF-8 path")]);
    assert_eq!(run.code, 0, "{run}");
    let mut pages: Vec<String> = std::fs::read_dir(&out)
        .expect("the directory")
        .map(|e| {
            e.expect("an entry")
                .file_name()
                .to_string_lossy()
                .into_owned()
        })
        .collect();
    pages.sort();
    assert_eq!(
        pages,
        [
            "svcx-completions.1",
            "svcx-explain.1",
            "svcx-lint.1",
            "svcx-man.1",
            "svcx-migrate-to-gateway.1",
            "svcx-rule.1",
            "svcx-trace.1",
            "svcx.1"
        ]
    );
    for page in &pages {
        let text = std::fs::read_to_string(out.join(page)).expect("the page");
        let name = page.trim_end_matches(".1");
        assert!(text.contains(&format!(".TH {name} 1")), "{page}");
        // The Examples section of --help is in the page too.
        assert!(text.contains("Examples:"), "{page}");
    }
    // Without --dir, the main page goes to stdout.
    let run = svcx(&["man"]);
    assert_eq!(run.code, 0, "{run}");
    assert!(run.stdout.contains(".TH svcx 1"), "{run}");
}

#[test]
fn usage_errors_and_failures_share_one_format() {
    let usage = svcx(&["lint", "--fail-on", "sometimes"]);
    let failure = svcx(&["lint", "-f", "tests/fixtures/does-not-exist.yaml"]);
    for run in [&usage, &failure] {
        assert_eq!(run.code, 2, "{run}");
        assert!(run.stderr.starts_with("svcx: error: "), "{run}");
        assert_eq!(run.stdout, "");
    }
    snapshot("usage_error_format", &usage);
}

#[test]
fn the_pre_commit_hook_lints_the_files_it_is_given() {
    let text = std::fs::read_to_string(root().join(".pre-commit-hooks.yaml")).expect("the hooks");
    let hooks: Value = svcx::yaml::from_str(&text).expect("YAML");
    let hook = hooks
        .as_array()
        .and_then(|h| h.iter().find(|h| h["id"] == "svcx-lint"))
        .expect("the svcx-lint hook");
    assert_eq!(hook["language"], "rust");
    let files = hook["files"].as_str().expect("a files pattern");
    assert!(files.contains("ya?ml"), "{files}");
    // pre-commit splits the entry like a shell and appends the file names.
    let entry = hook["entry"].as_str().expect("an entry");
    let script = format!("{entry} \"$@\"");
    let run = run_with_bins(
        "sh",
        &[
            "-c",
            &script,
            "pre-commit",
            "tests/fixtures/helm/rendered.yaml",
            "tests/fixtures/kustomize/base/service.yaml",
        ],
        None,
    );
    // Both files were read: findings point into each (none is an error).
    assert_eq!(run.code, 0, "{run}");
    assert!(
        run.stdout
            .contains("tests/fixtures/helm/rendered.yaml:13:3"),
        "{run}"
    );
    assert!(
        run.stdout
            .contains("tests/fixtures/kustomize/base/service.yaml:6:3"),
        "{run}"
    );
}

#[test]
#[cfg_attr(not(svcx_kubectl), ignore = "needs kubectl on PATH")]
fn a_kustomization_built_by_kubectl_lints_through_stdin() {
    let built = run_with_bins(
        "kubectl",
        &["kustomize", "tests/fixtures/kustomize/prod"],
        None,
    );
    assert_eq!(built.code, 0, "{built}");
    let run = run_with_bins(
        "svcx",
        &["lint", "-f", "-", "-o", "json"],
        Some(built.stdout.as_bytes()),
    );
    // The overlay's namespace and prefix are what svcx sees.
    assert_eq!(run.code, 1, "{run}");
    let report: Value = serde_json::from_str(&run.stdout).expect("JSON");
    let found = findings(&report);
    let expected = [
        ("SVC201", "shop/prod-web"),
        ("SVC302", "shop/prod-web"),
        ("SVC303", "shop/prod-web"),
    ]
    .map(|(c, o)| (c.to_string(), o.to_string()));
    assert_eq!(found, expected);
}

#[test]
fn a_rendered_chart_lints_through_stdin() {
    // What `helm template` prints: documents headed `# Source: ...`, and a
    // test hook Pod that carries the chart's selector labels (helm itself is
    // not installed where the tests run, so the stream is a fixture).
    let chart = std::fs::read_to_string(root().join("tests/fixtures/helm/rendered.yaml"))
        .expect("the fixture");
    let run = svcx_stdin(&["lint", "-f", "-", "-o", "json"], Some(&chart));
    assert_eq!(run.code, 0, "{run}");
    let report: Value = serde_json::from_str(&run.stdout).expect("JSON");
    let found = findings(&report);
    let expected = [
        ("SVC301", "default/release-web"),
        ("SVC306", "default/release-web"),
    ]
    .map(|(c, o)| (c.to_string(), o.to_string()));
    assert_eq!(found, expected);
    let lines: Vec<u64> = report["findings"]
        .as_array()
        .expect("findings")
        .iter()
        .filter_map(|f| f["span"]["line"].as_u64())
        .collect();
    assert_eq!(
        lines,
        [13, 19],
        "spec.type and the fixed nodePort, in the stream"
    );
    // The hook is skipped, and said so, not taken for a backend.
    assert!(run.stderr.contains("helm.sh/hook"), "{run}");
}

#[test]
fn cargo_install_installs_both_executables() {
    // `cargo install --path .` installs every binary target of the package.
    let out = Command::new(env!("CARGO"))
        .args([
            "metadata",
            "--no-deps",
            "--offline",
            "--format-version",
            "1",
        ])
        .current_dir(root())
        .output()
        .expect("cargo metadata runs");
    assert!(
        out.status.success(),
        "{}",
        String::from_utf8_lossy(&out.stderr)
    );
    let meta: Value = serde_json::from_slice(&out.stdout).expect("JSON");
    let package = meta["packages"]
        .as_array()
        .and_then(|p| p.iter().find(|p| p["name"] == "svcx"))
        .expect("the svcx package");
    let mut bins: Vec<&str> = package["targets"]
        .as_array()
        .expect("targets")
        .iter()
        .filter(|t| {
            t["kind"]
                .as_array()
                .is_some_and(|k| k.iter().any(|k| k == "bin"))
        })
        .filter_map(|t| t["name"].as_str())
        .collect();
    bins.sort_unstable();
    assert_eq!(bins, ["kubectl-svcx", "svcx"]);
    assert_eq!(package["rust_version"], "1.92");
}
