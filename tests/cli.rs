//! The command line as a user meets it: help, exit codes and the failure
//! messages for bad input (what failed, where, why, what to do).

mod common;

use common::{settings, svcx, svcx_stdin};

fn snapshot(name: &str, run: &common::Run) {
    settings().bind(|| insta::assert_snapshot!(name, run.to_string()));
}

#[test]
fn help_teaches() {
    let run = svcx(&["--help"]);
    assert_eq!(run.code, 0);
    assert!(run.stdout.contains("LoadBalancer"));
    snapshot("help", &run);
    let run = svcx(&["explain", "--help"]);
    assert_eq!(run.code, 0);
    snapshot("explain_help", &run);
}

#[test]
fn malformed_yaml_points_at_file_line_and_column() {
    let run = svcx(&["explain", "-f", "tests/fixtures/errors/malformed.yaml"]);
    assert_eq!(run.code, 2);
    assert!(
        run.stderr
            .starts_with("svcx: error: tests/fixtures/errors/malformed.yaml:1"),
        "{run}"
    );
    snapshot("malformed_yaml", &run);
}

#[test]
fn malformed_json_points_at_line() {
    let run = svcx(&["explain", "-f", "tests/fixtures/errors/malformed.json"]);
    assert_eq!(run.code, 2);
    assert!(run.stderr.contains("malformed.json:3:"), "{run}");
    snapshot("malformed_json", &run);
}

#[test]
fn schema_error_names_the_field() {
    let run = svcx(&["explain", "-f", "tests/fixtures/errors/bad-field.yaml"]);
    assert_eq!(run.code, 2);
    // Line 9, column 11: the value `eighty`, not the object's first line.
    assert!(
        run.stderr
            .contains("bad-field.yaml:9:11: invalid Service `web`: spec.ports[0].port"),
        "{run}"
    );
    snapshot("bad_field", &run);
}

#[test]
fn schema_error_in_a_list_item_points_into_the_file() {
    let run = svcx(&[
        "explain",
        "-f",
        "tests/fixtures/errors/bad-field-in-list.json",
    ]);
    assert_eq!(run.code, 2);
    assert!(
        run.stderr.contains(
            "bad-field-in-list.json:10:72: invalid Service `web`: spec.ports[1].nodePort"
        ),
        "{run}"
    );
    snapshot("bad_field_in_list", &run);
}

#[test]
fn a_value_of_the_wrong_shape_is_pointed_at() {
    let run = svcx(&["explain", "-f", "tests/fixtures/errors/wrong-shape.yaml"]);
    assert_eq!(run.code, 2);
    // The mapping given where a list belongs starts at its first key.
    assert!(
        run.stderr.contains(
            "wrong-shape.yaml:8:5: invalid Service `web`: spec.ports: invalid type: map, expected a sequence"
        ),
        "{run}"
    );
}

#[test]
fn wrong_api_version_is_an_error_at_the_field() {
    let run = svcx(&[
        "explain",
        "-f",
        "tests/fixtures/errors/wrong-api-version.yaml",
    ]);
    assert_eq!(run.code, 2);
    assert!(
        run.stderr.starts_with(
            "svcx: error: tests/fixtures/errors/wrong-api-version.yaml:6:13: Service `web` has apiVersion `apps/v1`"
        ),
        "{run}"
    );
    assert!(run.stderr.contains("`apiVersion: v1`"), "{run}");
    snapshot("wrong_api_version", &run);
    // A version the kind's group never served names every version svcx reads.
    let run = svcx(&[
        "explain",
        "-f",
        "tests/fixtures/errors/unknown-version.yaml",
    ]);
    assert_eq!(run.code, 2);
    assert!(run.stderr.contains("unknown-version.yaml:1:13: "), "{run}");
    assert!(
        run.stderr
            .contains("`apiVersion: gateway.networking.k8s.io/v1`"),
        "{run}"
    );
    assert!(
        run.stderr.contains("`gateway.networking.k8s.io/v1beta1`"),
        "{run}"
    );
    snapshot("unknown_api_version", &run);
}

