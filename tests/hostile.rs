//! Hostile input, through every subcommand that reads files (explain, trace,
//! lint, migrate-to-gateway): each malformed input of the corpus has its
//! expected clear error (exit 2, `file:line:col`, a hint) or its correct
//! partial answer, in bounded time and memory. Small inputs are fixtures in
//! tests/fixtures/hostile/; large ones are generated in a temporary directory.
//!
//! Terminal safety (the tests at the end): names, labels, annotations and
//! messages from a manifest carrying escape sequences reach no terminal raw,
//! in any renderer, on stdout or stderr, and machine formats stay valid and
//! keep the values exactly.

use crate::common;

use common::{Run, settings, svcx, svcx_in};
use serde_json::Value;
use std::path::Path;
use std::process::{Command, Stdio};
use std::time::{Duration, Instant};

const DIR: &str = "tests/fixtures/hostile";

/// Every subcommand that reads manifests, with what it needs to get as far
/// as reading them (migrate wants a GatewayClass to write for).
const READERS: [&[&str]; 4] = [
    &["explain", "-A"],
    &["trace", "-A"],
    &["lint", "-A"],
    &["migrate-to-gateway", "-A", "--gateway-class", "example"],
];

/// The address space allowed to svcx in the bounded runs. A healthy run
/// needs well under half of it; a billion laughs expanded would need
/// gigabytes, so an input that escaped the parser's budgets would abort the
/// run (a signal, not exit 2) and fail the test.
const MEMORY_KIB: u64 = 1024 * 1024;

/// Runs svcx with `args` from `dir` under an address-space limit
/// (`ulimit -v`), killed after `seconds`; output goes to files, so that a
/// large answer cannot block the run on a full pipe. Returns the run and how
/// long it took.
fn bounded(dir: &Path, args: &[&str], seconds: u64) -> (Run, Duration) {
    let out = tempfile::tempfile().expect("a temporary file");
    let err = tempfile::tempfile().expect("a temporary file");
    let start = Instant::now();
    let mut child = Command::new("sh")
        .arg("-c")
        .arg(format!("ulimit -v {MEMORY_KIB} && exec \"$0\" \"$@\""))
        .arg(env!("CARGO_BIN_EXE_svcx"))
        .args(args)
        .current_dir(dir)
        .env_clear()
        .env("NO_COLOR", "1")
        .stdin(Stdio::null())
        .stdout(out.try_clone().unwrap())
        .stderr(err.try_clone().unwrap())
        .spawn()
        .expect("sh runs svcx");
    let deadline = start + Duration::from_secs(seconds);
    let status = loop {
        if let Some(status) = child.try_wait().expect("svcx can be waited on") {
            break status;
        }
        if Instant::now() > deadline {
            child.kill().ok();
            panic!("svcx {args:?} did not finish in {seconds} s");
        }
        std::thread::sleep(Duration::from_millis(20));
    };
    let elapsed = start.elapsed();
    let read = |mut f: std::fs::File| {
        use std::io::{Read, Seek};
        let mut bytes = Vec::new();
        f.rewind().unwrap();
        f.read_to_end(&mut bytes).unwrap();
        String::from_utf8_lossy(&bytes).into_owned()
    };
    let run = Run {
        code: status.code().unwrap_or(-1),
        stdout: read(out),
        stderr: read(err),
    };
    (run, elapsed)
}

/// Where an input error points: `(path, line, column)` from the first line
/// of stderr, `svcx: error: PATH:LINE:COL: ...`.
fn error_location(run: &Run) -> (String, usize, usize) {
    let first = run.stderr.lines().next().unwrap_or_default();
    let rest = first
        .strip_prefix("svcx: error: ")
        .unwrap_or_else(|| panic!("an error line: {run}"));
    let mut parts = rest.splitn(4, ':');
    let path = parts.next().unwrap_or_default().to_string();
    let number = |p: Option<&str>| -> usize {
        p.and_then(|n| n.parse().ok())
            .unwrap_or_else(|| panic!("file:line:col in the error: {run}"))
    };
    let line = number(parts.next());
    let column = number(parts.next());
    (path, line, column)
}

