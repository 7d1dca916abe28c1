//! The command line as a user meets it: help, exit codes and the failure
//! messages for bad input (what failed, where, why, what to do).

use crate::common;

use common::{settings, svcx, svcx_env, svcx_stdin};

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
    let run = svcx(&["trace", "--help"]);
    assert_eq!(run.code, 0);
    snapshot("trace_help", &run);
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

/// A NetworkPolicy the API server would refuse is an error at the field,
/// with file:line:col (NetworkPolicyPeer validation).
#[test]
fn an_invalid_network_policy_is_an_error_at_the_field() {
    let run = svcx(&[
        "explain",
        "-f",
        "tests/fixtures/errors/bad-network-policy.yaml",
    ]);
    assert_eq!(run.code, 2, "{run}");
    assert!(
        run.stderr.contains(
            "bad-network-policy.yaml:12:7: invalid NetworkPolicy `mixed`: spec.ingress[0].from[0]: \
             ipBlock cannot be combined with podSelector or namespaceSelector"
        ),
        "{run}"
    );
}

/// `namespace: off` is the boolean `false` to YAML 1.1 readers such as
/// kubectl, which rejects it; svcx must not quietly put the object in the
/// default namespace.
#[test]
fn a_namespace_that_is_not_a_string_is_an_error_at_the_field() {
    let run = svcx(&[
        "explain",
        "-f",
        "tests/fixtures/errors/namespace-not-a-string.yaml",
    ]);
    assert_eq!(run.code, 2, "{run}");
    assert!(
        run.stderr.contains(
            "namespace-not-a-string.yaml:4:34: invalid Service `web`: metadata.namespace"
        ),
        "{run}"
    );
    snapshot("namespace_not_a_string", &run);
}