#[test]
fn old_versions_and_unused_kinds_are_skipped_with_one_notice_each() {
    let args = ["explain", "-f", "tests/fixtures/ingest/old-versions.yaml"];
    let run = svcx(&args);
    assert_eq!(run.code, 0, "{run}");
    snapshot(
        "old_versions_stderr",
        &common::Run {
            stdout: String::new(),
            ..run
        },
    );
    let json = common::json_out(&svcx(&[&args[..], &["-o", "json"]].concat()));
    let names: Vec<&str> = json["services"]
        .as_array()
        .unwrap()
        .iter()
        .map(|s| s["name"].as_str().unwrap())
        .collect();
    assert_eq!(names, ["web"]);
    // Three old apiVersion/kind pairs, and one line for every unused kind.
    assert_eq!(json["notices"].as_array().unwrap().len(), 4, "{json}");
}

#[test]
fn the_same_object_twice_is_kept_once_and_reported_once() {
    let run = svcx(&[
        "explain",
        "-f",
        "tests/fixtures/ingest/duplicates",
        "-o",
        "json",
    ]);
    let json = common::json_out(&run);
    let ports: Vec<(&str, i64)> = json["services"]
        .as_array()
        .unwrap()
        .iter()
        .map(|s| {
            (
                s["name"].as_str().unwrap(),
                s["ports"][0]["port"].as_i64().unwrap(),
            )
        })
        .collect();
    // The first `web` (port 80) is kept; the other two are not.
    assert_eq!(ports, [("api", 80), ("web", 80)]);
    assert_eq!(json["notices"].as_array().unwrap().len(), 1, "{json}");
    let run = svcx(&["explain", "-f", "tests/fixtures/ingest/duplicates"]);
    snapshot(
        "duplicates_stderr",
        &common::Run {
            stdout: String::new(),
            ..run
        },
    );
}

/// Runs svcx, failing the test instead of hanging when it does not finish.
fn svcx_within(args: &[&str], seconds: u64) -> common::Run {
    use std::process::{Command, Stdio};
    use std::time::{Duration, Instant};
    let mut child = Command::new(env!("CARGO_BIN_EXE_svcx"))
        .args(args)
        .env_clear()
        .env("NO_COLOR", "1")
        .stdin(Stdio::null())
        .stdout(Stdio::piped())
        .stderr(Stdio::piped())
        .spawn()
        .expect("the svcx binary runs");
    let deadline = Instant::now() + Duration::from_secs(seconds);
    while child.try_wait().expect("svcx can be waited on").is_none() {
        if Instant::now() > deadline {
            child.kill().ok();
            panic!("svcx {args:?} did not finish in {seconds} s");
        }
        std::thread::sleep(Duration::from_millis(20));
    }
    let out = child.wait_with_output().expect("svcx finishes");
    common::Run {
        code: out.status.code().unwrap_or(-1),
        stdout: String::from_utf8_lossy(&out.stdout).into_owned(),
        stderr: String::from_utf8_lossy(&out.stderr).into_owned(),
    }
}

#[cfg(unix)]
#[test]
fn a_symlink_loop_in_a_directory_is_walked_once() {
    use std::os::unix::fs::symlink;
    let dir = tempfile::tempdir().unwrap();
    let root = dir.path();
    std::fs::create_dir(root.join("sub")).unwrap();
    let svc = |name: &str| {
        format!(
            "apiVersion: v1\nkind: Service\nmetadata: {{name: {name}}}\nspec: {{ports: [{{port: 80}}]}}\n"
        )
    };
    std::fs::write(root.join("a.yaml"), svc("a")).unwrap();
    std::fs::write(root.join("sub/b.yaml"), svc("b")).unwrap();
    // Links back up the tree: to the root, and to the directory itself.
    symlink(root, root.join("sub/up")).unwrap();
    symlink(".", root.join("sub/here")).unwrap();
    let path = root.display().to_string();
    let run = svcx_within(&["explain", "-f", &path, "-o", "json"], 20);
    let json = common::json_out(&run);
    assert_eq!(json["services"].as_array().unwrap().len(), 2, "{run}");
    assert_eq!(json["notices"], serde_json::json!([]), "{run}");
}

