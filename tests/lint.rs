//! `svcx lint` end to end: every rule on its firing and clean fixture, every
//! output format (the SARIF validated against the official 2.1.0 schema),
//! exit codes, --select/--ignore, the config file and the `svcx/ignore`
//! annotation.

use crate::common;

use common::{finding_codes as codes, root, settings, svcx};
use serde_json::Value;
use std::process::Command;
use svcx::Code;

/// `svcx lint ARGS -o json` (the config file of the working directory left
/// out), as JSON; exit code checked by the caller through `code`.
fn lint_json(args: &[&str]) -> (i32, Value) {
    let mut full = vec!["lint", "--no-config", "-o", "json"];
    full.extend_from_slice(args);
    let run = svcx(&full);
    let value = serde_json::from_str(&run.stdout)
        .unwrap_or_else(|e| panic!("JSON on stdout ({e}):\n{run}"));
    (run.code, value)
}

fn fixture(code: Code, kind: &str) -> String {
    format!("tests/fixtures/lint/{code}/{kind}.yaml")
}

/// Rules whose firing fixture needs a live source (a `live-only` file in
/// the fixture directory says why).
fn live_only(code: Code) -> bool {
    root()
        .join(format!("tests/fixtures/lint/{code}/live-only"))
        .is_file()
}

/// Each rule, alone, on its firing fixture (human output snapshotted) and on
/// its clean one (no finding of that code).
#[test]
fn every_rule_fires_on_its_fixture_and_not_on_the_clean_one() {
    // Rules judged only on what a cluster lists are in tests/lint_live.rs.
    let rules = Code::ALL.iter().copied().filter(|&code| !live_only(code));
    // The three runs of each rule on threads of their own; the checks and
    // snapshots below, in the rules' order.
    let runs = common::parallel(rules, |code| {
        let (firing, clean, c) = (fixture(code, "firing"), fixture(code, "clean"), code.code());
        let fires = lint_json(&["-f", &firing, "--select", c]).1;
        let on_clean = lint_json(&["-f", &clean, "--select", c]).1;
        let run = svcx(&["lint", "--no-config", "-f", &firing, "--select", c]);
        (code, fires, on_clean, run)
    });
    for (code, fires, on_clean, run) in runs {
        let (firing, clean, c) = (fixture(code, "firing"), fixture(code, "clean"), code.code());
        assert!(
            codes(&fires).contains(&c),
            "{c} does not fire on {firing}: {fires:#}"
        );
        assert!(
            codes(&on_clean).is_empty(),
            "{c} fires on {clean}: {on_clean:#}"
        );
        let mut s = settings();
        s.set_snapshot_suffix(c);
        s.bind(|| insta::assert_snapshot!("rule", run.to_string()));
    }
}

/// One input with findings of every severity, for the renderers.
const MIXED: &str = "tests/fixtures/lint/mixed.yaml";

/// Contour's documented minimal Ingress (site/content/docs/main/config/
/// fundamentals.md at 31c4bb38) has `pathType: Prefix` and no path: Contour
/// would read it as `/` (internal/dag/ingress_processor.go), but the API
/// server refuses it (`validateHTTPIngressPath`: "must be an absolute
/// path"), so lint says so at the path, as an error.
#[test]
fn an_ingress_path_the_api_server_refuses_is_an_error() {
    let (code, doc) = lint_json(&[
        "-f",
        "tests/fixtures/routing/contour-fundamentals-ingress.yaml",
    ]);
    assert_eq!(code, 1, "{doc}");
    let refused: Vec<&Value> = doc["findings"]
        .as_array()
        .unwrap()
        .iter()
        .filter(|f| f["code"] == "SVC522")
        .collect();
    assert_eq!(refused.len(), 1, "{doc}");
    assert_eq!(refused[0]["severity"], "error");
    assert_eq!(refused[0]["field"], "spec.rules[0].http.paths[0].path");
}

#[test]
fn format_human() {
    let run = svcx(&["lint", "--no-config", "-f", MIXED]);
    assert_eq!(run.code, 1, "{run}");
    settings().bind(|| insta::assert_snapshot!(run.to_string()));
}

