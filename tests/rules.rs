//! The rule registry as users see it: `svcx rule`, the pages in docs/rules/
//! (generated from the registry; a stale page fails here), and the fixtures
//! every rule must have.

use crate::common;

use common::{root, settings, svcx};
use svcx::Code;
use svcx::NoteCode;
use svcx::render::rule::{index, notes_page, page};

/// docs/rules/ holds one page per rule and an index, exactly as the registry
/// renders them. `SVCX_UPDATE_DOCS=1 cargo test --test integration rules::` rewrites them.
#[test]
fn docs_rules_are_current() {
    let dir = root().join("docs/rules");
    let mut want: Vec<(String, String)> = Code::ALL
        .iter()
        .map(|c| (format!("{c}.md"), page(c.rule())))
        .collect();
    want.push(("README.md".to_string(), index()));
    want.push(("migrate-notes.md".to_string(), notes_page()));
    if std::env::var_os("SVCX_UPDATE_DOCS").is_some() {
        std::fs::create_dir_all(&dir).unwrap();
        for entry in std::fs::read_dir(&dir).unwrap() {
            std::fs::remove_file(entry.unwrap().path()).unwrap();
        }
        for (name, text) in &want {
            std::fs::write(dir.join(name), text).unwrap();
        }
    }
    let mut stale = Vec::new();
    for (name, text) in &want {
        if std::fs::read_to_string(dir.join(name)).ok().as_deref() != Some(text.as_str()) {
            stale.push(name.clone());
        }
    }
    let mut extra: Vec<String> = std::fs::read_dir(&dir)
        .map(|d| {
            d.filter_map(|e| e.ok()?.file_name().into_string().ok())
                .filter(|n| !want.iter().any(|(w, _)| w == n))
                .collect()
        })
        .unwrap_or_default();
    extra.sort();
    assert!(
        stale.is_empty() && extra.is_empty(),
        "docs/rules/ is stale (changed or missing: {stale:?}; not a rule: {extra:?}); \
         run `SVCX_UPDATE_DOCS=1 cargo test --test integration rules::docs_rules_are_current`"
    );
}

/// Every rule has a fixture that fires it and one that does not.
#[test]
fn every_rule_has_a_firing_and_a_clean_fixture() {
    for c in Code::ALL {
        for kind in ["firing", "clean"] {
            let path = root().join(format!("tests/fixtures/lint/{c}/{kind}.yaml"));
            assert!(
                path.is_file(),
                "{c} has no {kind} fixture at {}",
                path.display()
            );
        }
    }
}

#[test]
fn rule_by_code() {
    let run = svcx(&["rule", "SVC101"]);
    assert_eq!(run.code, 0, "{run}");
    settings().bind(|| insta::assert_snapshot!(run.stdout));
}

/// `svcx rule NOTE` shows a migrate note's doc; JSON names its section as
/// the report lists it (`NoteCode::lost`).
#[test]
fn rule_shows_a_migrate_note() {
    let run = svcx(&["rule", "port-moved", "-o", "json"]);
    assert_eq!(run.code, 0, "{run}");
    let v: serde_json::Value = serde_json::from_str(&run.stdout).unwrap();
    assert_eq!(v["note"], "port-moved");
    assert_eq!(v["section"], "not carried over");
    let decided = svcx(&["rule", "entry-point", "-o", "json"]);
    let v: serde_json::Value = serde_json::from_str(&decided.stdout).unwrap();
    assert_eq!(v["section"], "decided for you");
    let all = svcx(&["rule", "--all"]);
    for c in NoteCode::ALL {
        assert!(all.stdout.contains(c.name()), "{} not listed", c.name());
    }
}

#[test]
fn rule_by_name_is_the_same_page() {
    let by_name = svcx(&["rule", "selector-matches-no-pods"]);
    let by_code = svcx(&["rule", "svc101"]);
    assert_eq!(by_name.code, 0);
    assert_eq!(by_name.stdout, by_code.stdout);
}

#[test]
fn rule_all() {
    let run = svcx(&["rule", "--all"]);
    assert_eq!(run.code, 0, "{run}");
    settings().bind(|| insta::assert_snapshot!(run.stdout));
}

#[test]
fn rule_all_json_lists_every_code_with_its_doc() {
    let run = svcx(&["rule", "--all", "-o", "json"]);
    assert_eq!(run.code, 0, "{run}");
    let rules: serde_json::Value = serde_json::from_str(&run.stdout).unwrap();
    let codes: Vec<&str> = rules
        .as_array()
        .unwrap()
        .iter()
        .map(|r| r["code"].as_str().unwrap())
        .collect();
    let want: Vec<&str> = Code::ALL.iter().map(|c| c.code()).collect();
    assert_eq!(codes, want);
    for r in rules.as_array().unwrap() {
        assert!(r["doc"].as_str().unwrap().contains("## What it does"));
        assert!(["error", "warning", "info"].contains(&r["severity"].as_str().unwrap()));
    }
}

#[test]
fn rule_json() {
    let run = svcx(&["rule", "SVC303", "-o", "json"]);
    assert_eq!(run.code, 0, "{run}");
    let r: serde_json::Value = serde_json::from_str(&run.stdout).unwrap();
    assert_eq!(r["name"], "load-balancer-open-to-world");
    assert_eq!(r["severity"], "warning");
    assert_eq!(r["family"], "exposure");
    // lint's own check lives in the rule's file: no other place to name.
    assert_eq!(r["raised_in"], serde_json::json!([]));
}

/// A rule the model raises says where, in JSON and on its page.
#[test]
fn rule_says_where_it_is_raised() {
    let run = svcx(&["rule", "SVC105", "-o", "json"]);
    assert_eq!(run.code, 0, "{run}");
    let r: serde_json::Value = serde_json::from_str(&run.stdout).unwrap();
    assert_eq!(
        r["raised_in"],
        serde_json::json!(["model::view_findings::endpoints::readiness"])
    );
    let page = svcx(&["rule", "SVC105"]);
    assert!(
        page.stdout
            .lines()
            .any(|l| l == "- Raised in: `model::view_findings::endpoints::readiness`"),
        "{page}"
    );
    let all = svcx(&["rule", "--all", "-o", "json"]);
    let rules: serde_json::Value = serde_json::from_str(&all.stdout).unwrap();
    for r in rules.as_array().unwrap() {
        if r["raised_by"]
            .as_str()
            .unwrap()
            .starts_with("the semantic model")
        {
            let paths = r["raised_in"].as_array().unwrap();
            assert!(!paths.is_empty(), "{}: raised_in is empty", r["code"]);
            assert!(
                paths
                    .iter()
                    .all(|p| p.as_str().unwrap().starts_with("model::")),
                "{}: {paths:?}",
                r["code"]
            );
        }
    }
}

#[test]
fn rule_unknown() {
    let run = svcx(&["rule", "selector-matches-no-pod"]);
    assert_eq!(run.code, 2);
    settings().bind(|| insta::assert_snapshot!(run.to_string()));
}

#[test]
fn rule_refuses_input_flags() {
    let run = svcx(&["rule", "SVC101", "--demo"]);
    assert_eq!(run.code, 2, "{run}");
    assert!(run.stderr.contains("--demo"), "{run}");
}
