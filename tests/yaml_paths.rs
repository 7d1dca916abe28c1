//! The two ways a YAML document is decoded must agree: the fast path
//! (`svcx::yaml::fast`, serde_norway) either declines a document or gives
//! exactly the value serde-saphyr gives. Checked on a battery of tricky
//! scalars and documents (YAML 1.1 against 1.2 readings, numbers in every
//! radix, tags, anchors, merge keys, duplicate keys, block scalars, nesting)
//! and on every document of the shared corpus.

use serde_json::Value;
use svcx::yaml::{self, Document, fast};

fn doc(text: &str) -> Document<'_> {
    Document {
        text,
        first_line: 1,
        first_column: 1,
        offset: 0,
    }
}

/// What the fast path did with a document that serde-saphyr reads as `exact`.
#[derive(Debug, PartialEq)]
enum Outcome {
    Declined,
    Agreed,
}

/// Decodes `text` both ways and fails on any disagreement.
fn compare(text: &str) -> Outcome {
    let exact = yaml::parse_document_exact(&doc(text));
    match (fast::parse(text), exact) {
        (None, _) => Outcome::Declined,
        (Some(fast), Ok(exact)) => {
            assert_eq!(fast, exact, "the two paths differ on:\n{text}");
            Outcome::Agreed
        }
        (Some(fast), Err(e)) => {
            panic!("fast path read {fast} where serde-saphyr fails ({e}) on:\n{text}")
        }
    }
}

/// Scalars whose reading differs between YAML 1.1, YAML 1.2 and the crates,
/// or that look like another type.
const SCALARS: &[&str] = &[
    "on",
    "off",
    "On",
    "OFF",
    "yes",
    "no",
    "Yes",
    "NO",
    "y",
    "n",
    "Y",
    "N",
    "true",
    "false",
    "True",
    "FALSE",
    "tRuE",
    "~",
    "null",
    "Null",
    "NULL",
    "nULL",
    "",
    "0",
    "-0",
    "+0",
    "7",
    "+7",
    "-7",
    "010",
    "0010",
    "-010",
    "08",
    "0o17",
    "0O17",
    "-0o17",
    "+0o17",
    "0x1F",
    "0X1F",
    "0x1f",
    "-0x1F",
    "+0x1F",
    "0b101",
    "0B101",
    "-0b101",
    "1_000",
    "0x_1F",
    "1__0",
    "_1",
    "1e3",
    "1E3",
    "1.5",
    "-1.5",
    "+1.5",
    ".5",
    "5.",
    "1.5e-3",
    "1e400",
    "-1e400",
    ".inf",
    "-.inf",
    "+.inf",
    ".Inf",
    ".INF",
    ".nan",
    ".NaN",
    ".NAN",
    "-.nan",
    "inf",
    "nan",
    "infinity",
    "NaN",
    "18446744073709551615",
    "18446744073709551616",
    "-9223372036854775808",
    "-9223372036854775809",
    "170141183460469231731687303715884105728",
    "12:30:00",
    "190:20:30",
    "2001-12-14",
    "2001-12-14t21:59:43.10-05:00",
    "1.2.3",
    "v1",
    "80/TCP",
    "100m",
    "128Mi",
    "0.5Gi",
    "1e3Mi",
    "cafe",
    "deadbeef",
    "abc",
    "info",
    "none",
    "None",
    "=",
    "-",
    "+",
    ".",
    "..",
    "0x",
    "0o",
    "0b",
    "0x-5",
    "0x+5",
    "--1",
    "+-1",
    "1-1",
    "1+1",
    "a b",
    "é",
    "日本",
    "true false",
    "null x",
];

/// The ways a scalar is written into a document.
fn forms(s: &str) -> Vec<String> {
    vec![
        format!("k: {s}\n"),
        format!("k: \"{s}\"\n"),
        format!("k: '{s}'\n"),
        format!("k: [{s}]\n"),
        format!("k:\n- {s}\n- x\n"),
        format!("{s}: v\n"),
        format!("\"{s}\": v\n"),
        format!("k: {{{s}: {s}}}\n"),
        format!("metadata:\n  name: {s}\n  namespace: {s}\n"),
        format!("k: |\n  {s}\n"),
        format!("k: >-\n  {s}\n"),
        format!("k: !!str {s}\n"),
        format!("k: !!int {s}\n"),
        format!("{s}\n"),
    ]
}

