//! The k9s plugin example (plugins/k9s.yaml): it parses as k9s's plugins
//! file (the fields k9s's schema requires: shortCut, description, scopes,
//! command), and each command line, with the variables k9s fills in
//! ($NAME, $NAMESPACE, $CONTEXT, $KUBECONFIG; k9s README, "Plugins"), runs
//! svcx against the test API server on the selected Service, reading only.

use crate::common;
use crate::support;

use common::root;
use serde_json::Value;
use std::process::Command;
use support::ApiServer;

const MANIFEST: &str = "apiVersion: v1\nkind: Service\nmetadata: {name: web, namespace: shop}\n\
spec:\n  selector: {app: web}\n  clusterIP: 10.96.0.10\n  clusterIPs: [10.96.0.10]\n  ports: [{name: http, port: 80, targetPort: 8080}]\n";

/// Replaces k9s's `$VAR` and `${VAR}` with the values given (longer names
/// first: `$NAMESPACE` is not `$NAME` and `SPACE`).
fn expand(arg: &str, vars: &[(&str, &str)]) -> String {
    let mut vars = vars.to_vec();
    vars.sort_by_key(|(k, _)| std::cmp::Reverse(k.len()));
    let mut out = arg.to_string();
    for (k, v) in vars {
        out = out
            .replace(&format!("${{{k}}}"), v)
            .replace(&format!("${k}"), v);
    }
    out
}

/// The text without its colour codes (`ESC [ ... m`).
fn plain(s: &str) -> String {
    let mut out = String::new();
    let mut chars = s.chars();
    while let Some(c) = chars.next() {
        if c == '\u{1b}' {
            for d in chars.by_ref() {
                if d == 'm' {
                    break;
                }
            }
        } else {
            out.push(c);
        }
    }
    out
}

#[test]
fn the_k9s_plugins_run_svcx_on_the_selected_service() {
    let text = std::fs::read_to_string(root().join("plugins/k9s.yaml")).expect("plugins/k9s.yaml");
    let docs = svcx::yaml::split_documents(&text);
    assert_eq!(docs.len(), 1);
    let doc: Value = svcx::yaml::parse_document(&docs[0]).expect("valid YAML");
    let plugins = doc["plugins"].as_object().expect("a plugins map");
    assert_eq!(plugins.len(), 2);
    let server = ApiServer::builder().yaml(MANIFEST).start();
    let dir = tempfile::tempdir().expect("a temporary directory");
    let kubeconfig = server
        .kubeconfig()
        .contexts(&[("prod", Some("default"))])
        .write(dir.path());
    // svcx and a pager that prints, first on PATH, as k9s's shell finds them.
    let bin = dir.path().join("bin");
    std::fs::create_dir(&bin).expect("a bin directory");
    std::os::unix::fs::symlink(env!("CARGO_BIN_EXE_svcx"), bin.join("svcx")).expect("a link");
    std::fs::write(bin.join("less"), "#!/bin/sh\nexec cat\n").expect("a pager");
    Command::new("chmod")
        .arg("+x")
        .arg(bin.join("less"))
        .status()
        .expect("chmod");
    let path = format!(
        "{}:{}",
        bin.display(),
        std::env::var("PATH").unwrap_or_default()
    );
    let vars = [
        ("NAME", "web"),
        ("NAMESPACE", "shop"),
        ("CONTEXT", "prod"),
        ("KUBECONFIG", kubeconfig.to_str().expect("UTF-8 path")),
    ];
    for (name, plugin) in plugins {
        for field in ["shortCut", "description", "scopes", "command"] {
            assert!(plugin.get(field).is_some(), "{name}: k9s requires {field}");
        }
        assert_eq!(plugin["scopes"], serde_json::json!(["services"]), "{name}");
        let args: Vec<String> = plugin["args"]
            .as_array()
            .expect("args")
            .iter()
            .map(|a| expand(a.as_str().expect("a string"), &vars))
            .collect();
        let out = Command::new(plugin["command"].as_str().unwrap())
            .args(&args)
            .env_clear()
            .env("PATH", &path)
            .output()
            .expect("the plugin's command runs");
        let stdout = plain(&String::from_utf8_lossy(&out.stdout));
        let stderr = String::from_utf8_lossy(&out.stderr);
        assert!(out.status.success(), "{name}: {stderr}");
        assert!(
            stderr.is_empty(),
            "{name}: everything goes to the pager: {stderr}"
        );
        assert!(!stdout.contains("svcx: error"), "{name}: {stdout}");
        assert!(stdout.contains("shop/web"), "{name}: {stdout}");
        // --color always reaches the pager (less -R shows it).
        assert!(out.stdout.contains(&0x1b), "{name}: colour");
    }
    let requests = server.requests();
    assert!(!requests.is_empty());
    assert!(
        requests.iter().all(|r| r.method == "GET"),
        "svcx only reads"
    );
    assert!(
        requests
            .iter()
            .all(|r| !r.path.contains("/namespaces/") || r.path.contains("/namespaces/shop/")),
        "reads the selected namespace only: {requests:?}"
    );
}