/// A clear input error: exit 2, no panic, `file:line:col` as expected, and
/// a hint saying what to do.
fn assert_input_error(run: &Run, what: &str, path: &str, line: usize, column: usize) {
    assert_eq!(run.code, 2, "{what}: {run}");
    assert!(!run.stderr.contains("internal error"), "{what}: {run}");
    assert_eq!(
        error_location(run),
        (path.to_string(), line, column),
        "{what}: {run}"
    );
    assert!(
        run.stderr.lines().any(|l| l.starts_with("  hint: ")),
        "{what}: a hint: {run}"
    );
    assert!(run.stdout.is_empty(), "{what}: no answer: {run}");
}

/// Runs every reader on `file` (under DIR) and expects the same input error.
fn every_reader_fails_at(file: &str, line: usize, column: usize) {
    let path = format!("{DIR}/{file}");
    for reader in READERS {
        let mut args = reader.to_vec();
        args.extend(["-f", &path]);
        let run = svcx(&args);
        assert_input_error(&run, &format!("{reader:?} {file}"), &path, line, column);
    }
}

/// The JSON answer of `svcx ARGS -o json`, whatever the exit status (lint
/// exits 1 on findings).
fn json_of(args: &[&str]) -> (Run, Value) {
    let mut all = args.to_vec();
    all.extend(["-o", "json"]);
    let run = svcx(&all);
    assert!(run.code == 0 || run.code == 1, "{run}");
    let value = serde_json::from_str(&run.stdout).unwrap_or_else(|e| panic!("JSON ({e}): {run}"));
    (run, value)
}

fn names(report: &Value, list: &str) -> Vec<String> {
    report[list]
        .as_array()
        .map(|items| {
            items
                .iter()
                .filter_map(|s| s["name"].as_str().map(str::to_string))
                .collect()
        })
        .unwrap_or_default()
}

// ---------------------------------------------------------------------------
// The malformed-input corpus.
// ---------------------------------------------------------------------------

/// A billion laughs: nine levels of nine aliases (9^9 nodes expanded). The
/// parser's budget stops it at the line where the expansion passes the
/// bound, in bounded time and memory, for every reader.
#[test]
fn alias_bomb_stops_at_the_budget_in_bounded_memory() {
    let path = format!("{DIR}/alias-bomb.yaml");
    let runs = common::parallel(READERS, |reader| {
        let args = [reader, &["-f", &path]].concat();
        (reader, bounded(common::root(), &args, 120))
    });
    for (reader, (run, took)) in runs {
        assert_input_error(&run, &format!("{reader:?}"), &path, 7, 14);
        assert!(
            run.stderr.contains("reading limits"),
            "{reader:?}: says it is a limit: {run}"
        );
        assert!(took < Duration::from_secs(60), "{reader:?} took {took:?}");
    }
}

/// Nesting far past any manifest: JSON arrays, YAML flow sequences and YAML
/// block mappings, each 100,000 (or 5,000) deep, stop at the parsers' depth
/// limits on the first line, without exhausting the stack.
#[test]
fn deep_nesting_stops_at_the_depth_limit() {
    let dir = tempfile::tempdir().unwrap();
    let deep = 100_000;
    let cases = [
        (
            "deep.json",
            format!("{}{}", "[".repeat(deep), "]".repeat(deep)),
            (1, 128),
        ),
        (
            "deep-flow.yaml",
            format!("a: {}{}", "[".repeat(deep), "]".repeat(deep)),
            (1, 259),
        ),
        (
            "deep-block.yaml",
            format!("x: {}1{}", "{a: ".repeat(5000), "}".repeat(5000)),
            (1, 256),
        ),
    ];
    for (file, text, (line, column)) in cases {
        std::fs::write(dir.path().join(file), text).unwrap();
        for reader in READERS {
            let mut args = reader.to_vec();
            args.extend(["-f", file]);
            let (run, _) = bounded(dir.path(), &args, 60);
            assert_input_error(&run, &format!("{reader:?} {file}"), file, line, column);
        }
    }
}