#[test]
fn tricky_scalars_read_the_same_both_ways() {
    let mut agreed = 0;
    for s in SCALARS {
        for text in forms(s) {
            if compare(&text) == Outcome::Agreed {
                agreed += 1;
            }
        }
    }
    // The battery is not vacuous: the quoted and block forms of most of it
    // take the fast path.
    assert!(
        agreed > SCALARS.len(),
        "only {agreed} documents took the fast path"
    );
}

/// Documents whose structure is where readers differ.
const DOCUMENTS: &[&str] = &[
    // Duplicate keys: serde-saphyr rejects them.
    "a: 1\na: 2\n",
    "a: {b: 1, b: 2}\n",
    // Merge keys, anchors, aliases, tags.
    "base: &b {x: 1}\nk:\n  <<: *b\n  y: 2\n",
    "k:\n  <<: {x: 1}\n  y: 2\n",
    "a: &x 1\nb: *x\n",
    "a: !custom 1\n",
    "a: !!binary aGk=\n",
    "a: !!float 1\n",
    "a: !!null ''\n",
    "%YAML 1.1\n---\na: on\n",
    "\u{feff}a: 1\n",
    "a: \u{feff}b\n",
    // Block scalars: chomping, indentation indicators, folding.
    "a: |\n  x\n\n  y\n\n",
    "a: |-\n  x\n  y\n",
    "a: |+\n  x\n\n",
    "a: |2\n    x\n   y\n",
    "a: >\n  folded\n  text\n\n  para\n",
    "a: >+\n  x\n\n\n",
    "a: >-\n   more\n  less\n",
    // Plain and quoted multi-line scalars, escapes.
    "a: plain\n  continued\n\n  para\n",
    "a: \"esc \\t \\u00e9 \\x41 \\N \\_ \\\\ \\\" \\/\"\n",
    "a: \"line\n  folded\\\n  joined\"\n",
    "a: 'it''s'\n",
    "a: \"bad \\q escape\"\n",
    // Flow collections, empty values, comments, odd keys.
    "a: {b: [1, {c: d}], e: []}\n",
    "a:\nb: ~\nc: null\n",
    "a: [1, 2,]\n",
    "a: {b, c: 1}\n",
    "? complex\n: value\n",
    "? [a, b]\n: value\n",
    "a: 1 # comment\n# comment\nb: 'x # not a comment'\n",
    "a: b: c\n",
    "a:\n\t- tab\n",
    "a: [1, 2\n",
    "- a\n- b\n",
    "just a string\n",
    "42\n",
    "a: 1\n---\nb: 2\n",
    "a: 1\n...\n",
    // Control characters and long keys.
    "a: \"\u{7}\"\n",
    "a: \"\\0\"\n",
];

#[test]
fn tricky_documents_read_the_same_both_ways() {
    for text in DOCUMENTS {
        compare(text);
    }
    let long_key = format!("{}: 1\n", "k".repeat(fast::MAX_KEY + 1));
    assert_eq!(compare(&long_key), Outcome::Declined);
    let too_long_key = format!("{}: 1\n", "k".repeat(2000));
    assert_eq!(compare(&too_long_key), Outcome::Declined);
}

#[test]
fn the_fast_path_declines_what_it_cannot_vouch_for() {
    for text in [
        "namespace: off\n",
        "a: 010\n",
        "a: \"010\"\n",
        "a: 1.5\n",
        "a: .inf\n",
        "a: \"\"\n",
        "a: 1\na: 2\n",
        "a: &x 1\nb: *x\n",
        "k:\n  <<: {x: 1}\n",
        "a: !!str 1\n",
        "a: [1, 2\n",
        "18446744073709551616\n",
    ] {
        assert_eq!(fast::parse(text), None, "{text}");
    }
}