#[test]
fn format_json() {
    let (code, report) = lint_json(&["-f", MIXED]);
    assert_eq!(code, 1);
    assert_eq!(report["schema"], 2);
    settings().bind(|| insta::assert_json_snapshot!(report));
}

#[test]
fn format_sarif() {
    let run = svcx(&["lint", "--no-config", "-f", MIXED, "-o", "sarif"]);
    assert_eq!(run.code, 1, "{run}");
    let sarif: Value = serde_json::from_str(&run.stdout).unwrap();
    settings().bind(|| insta::assert_json_snapshot!(sarif));
}

#[test]
fn format_github() {
    let run = svcx(&["lint", "--no-config", "-f", MIXED, "-o", "github"]);
    assert_eq!(run.code, 1, "{run}");
    settings().bind(|| insta::assert_snapshot!(run.stdout));
}

#[test]
fn format_junit() {
    let run = svcx(&["lint", "--no-config", "-f", MIXED, "-o", "junit"]);
    assert_eq!(run.code, 1, "{run}");
    settings().bind(|| insta::assert_snapshot!(run.stdout));
}

/// Validates SARIF logs with Ajv (tests/sarif/check.mjs, run with Node)
/// against the official SARIF 2.1.0 schema, a copy of the OASIS file as the
/// serde-sarif crate ships it (tests/fixtures/sarif/README.md); formats
/// included. Returns whether all passed, and one line per log: `ok NAME` or
/// `FAIL NAME: ` with every error. .ci/run installs Ajv with
/// `npm ci --prefix tests/sarif`.
fn validate_sarif(logs: &[(String, Value)]) -> (bool, Vec<String>) {
    let dir = tempfile::tempdir().unwrap();
    let files: Vec<_> = (0..logs.len())
        .map(|i| dir.path().join(format!("{i}.sarif")))
        .collect();
    for (file, (_, log)) in files.iter().zip(logs) {
        std::fs::write(file, serde_json::to_string(log).unwrap()).unwrap();
    }
    let out = Command::new("node")
        .arg(root().join("tests/sarif/check.mjs"))
        .arg(root().join("tests/fixtures/sarif/sarif-schema-2.1.0.json"))
        .args(&files)
        .output()
        .expect("node runs (it is needed for the SARIF validator)");
    assert!(
        out.stderr.is_empty(),
        "{}",
        String::from_utf8_lossy(&out.stderr)
    );
    // A line per file, in order: name each by the input it came from.
    let lines: Vec<String> = String::from_utf8_lossy(&out.stdout)
        .lines()
        .zip(files.iter().zip(logs))
        .map(|(line, (file, (name, _)))| line.replacen(&file.display().to_string(), name, 1))
        .collect();
    assert_eq!(lines.len(), logs.len(), "one line per log: {lines:#?}");
    (out.status.success(), lines)
}

/// What GitHub code scanning needs beyond the schema, checked on each run.
fn assert_github_requirements(sarif: &Value, what: &str) {
    assert!(sarif["$schema"].is_string(), "{what}: $schema");
    assert_eq!(sarif["version"], "2.1.0", "{what}");
    let run = &sarif["runs"][0];
    assert_eq!(run["tool"]["driver"]["name"], "svcx", "{what}");
    for rule in run["tool"]["driver"]["rules"].as_array().unwrap() {
        for key in ["id", "name"] {
            assert!(rule[key].is_string(), "{what}: rule {key}");
        }
        for key in ["shortDescription", "fullDescription", "help"] {
            assert!(
                !rule[key]["text"].as_str().unwrap_or("").is_empty(),
                "{what}: rule {key}.text"
            );
        }
    }
    for result in run["results"].as_array().unwrap() {
        assert!(result["message"]["text"].is_string(), "{what}");
        assert!(result["partialFingerprints"].is_object(), "{what}");
        let loc = &result["locations"][0];
        if let Some(phys) = loc.get("physicalLocation") {
            assert!(phys["artifactLocation"]["uri"].is_string(), "{what}");
            assert!(phys["region"]["startLine"].is_u64(), "{what}");
        } else {
            assert!(loc["logicalLocations"][0]["fullyQualifiedName"].is_string());
        }
    }
}