/// A List item that does not fit its schema is left out of the answer,
/// with a notice that points into the file; the other items still count.
#[test]
fn schema_error_in_a_list_item_points_into_the_file() {
    let run = svcx(&[
        "explain",
        "-f",
        "tests/fixtures/errors/bad-field-in-list.json",
    ]);
    assert_eq!(run.code, 0, "{run}");
    assert!(
        run.stderr.starts_with(
            "svcx: notice: tests/fixtures/errors/bad-field-in-list.json:10:72: skipped: invalid Service `web`: spec.ports[1].nodePort"
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

/// A document of a kind svcx does not read is counted from its head and
/// never decoded (docs/decisions.md, "Kinds svcx does not read: counted
/// from their heads"): what is in its body, even broken YAML, is not svcx's
/// to judge. A Service written the same way is still an error.
#[test]
fn unread_kinds_are_counted_from_their_heads_and_not_judged() {
    let dir = tempfile::tempdir().unwrap();
    let path = dir.path().join("install.yaml");
    let crd = "apiVersion: apiextensions.k8s.io/v1\nkind: CustomResourceDefinition\nmetadata:\n  name: things.example.com\nspec:\n  group: [example.com\n";
    let svc =
        "apiVersion: v1\nkind: Service\nmetadata:\n  name: web\nspec:\n  ports:\n  - port: 80\n";
    std::fs::write(&path, format!("{crd}---\n{svc}")).unwrap();
    let json = common::json_out(&svcx(&[
        "explain",
        "-f",
        path.to_str().unwrap(),
        "-o",
        "json",
    ]));
    assert_eq!(json["services"][0]["name"], "web", "{json}");
    let notices = json["notices"].to_string();
    assert!(notices.contains("CustomResourceDefinition (1)"), "{json}");
    let broken = format!("{crd}---\n{svc}  selector: [app\n");
    std::fs::write(&path, broken).unwrap();
    let run = svcx(&["explain", "-f", path.to_str().unwrap()]);
    assert_eq!(run.code, 2, "{run}");
    assert!(run.stderr.contains("install.yaml:15:"), "{run}");
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
fn each_subcommand_has_its_own_formats() {
    // explain offers no mermaid, in --help or on the command line.
    let help = svcx(&["explain", "--help"]);
    assert!(!help.stdout.contains("mermaid"), "{help}");
    let run = svcx(&["explain", "--demo", "-o", "mermaid"]);
    assert_eq!(run.code, 2, "{run}");
    assert!(
        run.stderr
            .contains("[possible values: human, wide, json, yaml, html, dot]"),
        "{run}"
    );
    snapshot("explain_mermaid", &run);
    // trace does, and writes a flowchart.
    let run = svcx(&["trace", "--demo", "shop/checkout", "-o", "mermaid"]);
    assert!(run.stdout.starts_with("flowchart LR\n"), "{run}");
    // Every format each subcommand lists is accepted.
    for (sub, formats) in [
        ("explain", &["human", "json", "yaml", "html", "dot"][..]),
        (
            "trace",
            &["human", "json", "yaml", "mermaid", "html", "dot"][..],
        ),
    ] {
        for format in formats {
            let run = svcx(&[sub, "--demo", "shop/checkout", "-o", format]);
            assert!(run.code == 0 || run.code == 1, "{sub} -o {format}: {run}");
            assert!(run.stderr.is_empty(), "{sub} -o {format}: {run}");
        }
    }
}

#[test]
fn output_before_the_subcommand_says_where_it_goes() {
    let run = svcx(&["-o", "json", "explain", "--demo"]);
    assert_eq!(run.code, 2, "{run}");
    assert!(run.stderr.contains("svcx explain -o json"), "{run}");
    snapshot("output_before_subcommand", &run);
}

/// Flags that cannot apply are usage errors (exit 2) that say why and what
/// to do; nothing is read or connected to.
#[test]
fn flags_that_cannot_apply_are_refused() {
    for (name, args, flag) in [
        (
            "refuse_concepts_with_names",
            &["explain", "--concepts", "shop/cart"][..],
            "--concepts",
        ),
        (
            "refuse_concepts_with_demo",
            &["explain", "--concepts", "--demo"][..],
            "--demo",
        ),
        (
            "refuse_concepts_with_filename",
            &[
                "explain",
                "--concepts",
                "-f",
                "tests/fixtures/trace/nodes.yaml",
            ][..],
            "--filename",
        ),
        (
            "refuse_kubeconfig_with_demo",
            &["explain", "--demo", "--kubeconfig", "kc.yaml"][..],
            "--kubeconfig",
        ),
        (
            "refuse_context_with_filename",
            &[
                "trace",
                "-f",
                "tests/fixtures/trace/nodes.yaml",
                "--context",
                "prod",
            ][..],
            "--context",
        ),
        (
            "refuse_request_timeout_with_demo",
            &["explain", "--demo", "--request-timeout", "5s"][..],
            "--request-timeout",
        ),
        (
            "refuse_probe_with_demo",
            &["trace", "--demo", "shop/storefront", "--probe"][..],
            "--probe",
        ),
        (
            "refuse_probe_with_filename",
            &["trace", "-f", "tests/fixtures/trace/nodes.yaml", "--probe"][..],
            "--probe",
        ),
        (
            "refuse_probe_timeout_without_probe",
            &["trace", "--probe-timeout", "1s"][..],
            "--probe-timeout",
        ),
    ] {
        let run = svcx(args);
        assert_eq!(run.code, 2, "{name}: {run}");
        assert!(run.stdout.is_empty(), "{name}: {run}");
        assert!(run.stderr.starts_with("svcx: error: "), "{name}: {run}");
        assert!(run.stderr.contains(flag), "{name}: {run}");
        assert!(run.stderr.contains("tip: "), "{name}: {run}");
        snapshot(name, &run);
    }
}

/// A name or address that exists, but outside the namespace in scope, is
/// pointed at rather than reported missing.
#[test]
fn found_in_another_namespace() {
    for (name, args, elsewhere) in [
        (
            "elsewhere_explain_name",
            &["explain", "--demo", "-n", "shop", "metrics"][..],
            "infra/metrics",
        ),
        (
            "elsewhere_trace_name",
            &["trace", "--demo", "-n", "shop", "metrics"][..],
            "infra/metrics",
        ),
        (
            "elsewhere_trace_cluster_ip",
            &["trace", "--demo", "-n", "shop", "10.96.30.9"][..],
            "infra/metrics",
        ),
        (
            "elsewhere_trace_node_port",
            &["trace", "--demo", "-n", "infra", "10.0.0.11:31080"][..],
            "shop/checkout",
        ),
    ] {
        let run = svcx(args);
        assert_eq!(run.code, 2, "{name}: {run}");
        assert!(run.stderr.contains(elsewhere), "{name}: {run}");
        assert!(run.stderr.contains("-A"), "{name}: {run}");
        snapshot(name, &run);
    }
    // The same Service, once in scope, resolves.
    let run = svcx(&["trace", "--demo", "-n", "infra", "10.96.30.9", "-o", "json"]);
    assert_eq!(common::json_out(&run)["target"]["service"], "infra/metrics");
}

/// Every i32 a port, nodePort, healthCheckNodePort, replica count or
/// affinity timeout can hold goes through explain and trace, in every format
/// and by address, without a panic.
#[test]
fn extreme_numbers_never_overflow() {
    let file = "tests/fixtures/cli/extreme-ports.yaml";
    for args in [
        &["explain"][..],
        &["explain", "-o", "json"],
        &["explain", "-o", "yaml"],
        &["trace"],
        &["trace", "-o", "json"],
        &["trace", "-o", "yaml"],
        &["trace", "-o", "mermaid"],
        &["trace", "edge/low"],
        &["trace", "198.51.100.200", "-o", "json"],
        // No Service has this nodePort: the nearest ones are listed, and
        // the distance to -2147483648 must not overflow.
        &["trace", "10.1.0.1:30000"],
    ] {
        let mut all = args.to_vec();
        all.extend(["-f", file]);
        let run = svcx(&all);
        assert!(
            !run.stderr.contains("internal error"),
            "{args:?} panicked: {run}"
        );
        assert!(run.code <= 2, "{args:?}: {run}");
    }
    let run = svcx(&["trace", "10.1.0.1:30000", "-f", file]);
    assert_eq!(run.code, 2, "{run}");
    assert!(
        run.stderr.contains("10.1.0.1:-2147483648"),
        "the nearest nodePorts are listed: {run}"
    );
}

/// A panic is a bug: one line that says so, how to report it, and exit 2,
/// whether it happens on the main thread or on a runtime worker. The trigger
/// exists in debug builds only (see `debug_panic` in src/lib.rs).
#[cfg(debug_assertions)]
#[test]
fn a_panic_exits_2_with_a_report() {
    for place in ["main", "worker"] {
        let run = svcx_env(&["explain", "--demo"], &[("SVCX_DEBUG_PANIC", place)]);
        assert_eq!(run.code, 2, "{place}: {run}");
        assert!(run.stdout.is_empty(), "{place}: {run}");
        // One line for the report, one for how to report it.
        let lines: Vec<&str> = run.stderr.lines().collect();
        assert_eq!(lines.len(), 2, "{place}: {run}");
        assert!(
            lines[0].starts_with("svcx: internal error (a bug in svcx): "),
            "{place}: {run}"
        );
        assert!(
            lines[1].starts_with("  hint: please report it"),
            "{place}: {run}"
        );
        let mut settings = settings();
        settings.add_filter(r" at src/[^ \n]+", " at [LOCATION]");
        settings.bind(|| insta::assert_snapshot!(format!("panic_{place}"), run.to_string()));
    }
}

/// Closing the pipe early (`svcx explain | head`) ends the run quietly with 0.
#[test]
fn a_closed_pipe_exits_0_quietly() {
    use std::io::Read;
    // Far more output than a pipe buffers, so that svcx is still writing.
    let mut input = String::new();
    for i in 0..2000 {
        input.push_str(&format!(
            "---\napiVersion: v1\nkind: Service\nmetadata: {{name: s{i}}}\nspec:\n  ports: [{{port: 80}}]\n"
        ));
    }
    let mut child = common::spawn(&["explain", "-f", "-"], &[]);
    let mut stdin = child.stdin.take().expect("stdin is piped");
    let writer = std::thread::spawn(move || {
        use std::io::Write;
        let _ = stdin.write_all(input.as_bytes());
    });
    let mut stdout = child.stdout.take().expect("stdout is piped");
    let mut first = [0u8; 64];
    stdout.read_exact(&mut first).expect("svcx writes");
    drop(stdout);
    writer.join().expect("stdin written");
    let out = child.wait_with_output().expect("svcx finishes");
    assert_eq!(out.status.code(), Some(0));
    assert!(
        out.stderr.is_empty(),
        "{}",
        String::from_utf8_lossy(&out.stderr)
    );
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

/// Human output fits the width it is given (`COLUMNS`, as a terminal's), and
/// a pipe gets every word, unwrapped and uncut.
#[test]
fn text_fits_columns_and_a_pipe_gets_it_whole() {
    // Table cells wrap within their column (a word longer than its column is
    // split), so lines interleave cells: what must match is every character.
    let chars = |t: &str| {
        let mut c: Vec<char> = t.chars().filter(|c| !c.is_whitespace()).collect();
        c.sort_unstable();
        c
    };
    for args in [
        &["trace", "--demo"][..],
        &["explain", "--demo", "shop/storefront"][..],
        &["explain", "--concepts"][..],
        &["explain", "--demo", "--gateway", "infra/public"][..],
    ] {
        let piped = svcx(args);
        let narrow = svcx_env(args, &[("COLUMNS", "80")]);
        assert_eq!(piped.code, narrow.code, "{args:?}");
        let long: Vec<&str> = narrow
            .stdout
            .lines()
            .filter(|l| l.chars().count() > 80)
            .collect();
        assert_eq!(long, Vec::<&str>::new(), "{args:?} fits 80 columns");
        if args[0] == "trace" {
            // Piped, each overview row is one line, with the whole reason.
            let row = piped
                .stdout
                .lines()
                .find(|l| l.contains("promo"))
                .expect("the promo row");
            assert!(row.ends_with("(kubectl shows <pending>)"), "{row}");
            assert!(!piped.stdout.contains('…'));
        }
        assert_eq!(chars(&narrow.stdout), chars(&piped.stdout), "{args:?}");
    }
}

/// A ConfigMap read twice is counted once and not reported: which copy is
/// kept changes nothing for a kind svcx does not read. A Service read twice
/// still is.
#[test]
fn duplicates_of_kinds_svcx_does_not_read_are_not_reported() {
    let doc = "apiVersion: v1\nkind: ConfigMap\nmetadata: {name: c}\n---\napiVersion: v1\nkind: ConfigMap\nmetadata: {name: c}\n---\napiVersion: v1\nkind: Service\nmetadata: {name: s}\nspec: {ports: [{port: 80}]}\n";
    let json = common::json_out(&common::svcx_stdin(
        &["explain", "-o", "json", "-f", "-"],
        Some(doc),
    ));
    let notices: Vec<&str> = json["notices"]
        .as_array()
        .unwrap()
        .iter()
        .map(|n| n["message"].as_str().unwrap())
        .collect();
    assert!(
        !notices
            .iter()
            .any(|n| n.contains("read twice") || n.contains("ConfigMap `")),
        "{notices:?}"
    );
    assert!(
        notices.iter().any(|n| n.contains("ConfigMap (1)")),
        "counted once: {notices:?}"
    );
}

/// An object the API server refuses (a Deployment without a pod template)
/// is left out and named in a notice, as an invalid Gateway API route is.
#[test]
fn an_object_dropped_as_invalid_is_named() {
    let doc = "apiVersion: apps/v1\nkind: Deployment\nmetadata: {name: web}\nspec:\n  selector: {matchLabels: {app: web}}\n";
    let run = common::svcx_stdin(&["explain", "-f", "-"], Some(doc));
    assert_eq!(run.code, 0, "{run}");
    assert!(
        run.stderr.contains("<stdin>:")
            && run.stderr.contains("Deployment `web`")
            && run.stderr.contains("spec.template"),
        "{run}"
    );
}

/// `--concepts` belongs to explain: other subcommands say so under their
/// own usage line (not one built around a suggested `--context`).
#[test]
fn concepts_on_another_subcommand_names_explain() {
    let run = svcx(&["trace", "--concepts"]);
    assert_eq!(run.code, 2, "{run}");
    assert!(run.stderr.contains("svcx explain --concepts"), "{run}");
    assert!(
        run.stderr.contains("Usage: svcx trace [OPTIONS] [TARGET]"),
        "{run}"
    );
    assert!(!run.stderr.contains("--context <NAME>"), "{run}");
}