#[cfg(unix)]
#[test]
fn a_file_that_cannot_be_read_is_an_error_naming_it() {
    let dir = tempfile::tempdir().unwrap();
    std::fs::write(
        dir.path().join("a.yaml"),
        "kind: ConfigMap\napiVersion: v1\n",
    )
    .unwrap();
    std::os::unix::fs::symlink("gone.yaml", dir.path().join("broken.yaml")).unwrap();
    let path = dir.path().display().to_string();
    let run = svcx_within(&["explain", "-f", &path], 20);
    assert_eq!(run.code, 2, "{run}");
    assert!(
        run.stderr
            .starts_with(&format!("svcx: error: could not read `{path}/broken.yaml`")),
        "{run}"
    );
}

#[test]
fn a_replication_controller_backs_its_service() {
    let run = svcx(&[
        "explain",
        "-f",
        "tests/fixtures/ingest/replication-controller.yaml",
        "-o",
        "json",
    ]);
    let json = common::json_out(&run);
    let web = common::service(&json, "legacy", "web");
    let backend = &web["backends"]["items"][0];
    assert_eq!(backend["workload"], "ReplicationController/web", "{web}");
    // Its template resolves the named targetPort.
    assert_eq!(backend["ports"][0]["port"], 8080, "{web}");
}

#[test]
fn missing_file() {
    let run = svcx(&["explain", "-f", "tests/fixtures/errors/nope.yaml"]);
    assert_eq!(run.code, 2);
    assert!(
        run.stderr
            .contains("could not read `tests/fixtures/errors/nope.yaml`"),
        "{run}"
    );
    snapshot("missing_file", &run);
}

#[test]
fn empty_directory() {
    let run = svcx(&["explain", "-f", "tests/fixtures/errors/empty-dir"]);
    assert_eq!(run.code, 0, "{run}");
    assert!(
        run.stderr.starts_with(
            "svcx: notice: read 0 objects from tests/fixtures/errors/empty-dir (no .yaml, .yml or .json files)"
        ),
        "{run}"
    );
    snapshot("empty_dir", &run);
}

/// An empty input is not an error: svcx says what it read and why nothing
/// is in scope, in the same words for a file, a directory and stdin.
#[test]
fn empty_inputs_say_what_was_read() {
    let cases: [(&str, &[&str], Option<&str>); 5] = [
        (
            "empty_file",
            &["explain", "-f", "tests/fixtures/ingest/empty.yaml"],
            None,
        ),
        ("empty_stdin", &["explain", "-f", "-"], Some("")),
        (
            "empty_stdin_trace",
            &["trace", "-f", "-"],
            Some("# rendered nothing\n---\n"),
        ),
        (
            "dir_without_objects",
            &["explain", "-f", "tests/fixtures/ingest/no-objects"],
            None,
        ),
        (
            "namespace_without_objects",
            &[
                "explain",
                "-f",
                "tests/fixtures/spans/multi.yaml",
                "-n",
                "prod",
            ],
            None,
        ),
    ];
    for (name, args, stdin) in cases {
        let run = svcx_stdin(args, stdin);
        assert_eq!(run.code, 0, "{name}: {run}");
        assert!(
            run.stderr.starts_with("svcx: notice: read "),
            "{name}: {run}"
        );
        snapshot(name, &run);
    }
    // Machine output carries the same notice, and an empty list.
    let json = common::json_out(&svcx_stdin(&["explain", "-f", "-", "-o", "json"], Some("")));
    assert_eq!(json["services"], serde_json::json!([]));
    assert_eq!(json["notices"].as_array().unwrap().len(), 1);
    // A named Service that is not there is still an error.
    let run = svcx_stdin(&["explain", "-f", "-", "web"], Some(""));
    assert_eq!(run.code, 2, "{run}");
}

#[test]
fn unknown_service_suggests_close_names() {
    let run = svcx(&["explain", "--demo", "storefrnt"]);
    assert_eq!(run.code, 2);
    assert!(
        run.stderr.contains("did you mean shop/storefront?"),
        "{run}"
    );
    snapshot("unknown_service", &run);
}