/// The SARIF of the demo, of the mixed fixture and of every rule's firing
/// fixture is valid SARIF 2.1.0 and has what GitHub code scanning needs.
#[test]
#[cfg_attr(
    not(svcx_sarif),
    ignore = "needs node on PATH and `npm ci --prefix tests/sarif`"
)]
fn sarif_is_valid_against_the_official_schema() {
    let mut inputs: Vec<Vec<String>> = vec![vec!["--demo".into()], vec!["-f".into(), MIXED.into()]];
    for &code in Code::ALL.iter().filter(|&&c| !live_only(c)) {
        inputs.push(vec!["-f".into(), fixture(code, "firing")]);
    }
    let logs: Vec<(String, Value)> = inputs
        .iter()
        .map(|input| {
            let mut args = vec!["lint", "--no-config", "-o", "sarif"];
            args.extend(input.iter().map(String::as_str));
            let run = svcx(&args);
            let sarif: Value = serde_json::from_str(&run.stdout)
                .unwrap_or_else(|e| panic!("{input:?}: SARIF is JSON ({e}): {run}"));
            assert_github_requirements(&sarif, &format!("{input:?}"));
            (format!("{input:?}"), sarif)
        })
        .collect();
    let (passed, lines) = validate_sarif(&logs);
    let failed: Vec<&String> = lines.iter().filter(|l| !l.starts_with("ok ")).collect();
    assert!(passed && failed.is_empty(), "{failed:#?}");
}

/// The validator is not a rubber stamp: it rejects a log without version,
/// and a URI that is not one (formats are checked), naming the field.
#[test]
#[cfg_attr(
    not(svcx_sarif),
    ignore = "needs node on PATH and `npm ci --prefix tests/sarif`"
)]
fn sarif_validator_rejects_broken_logs() {
    let no_version = serde_json::json!({"runs": [{"tool": {"driver": {"name": "svcx"}}}]});
    let mut bad_uri: Value =
        serde_json::from_str(&svcx(&["lint", "--no-config", "--demo", "-o", "sarif"]).stdout)
            .unwrap();
    bad_uri["runs"][0]["tool"]["driver"]["informationUri"] = Value::from("not a uri");
    let (passed, lines) = validate_sarif(&[
        ("no version".into(), no_version),
        ("bad uri".into(), bad_uri),
    ]);
    assert!(!passed);
    assert!(lines[0].starts_with("FAIL no version: "), "{lines:#?}");
    assert!(
        lines[1].starts_with("FAIL bad uri: /runs/0/tool/driver/informationUri "),
        "{lines:#?}"
    );
}

/// CI installs the SARIF validator (.ci/run): there these checks must run.
#[test]
#[cfg_attr(not(svcx_ci), ignore = "checks CI's setup (runs where CI is set)")]
fn ci_runs_the_sarif_validator() {
    let present = cfg!(svcx_sarif);
    assert!(
        present,
        "CI must provide Node and Ajv (npm ci --prefix tests/sarif)"
    );
}

#[test]
fn fail_on_sets_the_exit_code() {
    // storefront in the demo has warnings and infos, promo an error.
    let warn_only = ["-f", "tests/fixtures/lint/SVC303/firing.yaml"];
    assert_eq!(
        lint_json(&warn_only).0,
        0,
        "warnings do not fail by default"
    );
    let mut args = warn_only.to_vec();
    args.extend(["--fail-on", "warning"]);
    assert_eq!(lint_json(&args).0, 1);
    let errors = ["-f", "tests/fixtures/lint/SVC207/firing.yaml"];
    assert_eq!(lint_json(&errors).0, 1);
    let mut args = errors.to_vec();
    args.extend(["--fail-on", "never"]);
    assert_eq!(lint_json(&args).0, 0);
    let infos = [
        "-f",
        "tests/fixtures/lint/SVC301/firing.yaml",
        "--fail-on",
        "info",
    ];
    assert_eq!(lint_json(&infos).0, 1);
}

