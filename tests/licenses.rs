//! Every crate svcx is built from may be used under the licenses
//! deny.toml allows: the license expression each package declares in
//! `cargo metadata` (of the locked dependency graph) must be satisfiable by
//! them. svcx itself is Apache-2.0, as LICENSE says.

use crate::common;

use common::root;
use serde_json::Value;
use std::process::Command;

/// The `allow` list of deny.toml's `[licenses]` table.
fn allowed() -> Vec<String> {
    let text = std::fs::read_to_string(root().join("deny.toml")).expect("deny.toml");
    let start = text.find("allow = [").expect("an allow list");
    let end = start + text[start..].find(']').expect("the list ends");
    text[start + "allow = [".len()..end]
        .lines()
        .map(|l| {
            l.split('#')
                .next()
                .unwrap_or_default()
                .trim()
                .trim_end_matches(',')
        })
        .filter(|l| !l.is_empty())
        .map(|l| l.trim_matches('"').to_string())
        .collect()
}

fn packages() -> Vec<Value> {
    let cargo = std::env::var("CARGO").unwrap_or_else(|_| "cargo".into());
    let out = Command::new(cargo)
        .args(["metadata", "--format-version", "1", "--locked"])
        .current_dir(root())
        .output()
        .expect("cargo metadata runs");
    assert!(
        out.status.success(),
        "{}",
        String::from_utf8_lossy(&out.stderr)
    );
    let meta: Value = serde_json::from_slice(&out.stdout).expect("cargo metadata prints JSON");
    meta["packages"].as_array().expect("packages").clone()
}

#[test]
fn svcx_is_apache_2_0() {
    let svcx = packages()
        .into_iter()
        .find(|p| p["name"] == "svcx")
        .expect("svcx in its own metadata");
    assert_eq!(svcx["license"], "Apache-2.0");
    let text = std::fs::read_to_string(root().join("LICENSE")).expect("LICENSE");
    assert!(text.contains("Apache License") && text.contains("Version 2.0, January 2004"));
}

#[test]
fn every_dependency_may_be_used_under_an_allowed_license() {
    let allowed = allowed();
    assert!(allowed.contains(&"MIT".to_string()), "{allowed:?}");
    let permits = |req: &spdx::LicenseReq| {
        allowed.iter().any(|a| {
            // `Apache-2.0 WITH LLVM-exception` and plain identifiers alike.
            let (id, exception) = a
                .split_once(" WITH ")
                .map_or((a.as_str(), None), |(i, e)| (i, Some(e)));
            req.license.id().is_some_and(|l| l.name == id)
                && req.addition.as_ref().map(|x| match x {
                    spdx::AdditionItem::Spdx(e) => e.name,
                    spdx::AdditionItem::Other(_) => "",
                }) == exception
        })
    };
    let mut refused = Vec::new();
    let mut checked = 0;
    for p in packages() {
        let name = format!(
            "{} {}",
            p["name"].as_str().unwrap(),
            p["version"].as_str().unwrap()
        );
        let Some(license) = p["license"].as_str() else {
            refused.push(format!("{name}: declares no license"));
            continue;
        };
        // Older crates write `MIT/Apache-2.0`: lax mode reads `/` as OR.
        match spdx::Expression::parse_mode(license, spdx::ParseMode::LAX) {
            Ok(expr) if expr.evaluate(|r| permits(r)) => checked += 1,
            Ok(_) => refused.push(format!("{name}: {license}")),
            Err(e) => refused.push(format!("{name}: `{license}` is no SPDX expression ({e})")),
        }
    }
    assert!(
        refused.is_empty(),
        "licenses deny.toml does not allow:\n{}",
        refused.join("\n")
    );
    assert!(checked > 100, "{checked} packages");
}