#[test]
fn nesting_and_alias_budgets_still_hold() {
    // Deeper than serde-saphyr's budget (64): the fast path declines, and
    // the document fails as it always did.
    let deep = format!("{}{}\n", "[".repeat(100), "]".repeat(100));
    assert_eq!(fast::parse(&deep), None);
    assert!(yaml::parse_document(&doc(&deep)).is_err());
    // Within it but beyond the fast path's own limit: same value both ways.
    let nested = format!("{}1{}\n", "[".repeat(40), "]".repeat(40));
    assert_eq!(compare(&nested), Outcome::Declined);
    assert!(yaml::parse_document(&doc(&nested)).is_ok());
    // An alias bomb never takes the fast path, and is refused.
    let mut bomb = String::from("a: &a [x, x, x, x, x, x, x, x, x, x]\n");
    for i in 0..9u8 {
        let (prev, next) = ((b'a' + i) as char, (b'b' + i) as char);
        bomb.push_str(&format!(
            "{next}: &{next} [*{prev}, *{prev}, *{prev}, *{prev}, *{prev}, *{prev}, *{prev}, *{prev}, *{prev}, *{prev}]\n"
        ));
    }
    assert_eq!(fast::parse(&bomb), None);
    assert!(yaml::parse_document(&doc(&bomb)).is_err());
}

#[test]
fn a_typical_manifest_takes_the_fast_path() {
    let text = "apiVersion: v1\nkind: Service\nmetadata:\n  name: web\n  namespace: shop\n  labels:\n    app.kubernetes.io/name: web\n  annotations:\n    note: \"quoted, with: colon\"\nspec:\n  type: NodePort\n  selector: {app: web}\n  ports:\n  - name: http\n    port: 80\n    targetPort: http\n    nodePort: 30080\n  externalTrafficPolicy: Local\n";
    let value = fast::parse(text).expect("a plain Service takes the fast path");
    assert_eq!(value["spec"]["ports"][0]["port"], 80);
    assert_eq!(compare(text), Outcome::Agreed);
}

/// Every document of every YAML and JSON file of the shared corpus.
#[test]
#[cfg_attr(
    not(svcx_corpus),
    ignore = "needs the shared corpus at ../shared/corpus (present in CI)"
)]
fn every_corpus_document_reads_the_same_both_ways() {
    let root = std::path::Path::new(env!("CARGO_MANIFEST_DIR")).join("../shared/corpus");
    let (mut documents, mut agreed) = (0, 0);
    for entry in walkdir::WalkDir::new(&root).sort_by_file_name() {
        let entry = entry.expect("corpus readable");
        let manifest = matches!(
            entry.path().extension().and_then(|e| e.to_str()),
            Some("yaml" | "yml" | "json")
        );
        if !manifest {
            continue;
        }
        let Ok(text) = std::fs::read_to_string(entry.path()) else {
            continue;
        };
        for d in yaml::split_documents(&text) {
            documents += 1;
            if compare(d.text) == Outcome::Agreed {
                agreed += 1;
            }
        }
    }
    assert!(documents > 100, "the corpus holds {documents} documents");
    // Most real documents take the fast path; what declines is quoted
    // numbers and words, floats, anchors and the like.
    assert!(
        agreed * 2 > documents,
        "{agreed} of {documents} documents took the fast path"
    );
}

/// Every document of the hostile fixtures (tests/hostile.rs): bombs,
/// duplicate keys, nulls, out-of-range numbers, templates, control
/// characters. The fast path must decline or agree on each; a file that is
/// not UTF-8 never reaches either parser.
#[test]
fn every_hostile_document_reads_the_same_both_ways() {
    let root = std::path::Path::new(env!("CARGO_MANIFEST_DIR")).join("tests/fixtures/hostile");
    let (mut documents, mut declined) = (0, 0);
    let mut files: Vec<_> = std::fs::read_dir(&root)
        .expect("hostile fixtures readable")
        .map(|e| e.expect("hostile fixture").path())
        .collect();
    files.sort();
    for path in files {
        let Ok(text) = std::fs::read_to_string(&path) else {
            continue;
        };
        for d in yaml::split_documents(&text) {
            documents += 1;
            if compare(d.text) == Outcome::Declined {
                declined += 1;
            }
        }
    }
    assert!(
        documents >= 14,
        "the hostile fixtures hold {documents} documents"
    );
    // The alias bomb at least is left to serde-saphyr and its budgets.
    assert!(declined >= 1, "no hostile document was declined");
    let bomb = std::fs::read_to_string(root.join("alias-bomb.yaml")).expect("alias bomb");
    assert_eq!(compare(&bomb), Outcome::Declined);
}