#[test]
fn select_and_ignore_take_codes_names_and_families() {
    let report = |args: &[&str]| lint_json(args).1;
    let (all, family, named, ignored) = (
        report(&["--demo"]),
        report(&["--demo", "--select", "SVC3"]),
        report(&["--demo", "--select", "load-balancer-service"]),
        report(&["--demo", "--ignore", "SVC3,SVC105"]),
    );
    let (all, family, named, ignored) =
        (codes(&all), codes(&family), codes(&named), codes(&ignored));
    assert!(!family.is_empty() && family.iter().all(|c| c.starts_with("SVC3")));
    assert_eq!(
        family.len(),
        all.iter().filter(|c| c.starts_with("SVC3")).count()
    );
    assert!(!named.is_empty() && named.iter().all(|c| *c == "SVC302"));
    assert!(
        ignored
            .iter()
            .all(|c| !c.starts_with("SVC3") && *c != "SVC105")
    );
    assert_eq!(
        ignored.len(),
        all.iter()
            .filter(|c| !c.starts_with("SVC3") && **c != "SVC105")
            .count()
    );
}

#[test]
fn unknown_rule_in_select_is_a_usage_error() {
    let run = svcx(&["lint", "--demo", "--select", "SVC999"]);
    assert_eq!(run.code, 2);
    settings().bind(|| insta::assert_snapshot!(run.to_string()));
}

#[test]
fn namespace_narrows_what_is_reported() {
    let (_, report) = lint_json(&["--demo", "-n", "payments"]);
    let namespaces: Vec<&str> = report["findings"]
        .as_array()
        .unwrap()
        .iter()
        .map(|f| f["object"]["namespace"].as_str().unwrap())
        .collect();
    assert!(!namespaces.is_empty());
    assert!(
        namespaces.iter().all(|ns| *ns == "payments"),
        "{namespaces:?}"
    );
}

/// `svcx/ignore` silences the codes it names for its object, and counts
/// them; an unknown code in it is a finding of its own (SVC401).
#[test]
fn ignore_annotation_silences_and_reports_unknown_codes() {
    let (_, quiet) = lint_json(&["-f", "tests/fixtures/lint/SVC401/clean.yaml"]);
    assert!(!codes(&quiet).contains(&"SVC301"));
    assert_eq!(quiet["summary"]["suppressed"], 1);
    let (_, typo) = lint_json(&["-f", "tests/fixtures/lint/SVC401/firing.yaml"]);
    let got = codes(&typo);
    assert!(got.contains(&"SVC401"), "{got:?}");
    assert!(
        got.contains(&"SVC301"),
        "the typo silences nothing: {got:?}"
    );
}

/// A directory with a .svcx.yaml: found from a subdirectory, its ignore,
/// severity and exclude applied; --config names another; --no-config
/// skips it.
#[test]
fn config_file_is_found_upward_and_applied() {
    let dir = tempfile::tempdir().unwrap();
    let repo = dir.path();
    std::fs::create_dir_all(repo.join("deploy/vendor")).unwrap();
    std::fs::create_dir_all(repo.join("sub/deeper")).unwrap();
    let firing =
        std::fs::read_to_string(root().join("tests/fixtures/lint/SVC303/firing.yaml")).unwrap();
    std::fs::write(repo.join("deploy/web.yaml"), &firing).unwrap();
    std::fs::write(
        repo.join("deploy/vendor/web.yaml"),
        firing.replace("namespace: shop", "namespace: vendor"),
    )
    .unwrap();
    std::fs::write(
        repo.join(".svcx.yaml"),
        "lint:\n  ignore: [SVC302]\n  severity:\n    load-balancer-open-to-world: error\n  exclude: ['**/vendor/**']\n",
    )
    .unwrap();
    let run = |cwd: &std::path::Path, extra: &[&str]| {
        let mut args = vec!["lint", "-o", "json", "-f"];
        let target = repo.join("deploy");
        let target = target.to_str().unwrap();
        args.push(target);
        args.extend_from_slice(extra);
        let run = common::svcx_in(cwd, &args);
        let report: Value = serde_json::from_str(&run.stdout).unwrap();
        (run.code, report)
    };
    let (code, report) = run(&repo.join("sub/deeper"), &[]);
    let found = report["findings"].as_array().unwrap();
    assert_eq!(code, 1, "SVC303 raised to error fails the run: {report:#}");
    assert_eq!(codes(&report), ["SVC303"], "{report:#}");
    assert_eq!(found[0]["severity"], "error");
    assert_eq!(
        found[0]["object"]["namespace"], "shop",
        "vendor/ is excluded"
    );
    let (code, report) = run(&repo.join("sub"), &["--no-config"]);
    assert_eq!(code, 0);
    assert_eq!(codes(&report).len(), 4, "{report:#}");
    let other = repo.join("other.yaml");
    std::fs::write(&other, "lint:\n  select: [SVC302]\n").unwrap();
    let (_, report) = run(repo, &["--config", other.to_str().unwrap()]);
    assert_eq!(codes(&report), ["SVC302", "SVC302"]);
}

