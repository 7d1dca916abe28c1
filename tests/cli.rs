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
    assert!(
        run.stderr
            .contains("bad-field.yaml:1: invalid Service `web`: spec.ports[0].port"),
        "{run}"
    );
    snapshot("bad_field", &run);
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
    assert_eq!(run.code, 2);
    snapshot("empty_dir", &run);
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