/// A 100 MB manifest, two ways. One 100 MB value is beyond the parser's
/// scalar budget: a clear error at its line, quickly. A hundred ConfigMaps
/// of 1 MB each beside one Service is read whole: the Service is explained,
/// the rest is counted, within the time and memory bounds.
#[test]
fn a_100_mb_file_is_read_or_refused_in_bounded_time() {
    let dir = tempfile::tempdir().unwrap();
    let mb = 1024 * 1024;
    let mut one_value = String::with_capacity(100 * mb + 200);
    one_value.push_str(
        "apiVersion: v1\nkind: Service\nmetadata:\n  name: big\n  annotations:\n    blob: \"",
    );
    one_value.push_str(&"x".repeat(100 * mb));
    one_value.push_str("\"\nspec:\n  ports: [{port: 80}]\n");
    std::fs::write(dir.path().join("one-value.yaml"), &one_value).unwrap();
    drop(one_value);

    let mut many = String::with_capacity(101 * mb);
    many.push_str(
        "apiVersion: v1\nkind: Service\nmetadata: {name: web}\nspec:\n  ports: [{port: 80}]\n",
    );
    let blob = "y".repeat(mb);
    for i in 0..100 {
        many.push_str(&format!(
            "---\napiVersion: v1\nkind: ConfigMap\nmetadata: {{name: c{i}}}\ndata:\n  blob: {blob}\n"
        ));
    }
    assert!(many.len() >= 100 * mb);
    std::fs::write(dir.path().join("many.yaml"), &many).unwrap();
    drop(many);

    // The three runs at once: each is seconds of parsing, and the test's
    // own thread would otherwise wait on them one by one.
    let mut runs = common::parallel(
        [
            [READERS[0], &["-f", "one-value.yaml"]].concat(),
            [READERS[2], &["-f", "one-value.yaml"]].concat(),
            vec!["explain", "-A", "-f", "many.yaml", "-o", "json"],
        ],
        |args| (bounded(dir.path(), &args, 300), args),
    );
    let ((run, took), _) = runs.pop().expect("the run of many.yaml");
    for ((one, took), args) in runs {
        assert_input_error(&one, &format!("{args:?}"), "one-value.yaml", 6, 11);
        assert!(took < Duration::from_secs(120), "{args:?} took {took:?}");
    }
    assert_eq!(run.code, 0, "{run}");
    let report: Value = serde_json::from_str(&run.stdout).expect("JSON");
    assert_eq!(names(&report, "services"), ["web"]);
    assert!(took < Duration::from_secs(120), "took {took:?}");
}

/// Bytes that are not UTF-8 text: a manifest with one bad byte, and a
/// binary file; each error points at the line and column of the first
/// byte that is not text.
#[test]
fn invalid_utf8_and_binary_junk_are_located() {
    every_reader_fails_at("not-utf8.yaml", 4, 21);
    let dir = tempfile::tempdir().unwrap();
    // A PNG header, then bytes of every value.
    let mut junk = b"\x89PNG\r\n\x1a\n".to_vec();
    junk.extend((0..=255u8).cycle().take(4096));
    std::fs::write(dir.path().join("junk.yaml"), &junk).unwrap();
    // Text, then a NUL and binary on line 3.
    std::fs::write(
        dir.path().join("late.yaml"),
        b"apiVersion: v1\nkind: Service\nab\x00\xff\xfe",
    )
    .unwrap();
    for reader in READERS {
        for (file, line, column) in [("junk.yaml", 1, 1), ("late.yaml", 3, 4)] {
            let mut args = reader.to_vec();
            args.extend(["-f", file]);
            let run = svcx_in(dir.path(), &args);
            assert_input_error(&run, &format!("{reader:?} {file}"), file, line, column);
        }
    }
}

/// The same key twice in one mapping is refused where the second one is, in
/// YAML and in JSON (where a decoder would otherwise keep the last quietly).
#[test]
fn duplicate_keys_are_errors_at_the_second_key() {
    every_reader_fails_at("duplicate-keys.yaml", 6, 3);
    every_reader_fails_at("duplicate-keys.json", 3, 61);
}