#[test]
fn stdin_is_read_with_dash() {
    let input =
        "apiVersion: v1\nkind: Service\nmetadata: {name: piped}\nspec:\n  ports: [{port: 80}]\n";
    let run = svcx_stdin(&["explain", "-f", "-", "-o", "json"], Some(input));
    assert_eq!(run.code, 0, "{run}");
    let v: serde_json::Value = serde_json::from_str(&run.stdout).unwrap();
    assert_eq!(v["services"][0]["name"], "piped");
    assert_eq!(v["services"][0]["origin"]["path"], "<stdin>");
    assert_eq!(v["services"][0]["origin"]["line"], 1);
}

#[test]
fn conflicting_sources_are_a_usage_error() {
    let run = svcx(&["explain", "--demo", "-f", "x.yaml"]);
    assert_eq!(run.code, 2);
    assert!(run.stderr.contains("cannot be used with"), "{run}");
}

#[test]
fn explain_has_no_mermaid() {
    let run = svcx(&["explain", "--demo", "-o", "mermaid"]);
    assert_eq!(run.code, 2);
    assert!(run.stderr.contains("svcx trace -o mermaid"), "{run}");
}

#[test]
fn no_panic_on_odd_documents() {
    for input in [
        "",
        "---\n---\n",
        "42\n",
        "- a\n- b\n",
        "kind: Service\n",
        "apiVersion: v1\nkind: Service\nspec: 7\n",
        "apiVersion: v1\nkind: List\nitems: [1, 2]\n",
        "apiVersion: v1\nkind: ServiceList\nitems:\n- metadata: {name: a}\n",
        "{\"kind\": \"Service\", \"apiVersion\": \"v1\", \"metadata\": {\"name\": \"j\"}}{\"kind\":",
        "a: &x [*x]\n",
        "\u{feff}apiVersion: v1\nkind: Service\nmetadata: {name: bom}\n",
    ] {
        let run = svcx_stdin(&["explain", "-f", "-"], Some(input));
        assert!(run.code == 0 || run.code == 2, "input {input:?}: {run}");
        assert!(
            !run.stderr.contains("internal error"),
            "input {input:?} panicked: {run}"
        );
        if run.code == 2 {
            assert!(
                run.stderr.starts_with("svcx: error: "),
                "input {input:?}: {run}"
            );
        }
    }
}

#[test]
fn colour_follows_the_flag_and_no_color() {
    // Not a terminal and NO_COLOR set (the harness sets it): plain text.
    let plain = svcx(&["explain", "--demo", "shop/checkout"]);
    assert!(!plain.stdout.contains('\u{1b}'), "{plain}");
    // --color always wins over both.
    let coloured = svcx(&["explain", "--demo", "shop/checkout", "--color", "always"]);
    assert!(coloured.stdout.contains("\u{1b}["), "{coloured}");
    // Machine output never carries colour.
    let json = svcx(&[
        "explain",
        "--demo",
        "shop/checkout",
        "--color",
        "always",
        "-o",
        "json",
    ]);
    assert!(!json.stdout.contains('\u{1b}'), "{json}");
}

#[test]
fn json_streams_keep_each_objects_line() {
    let input = "{\"apiVersion\": \"v1\", \"kind\": \"Service\", \"metadata\": {\"name\": \"a\"}}\n\n\n  {\"apiVersion\": \"v1\", \"kind\": \"Service\",\n   \"metadata\": {\"name\": \"b\"}}\n";
    let run = svcx_stdin(&["explain", "-f", "-", "-o", "json"], Some(input));
    assert_eq!(run.code, 0, "{run}");
    let v: serde_json::Value = serde_json::from_str(&run.stdout).unwrap();
    let lines: Vec<(&str, u64)> = v["services"]
        .as_array()
        .unwrap()
        .iter()
        .map(|s| {
            (
                s["name"].as_str().unwrap(),
                s["origin"]["line"].as_u64().unwrap(),
            )
        })
        .collect();
    assert_eq!(lines, [("a", 1), ("b", 4)]);
}