#[test]
fn values_agree_on_a_generated_stream() {
    // The benchmark's shape: every document agrees and none declines.
    let text = "apiVersion: apps/v1\nkind: Deployment\nmetadata:\n  name: app-00001\n  namespace: team-1\nspec:\n  replicas: 2\n  selector:\n    matchLabels:\n      app: app-00001\n  template:\n    metadata:\n      labels:\n        app: app-00001\n    spec:\n      containers:\n      - name: app\n        image: registry.example/app-00001:1.2.3\n        ports:\n        - name: http\n          containerPort: 8080\n        env:\n        - name: LOG_LEVEL\n          value: info\n        resources:\n          requests: {cpu: 100m, memory: 128Mi}\n        readinessProbe:\n          httpGet: {path: /healthz, port: http}\n";
    assert_eq!(compare(text), Outcome::Agreed);
    let value: Value = fast::parse(text).expect("fast");
    assert_eq!(value["spec"]["replicas"], 2);
}

/// What a document's head (`svcx::yaml::head`, read from its text without
/// decoding it) names must be what the decoded document says, wherever it
/// answers: a document of a kind svcx does not read is counted from its head
/// alone. Checked on every document of the official examples, the hostile
/// fixtures and (when present) the shared corpus.
#[test]
fn every_head_read_from_text_is_what_the_document_says() {
    let here = std::path::Path::new(env!("CARGO_MANIFEST_DIR"));
    let mut roots = vec![
        here.join("tests/corpus/official"),
        here.join("tests/fixtures/hostile"),
    ];
    if cfg!(svcx_corpus) {
        roots.push(here.join("../shared/corpus"));
    }
    let files: Vec<_> = roots
        .iter()
        .flat_map(|root| walkdir::WalkDir::new(root).sort_by_file_name())
        .map(|entry| entry.expect("readable"))
        .collect();
    // Files on threads of their own: each document is decoded in full.
    let counts = crate::common::parallel(files, |entry| {
        let (mut documents, mut heads) = (0, 0);
        {
            let Ok(text) = std::fs::read_to_string(entry.path()) else {
                return (0, 0);
            };
            if !matches!(
                entry.path().extension().and_then(|e| e.to_str()),
                Some("yaml" | "yml")
            ) {
                return (0, 0);
            }
            for d in yaml::split_documents(&text) {
                documents += 1;
                let Some(head) = yaml::head::head(d.text) else {
                    continue;
                };
                heads += 1;
                let Ok(value) = yaml::parse_document_exact(&d) else {
                    continue;
                };
                let at = format!("{}:{}", entry.path().display(), d.first_line);
                let text_of = |v: &Value| v.as_str().map(str::to_string);
                assert_eq!(
                    text_of(&value["apiVersion"]).as_deref(),
                    Some(head.api_version.as_str()),
                    "{at}"
                );
                assert_eq!(
                    text_of(&value["kind"]).as_deref(),
                    Some(head.kind.as_str()),
                    "{at}"
                );
                assert_eq!(text_of(&value["metadata"]["name"]), head.name, "{at}");
                assert_eq!(
                    text_of(&value["metadata"]["namespace"]),
                    head.namespace,
                    "{at}"
                );
            }
        }
        (documents, heads)
    });
    let documents: usize = counts.iter().map(|c| c.0).sum();
    let heads: usize = counts.iter().map(|c| c.1).sum();
    // Nearly every published document is written plainly enough.
    assert!(documents > 500, "{documents} documents");
    assert!(
        heads * 10 > documents * 9,
        "{heads} heads of {documents} documents"
    );
}