/// Ports out of range (0, 70000, i32::MIN as port, targetPort and
/// nodePort) are read as written, with no overflow: explain shows them
/// (`nodePort: 0` is unset, as the API server reads it), lint reports the
/// ones the API server refuses (SVC210, tests/semantics.rs), trace and
/// migrate answer. A port that is not a number, or does not fit an i32, is
/// an error at the field.
#[test]
fn ports_out_of_range_are_answered_or_located() {
    let path = format!("{DIR}/ports-out-of-range.yaml");
    let (_, report) = json_of(&["explain", "-A", "-f", &path]);
    let svc = common::service(&report, "default", "ports");
    let written: Vec<(i64, Option<i64>)> = svc["ports"]
        .as_array()
        .expect("ports")
        .iter()
        .map(|p| (p["port"].as_i64().unwrap(), p["node_port"].as_i64()))
        .collect();
    assert_eq!(
        written,
        [
            (0, None),
            (70000, Some(70000)),
            (-2147483648, Some(-2147483648))
        ]
    );
    for reader in READERS {
        let mut args = reader.to_vec();
        args.extend(["-f", &path]);
        let run = svcx(&args);
        assert!(run.code <= 1, "{reader:?}: {run}");
        assert!(!run.stderr.contains("internal error"), "{reader:?}: {run}");
    }
    every_reader_fails_at("port-not-a-number.yaml", 7, 11);
    every_reader_fails_at("node-port-not-a-number.yaml", 9, 15);
    every_reader_fails_at("port-beyond-i32.yaml", 7, 11);
}

/// A Service without spec is a ClusterIP Service with no ports and no
/// selector: explained as such, and lint says it has no endpoints.
#[test]
fn a_service_without_spec_is_answered() {
    let path = format!("{DIR}/no-spec.yaml");
    let (_, report) = json_of(&["explain", "-A", "-f", &path]);
    let svc = common::service(&report, "default", "no-spec");
    assert_eq!(svc["type"], "ClusterIP");
    let (_, lint) = json_of(&["lint", "-A", "-f", &path]);
    let codes = common::finding_codes(&lint);
    assert_eq!(codes, ["SVC107"]);
    for reader in READERS {
        let mut args = reader.to_vec();
        args.extend(["-f", &path]);
        assert!(svcx(&args).code <= 1, "{reader:?}");
    }
}

/// null wherever a field may be: read as absent. null where an object must
/// be (a port) or where the object's name must be is an error at the field.
#[test]
fn null_everywhere() {
    let path = format!("{DIR}/nulls.yaml");
    let (_, report) = json_of(&["explain", "-A", "-f", &path]);
    assert_eq!(names(&report, "services"), ["nulls"]);
    for reader in READERS {
        let mut args = reader.to_vec();
        args.extend(["-f", &path]);
        let run = svcx(&args);
        assert!(run.code <= 1, "{reader:?}: {run}");
    }
    every_reader_fails_at("null-port.yaml", 7, 5);
    every_reader_fails_at("null-metadata.yaml", 4, 1);
}

/// An unrendered Helm template: explain, trace and migrate refuse it at the
/// first template action; lint reports it as SVC001 there.
#[test]
fn unrendered_helm_templates_are_pointed_at() {
    let path = format!("{DIR}/helm-template.yaml");
    for reader in [READERS[0], READERS[1], READERS[3]] {
        let mut args = reader.to_vec();
        args.extend(["-f", &path]);
        let run = svcx(&args);
        assert_input_error(&run, &format!("{reader:?}"), &path, 5, 9);
    }
    let (run, lint) = json_of(&["lint", "-A", "-f", &path]);
    assert_eq!(run.code, 1, "{run}");
    let f = &lint["findings"][0];
    assert_eq!(f["code"], "SVC001");
    assert_eq!(
        (f["span"]["line"].as_u64(), f["span"]["column"].as_u64()),
        (Some(5), Some(9))
    );
}

/// A JSON List with one bad item (a port that is not a number): the other
/// items still count, and the answer says which item it leaves out, and
/// where, in its notices (on stderr for people, in the JSON for tools).
#[test]
fn a_list_with_one_bad_item_gives_a_partial_answer() {
    let path = format!("{DIR}/list-one-bad-item.json");
    let (run, report) = json_of(&["explain", "-A", "-f", &path]);
    assert_eq!(names(&report, "services"), ["good1", "good2"]);
    let notices = report["notices"].as_array().expect("notices");
    assert_eq!(notices.len(), 1, "{run}");
    let at = format!("{path}:4:33:");
    assert!(
        notices[0]["message"].as_str().unwrap().starts_with(&at),
        "{run}"
    );
    assert!(
        run.stderr.starts_with(&format!("svcx: notice: {at}")),
        "{run}"
    );
    let (_, traced) = json_of(&["trace", "-A", "-f", &path]);
    assert_eq!(traced["notices"].as_array().map(Vec::len), Some(1));
    let (_, lint) = json_of(&["lint", "-A", "-f", &path]);
    assert_eq!(lint["notices"].as_array().map(Vec::len), Some(1));
    let mut args = READERS[3].to_vec();
    args.extend(["-f", &path]);
    let run = svcx(&args);
    assert_eq!(run.code, 0, "{run}");
    assert!(
        run.stderr.starts_with(&format!("svcx: notice: {at}")),
        "{run}"
    );
}