#[test]
fn config_errors_point_at_the_line() {
    let dir = tempfile::tempdir().unwrap();
    let path = dir.path().join(".svcx.yaml");
    std::fs::write(&path, "lint:\n  ignore: [SVC301]\n  fail_on: warning\n").unwrap();
    let run = common::svcx_in(dir.path(), &["lint", "--demo"]);
    assert_eq!(run.code, 2, "{run}");
    let shown = run
        .to_string()
        .replace(&dir.path().display().to_string(), "[DIR]");
    settings().bind(|| insta::assert_snapshot!(shown));
}

/// `helm template | svcx lint -f -`: stdin is read like a file.
#[test]
fn lints_stdin() {
    let text =
        std::fs::read_to_string(root().join("tests/fixtures/lint/SVC301/firing.yaml")).unwrap();
    let run = common::svcx_stdin(
        &["lint", "--no-config", "-f", "-", "-o", "json"],
        Some(&text),
    );
    assert_eq!(run.code, 0, "{run}");
    let report: Value = serde_json::from_str(&run.stdout).unwrap();
    let f = &report["findings"][0];
    assert_eq!(f["code"], "SVC301");
    assert_eq!(f["origin"]["path"], "<stdin>");
}

/// A directory is read recursively, like -f with every file in it.
#[test]
fn lints_directories() {
    let (_, report) = lint_json(&["-f", "tests/fixtures/lint/dir"]);
    let paths: std::collections::BTreeSet<&str> = report["findings"]
        .as_array()
        .unwrap()
        .iter()
        .map(|f| f["origin"]["path"].as_str().unwrap())
        .collect();
    assert_eq!(
        paths.into_iter().collect::<Vec<_>>(),
        [
            "tests/fixtures/lint/dir/a.yaml",
            "tests/fixtures/lint/dir/nested/b.yml"
        ]
    );
}

#[test]
fn demo_summary_counts_load_balancers() {
    let (_, report) = lint_json(&["--demo"]);
    assert_eq!(
        report["summary"]["load_balancers"],
        serde_json::json!({"services": 3, "load_balancers": 3})
    );
}

/// Every file of the corpus (third-party manifests and live dumps) is
/// linted without a failure; what is found is snapshotted, one line per
/// finding, and was reviewed for false positives (docs/lint.md lists what
/// remains and why).
#[test]
#[cfg_attr(
    not(svcx_corpus),
    ignore = "needs the corpus at ../shared/corpus (see build.rs)"
)]
fn corpus_lints_without_failure() {
    let mut lines = Vec::new();
    for dir in ["manifests", "live"] {
        let mut files: Vec<_> = std::fs::read_dir(root().join("../shared/corpus").join(dir))
            .unwrap()
            .map(|e| e.unwrap().path())
            .collect();
        files.sort();
        for path in files {
            let rel = format!(
                "../shared/corpus/{dir}/{}",
                path.file_name().unwrap().to_string_lossy()
            );
            let (code, report) = lint_json(&["-f", &rel]);
            // 3: a file that holds no object (a dump without `kind`), as
            // its notice says.
            assert!(code == 0 || code == 1 || code == 3, "{rel}: exit {code}");
            lines.push(format!("{rel}: exit {code}"));
            for f in report["findings"].as_array().unwrap() {
                let o = &f["object"];
                lines.push(format!(
                    "  {} {:7} {}/{}/{} {}",
                    f["code"].as_str().unwrap(),
                    f["severity"].as_str().unwrap(),
                    o["kind"].as_str().unwrap(),
                    o["namespace"].as_str().unwrap_or(""),
                    o["name"].as_str().unwrap(),
                    f["field"].as_str().unwrap_or("")
                ));
            }
        }
    }
    settings().bind(|| insta::assert_snapshot!(lines.join("\n")));
}

