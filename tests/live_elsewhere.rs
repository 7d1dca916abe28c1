//! Live, a Service name that matches nothing in the namespace in scope but
//! names a Service in another namespace is pointed at, as offline: svcx asks
//! the test API server (`tests/support/`, HTTPS on 127.0.0.1) once, with a
//! list across all namespaces narrowed by `fieldSelector=metadata.name=NAME`,
//! and only on that path.

use crate::common;
use crate::support;

use common::{Cluster, Run};
use support::{ApiServer, ApiServerBuilder, LoggedRequest};
use svcx::demo::MANIFEST;

/// A running server with a kubeconfig whose context namespace is `shop`.
fn in_shop(builder: ApiServerBuilder) -> Cluster {
    Cluster::with_kubeconfig(builder.start(), |k| k.namespace("shop"))
}

/// The requests that asked where else a name is.
fn name_lookups(cluster: &Cluster) -> Vec<LoggedRequest> {
    cluster
        .server
        .requests()
        .into_iter()
        .filter(|r| r.param("fieldSelector").is_some())
        .collect()
}

/// What a failed run printed from its error on.
fn error(run: &Run) -> &str {
    let at = run.stderr.find("svcx: error:").expect("an error on stderr");
    &run.stderr[at..]
}

fn snapshot(name: &str, run: &Run) {
    common::settings().bind(|| {
        insta::assert_snapshot!(name, format!("exit: {}\n{}", run.code, run.stderr));
    });
}

#[test]
fn a_name_in_another_namespace_is_pointed_at() {
    let cluster = in_shop(ApiServer::builder().yaml(MANIFEST));
    for (name, command) in [
        ("live_elsewhere_explain_name", "explain"),
        ("live_elsewhere_trace_name", "trace"),
    ] {
        cluster.server.clear_requests();
        let run = cluster.svcx(&[command, "metrics"]);
        assert_eq!(run.code, 2, "{run}");
        assert!(run.stdout.is_empty(), "{run}");
        snapshot(name, &run);
        // The same error as offline, where every namespace is read (notices
        // about what the test server does not serve come before it).
        let offline = common::svcx(&[command, "--demo", "-n", "shop", "metrics"]);
        assert_eq!(error(&run), error(&offline), "{command}");

        cluster.assert_only_reads();
        let lookups = name_lookups(&cluster);
        assert_eq!(lookups.len(), 1, "{lookups:#?}");
        assert_eq!(lookups[0].path, "/api/v1/services");
        assert_eq!(
            lookups[0].param("fieldSelector").as_deref(),
            Some("metadata.name=metrics")
        );
    }
    // With a port, by the trace's TARGET syntax.
    let run = cluster.svcx(&["trace", "metrics:9090"]);
    assert_eq!(run.code, 2, "{run}");
    assert!(run.stderr.contains("infra/metrics"), "{run}");
}

#[test]
fn the_cluster_is_asked_only_when_a_bare_name_is_not_found() {
    let cluster = in_shop(ApiServer::builder().yaml(MANIFEST));
    for args in [
        // Found in the context's namespace.
        &["explain", "cart"][..],
        &["trace", "cart"],
        // Every Service in scope, no name.
        &["explain"],
        &["trace"],
        // NAMESPACE/NAME names its namespace: the scope hid nothing.
        &["explain", "infra/nope"],
        &["trace", "infra/nope"],
        // Every namespace was read.
        &["explain", "-A", "nope"],
        &["trace", "-A", "nope"],
        // An address.
        &["trace", "10.96.30.9"],
        // No Service can have this name.
        &["explain", "Metrics"],
    ] {
        cluster.server.clear_requests();
        let run = cluster.svcx(args);
        assert!(run.code == 0 || run.code == 1 || run.code == 2, "{run}");
        cluster.assert_only_reads();
        assert_eq!(name_lookups(&cluster), [], "{args:?}");
    }
    // Nowhere in the cluster: asked, and the error is the plain one.
    cluster.server.clear_requests();
    let run = cluster.svcx(&["explain", "nope"]);
    assert_eq!(run.code, 2, "{run}");
    assert_eq!(name_lookups(&cluster).len(), 1);
    assert!(!run.stderr.contains("-A to look"), "{run}");
}

#[test]
fn every_namespace_with_the_name_is_listed_across_pages() {
    let services = ["blue/web", "green/web", "shop/api"].map(|s| {
        let (ns, name) = s.split_once('/').unwrap();
        serde_json::json!({
            "apiVersion": "v1", "kind": "Service",
            "metadata": {"name": name, "namespace": ns},
            "spec": {"ports": [{"port": 80}], "selector": {"app": name}},
        })
    });
    // One object per page: the filtered list takes two pages.
    let cluster = in_shop(ApiServer::builder().objects(services).max_page(1));
    let run = cluster.svcx(&["explain", "web"]);
    assert_eq!(run.code, 2, "{run}");
    snapshot("live_elsewhere_two_namespaces", &run);
    let lookups = name_lookups(&cluster);
    assert_eq!(lookups.len(), 2, "{lookups:#?}");
    assert_eq!(lookups[0].param("continue"), None);
    assert!(lookups[1].param("continue").is_some(), "{lookups:#?}");
    assert!(lookups.iter().all(|r| r.path == "/api/v1/services"));
}

#[test]
fn a_refused_lookup_leaves_the_plain_error() {
    let cluster = in_shop(
        ApiServer::builder()
            .yaml(MANIFEST)
            .forbid_cluster_wide("services"),
    );
    for (name, command) in [
        ("live_elsewhere_forbidden_explain", "explain"),
        ("live_elsewhere_forbidden_trace", "trace"),
    ] {
        cluster.server.clear_requests();
        let run = cluster.svcx(&[command, "metrics"]);
        assert_eq!(run.code, 2, "{run}");
        assert!(!run.stderr.contains("infra"), "{run}");
        snapshot(name, &run);
        // It was asked, and refused.
        let lookups = name_lookups(&cluster);
        assert_eq!(lookups.len(), 1, "{lookups:#?}");
        assert_eq!(lookups[0].path, "/api/v1/services");
        cluster.assert_only_reads();
    }
}