/// A directory with files that cannot be read. A FIFO named like a
/// manifest would block a read forever: it is skipped, and the answer says
/// so. A dangling symbolic link is an error naming the file.
#[test]
fn a_directory_with_unreadable_files() {
    let dir = tempfile::tempdir().unwrap();
    let tree = dir.path().join("manifests");
    std::fs::create_dir(&tree).unwrap();
    std::fs::copy(format!("{DIR}/no-spec.yaml"), tree.join("good.yaml")).unwrap();
    let fifo = tree.join("fifo.yaml");
    let made = Command::new("mkfifo")
        .arg(&fifo)
        .status()
        .expect("mkfifo runs");
    assert!(made.success());
    for reader in READERS {
        let mut args = reader.to_vec();
        args.extend(["-f", "manifests"]);
        let (run, _) = bounded(dir.path(), &args, 60);
        assert!(run.code <= 1, "{reader:?}: {run}");
        assert!(
            run.stderr
                .starts_with("svcx: notice: skipped `manifests/fifo.yaml`: not a regular file"),
            "{reader:?}: {run}"
        );
    }
    std::os::unix::fs::symlink("/nonexistent/svcx-test", tree.join("dangling.yaml")).unwrap();
    for reader in READERS {
        let mut args = reader.to_vec();
        args.extend(["-f", "manifests"]);
        let (run, _) = bounded(dir.path(), &args, 60);
        assert_eq!(run.code, 2, "{reader:?}: {run}");
        assert!(
            run.stderr
                .starts_with("svcx: error: could not read `manifests/dangling.yaml`"),
            "{reader:?}: {run}"
        );
    }
    std::fs::remove_file(tree.join("dangling.yaml")).unwrap();
}

/// A file of mode 000 in a directory is an error naming the file. Root
/// reads any file whatever its mode, so there the test is ignored (the
/// dangling link above covers an unreadable file).
#[test]
#[cfg_attr(svcx_root, ignore = "runs as root, who reads a file of mode 000")]
fn a_file_of_mode_000_is_an_error_naming_it() {
    use std::os::unix::fs::PermissionsExt;
    let dir = tempfile::tempdir().unwrap();
    let tree = dir.path().join("manifests");
    std::fs::create_dir(&tree).unwrap();
    let locked = tree.join("locked.yaml");
    std::fs::copy(format!("{DIR}/no-spec.yaml"), &locked).unwrap();
    std::fs::set_permissions(&locked, std::fs::Permissions::from_mode(0o000)).unwrap();
    assert!(std::fs::read(&locked).is_err(), "mode 000 stops reads here");
    let run = svcx_in(dir.path(), &["explain", "-f", "manifests"]);
    assert_eq!(run.code, 2, "{run}");
    assert!(
        run.stderr
            .starts_with("svcx: error: could not read `manifests/locked.yaml`"),
        "{run}"
    );
}

// ---------------------------------------------------------------------------
// Terminal safety.
// ---------------------------------------------------------------------------

const HOSTILE: &str = "tests/fixtures/hostile/terminal.yaml";
/// The Service's name in that file, as written.
const WEB: &str = "web\u{1b}]52;c;aGFjaw==\u{7}";
const GATEWAY: &str = "shop\u{1b}[2J/gw\u{1b}[2J";

/// A character that must not reach a terminal raw (see src/render/terminal.rs).
fn unsafe_char(c: char) -> bool {
    matches!(c,
        '\u{0}'..='\u{8}' | '\u{b}'..='\u{1f}' | '\u{7f}'..='\u{9f}'
        | '\u{202a}'..='\u{202e}' | '\u{2066}'..='\u{2069}')
}