/// The Gateway API project's own examples and conformance manifests lint
/// clean of errors.
#[test]
#[cfg_attr(
    not(svcx_corpus),
    ignore = "needs the corpus at ../shared/corpus (see build.rs)"
)]
fn gateway_api_examples_have_no_errors() {
    let dir = root().join("../shared/corpus/manifests");
    let mut checked = 0;
    for entry in std::fs::read_dir(dir).unwrap() {
        let name = entry.unwrap().file_name().to_string_lossy().into_owned();
        if !name.starts_with("kubernetes-sigs-gateway-api--") {
            continue;
        }
        let rel = format!("../shared/corpus/manifests/{name}");
        let (code, report) = lint_json(&["-f", &rel]);
        let errors: Vec<&Value> = report["findings"]
            .as_array()
            .unwrap()
            .iter()
            .filter(|f| f["severity"] == "error")
            .collect();
        assert!(errors.is_empty(), "{name}: {errors:#?}");
        assert_eq!(code, 0, "{name}");
        checked += 1;
    }
    assert!(checked >= 4, "the corpus holds the Gateway API examples");
}

/// A Pod manifest without status was never created: its readiness is
/// unknown, as a pod template's, so no SVC104 ("no ready endpoints") and no
/// "no IP" exclusion; found linting kube-score's own multi-label fixture.
#[test]
fn a_pod_manifest_without_status_is_not_judged_for_readiness() {
    let (code, report) = lint_json(&["-f", "tests/fixtures/lint/pod-without-status.yaml"]);
    assert_eq!(code, 0, "{report:#}");
    assert_eq!(
        codes(&report),
        ["SVC202"],
        "the pod is the Service's backend"
    );
}

/// An unrendered template is a finding of its own (SVC001), and the other
/// files are still linted; explain and trace cannot work from it and fail,
/// with the same pointer and hint.
#[test]
fn an_unrendered_template_does_not_stop_the_lint() {
    let (code, report) = lint_json(&[
        "-f",
        "tests/fixtures/lint/SVC001/firing.yaml",
        "-f",
        "tests/fixtures/lint/SVC301/firing.yaml",
    ]);
    assert_eq!(code, 1);
    assert_eq!(codes(&report), ["SVC001", "SVC301"]);
    let f = &report["findings"][0];
    assert_eq!(f["span"], serde_json::json!({"line": 4, "column": 9}));
    for cmd in ["explain", "trace"] {
        let run = svcx(&[cmd, "-f", "tests/fixtures/lint/SVC001/firing.yaml"]);
        assert_eq!(run.code, 2, "{run}");
        let mut s = settings();
        s.set_snapshot_suffix(cmd);
        s.bind(|| insta::assert_snapshot!("template_refused", run.stderr));
    }
}

/// `{{ }}` inside objects that read fine (alerting templates, annotations)
/// is no template.
#[test]
fn template_braces_in_strings_are_no_template() {
    let (_, report) = lint_json(&["-f", "tests/fixtures/lint/template-strings.yaml"]);
    assert!(!codes(&report).contains(&"SVC001"), "{report:#}");
}

#[test]
fn lint_help() {
    let run = svcx(&["lint", "--help"]);
    assert_eq!(run.code, 0);
    settings().bind(|| insta::assert_snapshot!(run.stdout));
}

#[test]
fn rule_help() {
    let run = svcx(&["rule", "--help"]);
    assert_eq!(run.code, 0);
    settings().bind(|| insta::assert_snapshot!(run.stdout));
}

/// A lint of input that holds no object at all says so and exits 3: in a
/// pipeline, empty input is a step that failed before (`helm template . |
/// svcx lint -f -`), not a clean lint.
#[test]
fn lint_of_nothing_says_so_and_exits_3() {
    let run = common::svcx_stdin(&["lint", "--no-config", "-f", "-"], Some(""));
    assert_eq!(run.code, 3, "{run}");
    assert!(run.stderr.contains("read 0 objects"), "{run}");
    // Objects that are not Services are something to lint.
    let gateway = "apiVersion: gateway.networking.k8s.io/v1\nkind: GatewayClass\nmetadata: {name: x}\nspec: {controllerName: example.com/x}\n";
    let run = common::svcx_stdin(&["lint", "--no-config", "-f", "-"], Some(gateway));
    assert_eq!(run.code, 0, "{run}");
}