fn assert_terminal_safe(what: &str, run: &Run) {
    for (stream, text) in [("stdout", &run.stdout), ("stderr", &run.stderr)] {
        if let Some(c) = text.chars().find(|&c| unsafe_char(c)) {
            panic!("{what}: {stream} holds {c:?} raw:\n{run}");
        }
    }
    assert!(!run.stderr.contains("internal error"), "{what}: {run}");
}

/// Every human renderer, and every error that quotes input, on the hostile
/// manifest: nothing raw reaches stdout or stderr, and what was neutralised
/// is shown as an escape, not dropped.
#[test]
fn hostile_text_never_reaches_the_terminal_raw() {
    let name = "shop\u{1b}[2J/web\u{1b}]52;c;aGFjaw==\u{7}";
    let runs: [&[&str]; 11] = [
        &["explain", "-A"],
        &["explain", "-A", name],
        &["explain", "-A", "--gateway", GATEWAY],
        &["trace", "-A"],
        &["trace", "-A", name],
        &["trace", "-A", "-o", "mermaid"],
        &["lint", "-A"],
        &["lint", "-A", "-o", "github"],
        &["migrate-to-gateway", "-A", "--gateway-class", "x"],
        // Errors that quote what was asked for.
        &["explain", "-A", "no\u{1b}]0;title\u{7}such"],
        &["trace", "-A", "no\u{1b}[2Jsuch\r"],
    ];
    for args in runs {
        let mut all = args.to_vec();
        all.extend(["-f", HOSTILE]);
        let run = svcx(&all);
        assert!(run.code <= 2, "{args:?}: {run}");
        assert_terminal_safe(&format!("{args:?}"), &run);
        let shown = format!("{}{}", run.stdout, run.stderr);
        assert!(shown.contains("\\u001b"), "{args:?}: escapes shown: {run}");
    }
    let run = svcx(&["rule", "SVC\u{1b}[2J\u{9b}1m"]);
    assert_eq!(run.code, 2, "{run}");
    assert_terminal_safe("svcx rule", &run);
}

/// A file whose name holds escapes: every origin and error that names it
/// is neutralised.
#[test]
fn hostile_file_names_are_neutralised() {
    let dir = tempfile::tempdir().unwrap();
    let tree = dir.path().join("m");
    std::fs::create_dir(&tree).unwrap();
    std::fs::copy(HOSTILE, tree.join("evil\u{1b}]0;pwned\u{7}\r.yaml")).unwrap();
    std::fs::copy(
        format!("{DIR}/duplicate-keys.yaml"),
        tree.join("z\u{1b}[2J.yaml"),
    )
    .unwrap();
    for reader in READERS {
        let mut args = reader.to_vec();
        args.extend(["-f", "m"]);
        let run = svcx_in(dir.path(), &args);
        assert_eq!(run.code, 2, "{reader:?}: {run}");
        assert_terminal_safe(&format!("{reader:?}"), &run);
        assert!(
            run.stderr
                .starts_with("svcx: error: m/z\\u001b[2J.yaml:6:3:"),
            "{reader:?}: {run}"
        );
    }
    std::fs::remove_file(tree.join("z\u{1b}[2J.yaml")).unwrap();
    let run = svcx_in(dir.path(), &["lint", "-A", "-f", "m"]);
    assert_terminal_safe("lint", &run);
    assert!(
        run.stdout
            .contains("evil\\u001b]0;pwned\\u0007\\u000d.yaml"),
        "{run}"
    );
}

/// With colour on, svcx's own colour still reaches the terminal, and only
/// it: every escape on stdout is a plain SGR sequence (`ESC [ digits m`),
/// none of the manifest's.
#[test]
fn colour_passes_and_nothing_else() {
    for args in [
        &["explain", "-A"][..],
        &["trace", "-A"],
        &["lint", "-A"],
        &["explain", "-A", "--gateway", GATEWAY],
    ] {
        let mut all = args.to_vec();
        all.extend(["-f", HOSTILE, "--color", "always"]);
        let run = svcx(&all);
        let mut sequences = 0;
        for (i, _) in run.stdout.match_indices('\u{1b}') {
            let rest = &run.stdout[i + 1..];
            let params: String = rest
                .chars()
                .skip(1)
                .take_while(|c| c.is_ascii_digit() || *c == ';')
                .collect();
            assert!(
                rest.starts_with('[') && rest[1 + params.len()..].starts_with('m'),
                "{args:?}: a foreign escape at {i}: {:?}",
                &run.stdout[i..(i + 20).min(run.stdout.len())]
            );
            assert!(params.len() <= 5, "{args:?}: a keyed sequence leaked");
            sequences += 1;
        }
        assert!(sequences > 0, "{args:?}: colour is on: {run}");
        let plain: String = run.stdout.replace('\u{1b}', "");
        assert!(!plain.chars().any(unsafe_char), "{args:?}: {run}");
    }
}

/// Machine formats stay valid and keep the values exactly: JSON (explain,
/// trace, lint, SARIF) and YAML parse, and the Service's name in them is the
/// name as written; JUnit XML parses; no raw DEL or C1 control is written.
#[test]
fn machine_formats_stay_valid_and_exact() {
    let json_runs: [&[&str]; 5] = [
        &["explain", "-A", "-o", "json"],
        &["trace", "-A", "-o", "json"],
        &["lint", "-A", "-o", "json"],
        &["lint", "-A", "-o", "sarif"],
        &[
            "migrate-to-gateway",
            "-A",
            "--gateway-class",
            "x",
            "-o",
            "json",
        ],
    ];
    for args in json_runs {
        let mut all = args.to_vec();
        all.extend(["-f", HOSTILE]);
        let run = svcx(&all);
        assert!(run.code <= 1, "{args:?}: {run}");
        assert_terminal_safe(&format!("{args:?}"), &run);
        let value: Value = serde_json::from_str(&run.stdout)
            .unwrap_or_else(|e| panic!("{args:?}: JSON ({e}): {run}"));
        assert!(
            value
                .to_string()
                .contains(&serde_json::to_string(WEB).unwrap()[1..WEB.len()]),
            "{args:?}: the name is kept"
        );
    }
    let (_, explained) = json_of(&["explain", "-A", "-f", HOSTILE]);
    let web = common::service(&explained, "shop\u{1b}[2J", WEB);
    assert_eq!(web["selector"], "app=web\u{1b}[8m\u{7f}");

    let run = svcx(&["explain", "-A", "-f", HOSTILE, "-o", "yaml"]);
    assert_eq!(run.code, 0, "{run}");
    assert_terminal_safe("explain -o yaml", &run);
    let yaml: Value = serde_saphyr::from_str(&run.stdout).expect("YAML");
    assert_eq!(yaml, explained, "YAML and JSON say the same");

    let run = svcx(&[
        "migrate-to-gateway",
        "-A",
        "--gateway-class",
        "x",
        "-f",
        HOSTILE,
    ]);
    assert_eq!(run.code, 0, "{run}");
    assert_terminal_safe("migrate", &run);
    for doc in run.stdout.split("---\n").filter(|d| !d.trim().is_empty()) {
        let _: Value = serde_saphyr::from_str(doc).unwrap_or_else(|e| panic!("YAML ({e}): {doc}"));
    }

    let run = svcx(&["lint", "-A", "-f", HOSTILE, "-o", "junit"]);
    assert_eq!(run.code, 1, "{run}");
    assert_terminal_safe("junit", &run);
    let mut reader = quick_xml::Reader::from_str(&run.stdout);
    let mut cases = 0;
    loop {
        match reader.read_event() {
            Ok(quick_xml::events::Event::Eof) => break,
            Ok(quick_xml::events::Event::Start(e)) if e.name().into_inner() == "testcase" => {
                cases += 1
            }
            Ok(_) => {}
            Err(e) => panic!("JUnit XML: {e}: {run}"),
        }
    }
    assert!(cases > 0, "{run}");
}

/// What a user sees of the hostile manifest, reviewed as snapshots.
#[test]
fn hostile_manifest_as_people_see_it() {
    for (name, args) in [
        ("hostile_explain", &["explain", "-A", "-f", HOSTILE][..]),
        ("hostile_lint", &["lint", "-A", "-f", HOSTILE]),
        ("hostile_trace", &["trace", "-A", "-f", HOSTILE]),
    ] {
        let run = svcx(args);
        settings().bind(|| insta::assert_snapshot!(name, run.to_string()));
    }
}