/// JUnit: a finding below --fail-on does not fail the run, so it is a
/// skipped test case, not a failure; one at or above it is a failure.
#[test]
fn junit_failures_follow_fail_on() {
    let count = |xml: &str, tag: &str| xml.matches(&format!("<{tag} ")).count();
    let run = svcx(&["lint", "--no-config", "-f", MIXED, "-o", "junit"]);
    let (_, report) = lint_json(&["-f", MIXED]);
    let errors = report["summary"]["errors"].as_u64().unwrap() as usize;
    let all = report["findings"].as_array().unwrap().len();
    assert!(errors > 0 && errors < all, "the fixture mixes severities");
    assert_eq!(count(&run.stdout, "failure"), errors, "{}", run.stdout);
    assert_eq!(count(&run.stdout, "skipped"), all - errors);
    let never = svcx(&[
        "lint",
        "--no-config",
        "-f",
        MIXED,
        "-o",
        "junit",
        "--fail-on",
        "never",
    ]);
    assert_eq!(never.code, 0);
    assert_eq!(count(&never.stdout, "failure"), 0, "{}", never.stdout);
    let info = svcx(&[
        "lint",
        "--no-config",
        "-f",
        MIXED,
        "-o",
        "junit",
        "--fail-on",
        "info",
    ]);
    assert_eq!(count(&info.stdout, "failure"), all);
}

/// `svcx/ignore` on a NetworkPolicy silences what lint says about it: the
/// policy rules' findings are about the policy, so it is the object that
/// opts out.
#[test]
fn ignore_annotation_on_a_network_policy() {
    let firing = std::fs::read_to_string(root().join("tests/fixtures/lint/SVC211/firing.yaml"))
        .expect("the SVC211 fixture");
    let annotated = firing.replace(
        "  name: allow-shop\n  namespace: orders\n",
        "  name: allow-shop\n  namespace: orders\n  annotations:\n    svcx/ignore: policy-port-is-service-port\n",
    );
    assert_ne!(annotated, firing, "the fixture names allow-shop");
    let dir = tempfile::tempdir().unwrap();
    let path = dir.path().join("policy.yaml");
    std::fs::write(&path, annotated).unwrap();
    let (_, report) = lint_json(&["-f", path.to_str().unwrap(), "--select", "SVC211"]);
    assert!(codes(&report).is_empty(), "{report:#}");
    assert_eq!(report["summary"]["suppressed"], 1);
}

/// kube-prometheus's install (manifests/ at 4d719f1) ships a NetworkPolicy
/// per component whose podSelector is the pods' labels, and the pods of
/// Prometheus and Alertmanager are created by the operator from custom
/// resources svcx does not read: the policies select those pods, so no
/// SVC117 ("selects no pod"), as the rule's known limitations say.
#[test]
fn policies_for_an_operators_pods_are_not_said_to_select_nothing() {
    let dir = root().join("tests/corpus/official/prometheus-operator-kube-prometheus");
    let files: Vec<String> = std::fs::read_dir(&dir)
        .unwrap()
        .map(|e| e.unwrap().path().display().to_string())
        .filter(|p| p.ends_with(".yaml"))
        .collect();
    let mut args: Vec<&str> = Vec::new();
    for f in &files {
        args.extend(["-f", f.as_str()]);
    }
    let (_, doc) = lint_json(&args);
    let policies = doc["findings"]
        .as_array()
        .unwrap()
        .iter()
        .filter(|f| f["object"]["kind"] == "NetworkPolicy")
        .count();
    let selects_nothing: Vec<&Value> = doc["findings"]
        .as_array()
        .unwrap()
        .iter()
        .filter(|f| f["code"] == "SVC117")
        .collect();
    assert!(files.len() > 3, "{files:?}");
    assert!(
        selects_nothing.is_empty(),
        "{selects_nothing:#?} ({policies} policy findings)"
    );
}