// ---------------------------------------------------------------------------
// Secrets in kubeconfigs.
// ---------------------------------------------------------------------------

/// A kubeconfig's credentials never appear in what svcx prints, whichever
/// way reading it fails: a malformed file (the YAML parser's own message
/// quotes the lines around the error), an unknown context, a client that
/// cannot be set up from bad credentials.
#[test]
fn kubeconfig_secrets_never_appear_in_errors() {
    const SECRETS: [&str; 3] = ["SECRET-TOKEN-abc123", "SECRET-PASSWORD", "U0VDUkVULUtFWQ=="];
    let good = format!(
        "apiVersion: v1\nkind: Config\nclusters:\n- name: c\n  cluster: {{server: \"https://127.0.0.1:9\", certificate-authority-data: \"Zm9v\"}}\nusers:\n- name: u\n  user:\n    token: \"{}\"\n    password: \"{}\"\n    client-key-data: \"{}\"\ncontexts:\n- name: ctx\n  context: {{cluster: c, user: u}}\ncurrent-context: ctx\n",
        SECRETS[0], SECRETS[1], SECRETS[2]
    );
    let malformed = good.replace(
        &format!("token: \"{}\"", SECRETS[0]),
        &format!("token: [\"{}\"]", SECRETS[0]),
    );
    let dir = tempfile::tempdir().unwrap();
    std::fs::write(dir.path().join("good.yaml"), &good).unwrap();
    std::fs::write(dir.path().join("malformed.yaml"), &malformed).unwrap();
    for args in [
        &["explain", "--kubeconfig", "malformed.yaml"][..],
        &["lint", "--kubeconfig", "malformed.yaml"],
        &["explain", "--kubeconfig", "good.yaml", "--context", "nope"],
        &[
            "trace",
            "--kubeconfig",
            "good.yaml",
            "--request-timeout",
            "2s",
        ],
        &[
            "migrate-to-gateway",
            "--kubeconfig",
            "good.yaml",
            "--request-timeout",
            "2s",
        ],
    ] {
        let (run, _) = bounded(dir.path(), args, 60);
        assert_eq!(run.code, 2, "{args:?}: {run}");
        for secret in SECRETS {
            assert!(
                !run.stderr.contains(secret) && !run.stdout.contains(secret),
                "{args:?} shows {secret}: {run}"
            );
        }
    }
}

/// Names become file names with `--output-dir`: a name that holds a path
/// (`../`) or escapes writes no file outside the directory, and the files
/// inside, MIGRATION.md too, are terminal-safe.
#[test]
fn migrate_writes_only_inside_its_directory() {
    let dir = tempfile::tempdir().unwrap();
    std::fs::write(
        dir.path().join("in.yaml"),
        "apiVersion: v1\nkind: Service\nmetadata: {name: \"x/../../../escaped\\e[2J\", namespace: \"../up\"}\nspec:\n  type: NodePort\n  ports: [{port: 80}]\n",
    )
    .unwrap();
    let run = svcx_in(
        dir.path(),
        &[
            "migrate-to-gateway",
            "-A",
            "--gateway-class",
            "x",
            "-f",
            "in.yaml",
            "--output-dir",
            "out/inner",
        ],
    );
    assert_eq!(run.code, 0, "{run}");
    assert_terminal_safe("migrate --output-dir", &run);
    let mut outside: Vec<String> = std::fs::read_dir(dir.path())
        .unwrap()
        .map(|e| e.unwrap().file_name().to_string_lossy().into_owned())
        .collect();
    outside.sort();
    assert_eq!(outside, ["in.yaml", "out"]);
    assert_eq!(
        std::fs::read_dir(dir.path().join("out")).unwrap().count(),
        1
    );
    let written: Vec<_> = std::fs::read_dir(dir.path().join("out/inner"))
        .unwrap()
        .map(|e| e.unwrap().path())
        .collect();
    assert!(written.len() >= 2, "{written:?}");
    for path in written {
        let name = path.file_name().unwrap().to_string_lossy().into_owned();
        assert!(!name.chars().any(unsafe_char), "{name:?}");
        let text = std::fs::read_to_string(&path).unwrap();
        assert!(!text.chars().any(unsafe_char), "{name}: {text}");
    }
}
