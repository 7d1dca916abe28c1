//! A generated cluster for the benchmarks that serve one over the test API
//! server: N Services in 10 namespaces, 10 Pods and one EndpointSlice per
//! Service, and a Node per 10 Services, each carrying what real ones do
//! (managed fields, annotations, environment, volumes, statuses). Needs the
//! test API server's `support` module beside it (`objects`).

use super::support::objects;
use serde_json::{Value, json};

/// Namespaces the Services are spread over (`ns-0` to `ns-9`).
pub const NAMESPACES: usize = 10;
/// Pods (and endpoints) per Service.
pub const PODS_PER_SERVICE: usize = 10;
/// One Node per this many Services.
pub const SERVICES_PER_NODE: usize = 10;

/// Gives a generated pod the weight a real one carries: managed fields,
/// annotations, environment, resources, volumes and container statuses (the
/// shape `kubectl get pod -o json` shows for a typical Deployment's pod).
fn weigh_pod(mut pod: Value) -> Value {
    let name = pod["metadata"]["name"]
        .as_str()
        .unwrap_or_default()
        .to_string();
    pod["metadata"]["annotations"] = json!({"kubectl.kubernetes.io/restartedAt": "2026-11-01T10:00:00Z", "prometheus.io/scrape": "true"});
    pod["metadata"]["ownerReferences"] = json!([{"apiVersion": "apps/v1", "kind": "ReplicaSet", "name": format!("{name}-rs"), "uid": "0b6c1d0e-5f0e-4c2a-9d7e-3f1b2a4c5d6e", "controller": true, "blockOwnerDeletion": true}]);
    pod["metadata"]["managedFields"] = json!([
        {"manager": "kube-controller-manager", "operation": "Update", "apiVersion": "v1", "time": "2026-11-01T10:00:00Z", "fieldsType": "FieldsV1",
         "fieldsV1": {"f:metadata": {"f:labels": {".": {}, "f:app": {}}, "f:ownerReferences": {}}, "f:spec": {"f:containers": {"k:{\"name\":\"app\"}": {".": {}, "f:env": {}, "f:image": {}, "f:ports": {}, "f:resources": {}}}}}},
        {"manager": "kubelet", "operation": "Update", "apiVersion": "v1", "time": "2026-11-01T10:00:05Z", "fieldsType": "FieldsV1", "subresource": "status",
         "fieldsV1": {"f:status": {"f:conditions": {}, "f:containerStatuses": {}, "f:podIP": {}, "f:podIPs": {}, "f:startTime": {}}}}
    ]);
    let container = &mut pod["spec"]["containers"][0];
    container["env"] = json!([
        {"name": "LOG_LEVEL", "value": "info"}, {"name": "PORT", "value": "8080"},
        {"name": "POD_NAME", "valueFrom": {"fieldRef": {"fieldPath": "metadata.name"}}},
        {"name": "DATABASE_URL", "valueFrom": {"secretKeyRef": {"name": "db", "key": "url"}}}
    ]);
    container["resources"] =
        json!({"requests": {"cpu": "100m", "memory": "128Mi"}, "limits": {"memory": "256Mi"}});
    container["readinessProbe"] =
        json!({"httpGet": {"path": "/healthz", "port": "http"}, "periodSeconds": 10});
    container["volumeMounts"] = json!([{"name": "kube-api-access", "mountPath": "/var/run/secrets/kubernetes.io/serviceaccount", "readOnly": true}]);
    pod["spec"]["volumes"] = json!([{"name": "kube-api-access", "projected": {"sources": [{"serviceAccountToken": {"expirationSeconds": 3607, "path": "token"}}, {"configMap": {"name": "kube-root-ca.crt", "items": [{"key": "ca.crt", "path": "ca.crt"}]}}]}}]);
    pod["spec"]["tolerations"] = json!([{"key": "node.kubernetes.io/not-ready", "operator": "Exists", "effect": "NoExecute", "tolerationSeconds": 300}]);
    pod["status"]["containerStatuses"] = json!([{"name": "app", "ready": true, "restartCount": 0, "image": "example/app:1", "imageID": "example/app@sha256:0000000000000000000000000000000000000000000000000000000000000000", "containerID": "containerd://0000000000000000000000000000000000000000000000000000000000000000", "started": true, "state": {"running": {"startedAt": "2026-11-01T10:00:04Z"}}}]);
    pod
}

/// Managed fields as the API server records them for an object's writers.
fn managed_fields(manager: &str, fields: Value) -> Value {
    json!([{"manager": manager, "operation": "Update", "apiVersion": "v1", "time": "2026-11-01T10:00:00Z",
            "fieldsType": "FieldsV1", "fieldsV1": fields}])
}

/// Gives a generated Service what `kubectl apply` leaves on a real one: the
/// last applied configuration and managed fields.
fn weigh_service(mut svc: Value) -> Value {
    let applied = svc.to_string();
    svc["metadata"]["annotations"] =
        json!({"kubectl.kubernetes.io/last-applied-configuration": applied});
    svc["metadata"]["managedFields"] = managed_fields(
        "kubectl-client-side-apply",
        json!({"f:metadata": {"f:annotations": {".": {}, "f:kubectl.kubernetes.io/last-applied-configuration": {}}, "f:labels": {".": {}, "f:app": {}}},
               "f:spec": {"f:internalTrafficPolicy": {}, "f:ports": {".": {}, "k:{\"port\":80,\"protocol\":\"TCP\"}": {".": {}, "f:name": {}, "f:port": {}, "f:protocol": {}, "f:targetPort": {}}},
                          "f:selector": {}, "f:sessionAffinity": {}, "f:type": {}}}),
    );
    svc["metadata"]["uid"] = json!("5d1c2b3a-4e5f-4a6b-8c7d-9e0f1a2b3c4d");
    svc["metadata"]["resourceVersion"] = json!("123456");
    svc["metadata"]["creationTimestamp"] = json!("2026-11-01T10:00:00Z");
    svc["spec"]["clusterIP"] = json!("10.96.0.10");
    svc["spec"]["clusterIPs"] = json!(["10.96.0.10"]);
    svc["spec"]["ipFamilies"] = json!(["IPv4"]);
    svc["spec"]["ipFamilyPolicy"] = json!("SingleStack");
    svc["spec"]["internalTrafficPolicy"] = json!("Cluster");
    svc["spec"]["sessionAffinity"] = json!("None");
    svc["status"] = json!({"loadBalancer": {}});
    svc
}

/// Gives a generated EndpointSlice what the controller writes on a real one.
fn weigh_slice(mut slice: Value) -> Value {
    slice["metadata"]["managedFields"] = managed_fields(
        "endpointslice-controller.k8s.io",
        json!({"f:addressType": {}, "f:endpoints": {}, "f:metadata": {"f:generateName": {}, "f:labels": {".": {}, "f:endpointslice.kubernetes.io/managed-by": {}, "f:kubernetes.io/service-name": {}}, "f:ownerReferences": {}}, "f:ports": {}}),
    );
    slice["metadata"]["labels"]["endpointslice.kubernetes.io/managed-by"] =
        json!("endpointslice-controller.k8s.io");
    slice["metadata"]["annotations"] =
        json!({"endpoints.kubernetes.io/last-change-trigger-time": "2026-11-01T10:00:05Z"});
    if let Some(eps) = slice["endpoints"].as_array_mut() {
        for ep in eps {
            ep["targetRef"]["uid"] = json!("0b6c1d0e-5f0e-4c2a-9d7e-3f1b2a4c5d6e");
        }
    }
    slice
}

/// A cluster of `services` Services, their Pods and EndpointSlices, and
/// `services / SERVICES_PER_NODE` Nodes.
pub fn cluster(services: usize) -> (Vec<Value>, usize, usize) {
    generate(services, false)
}

/// The same cluster with a third of its Services reachable from outside:
/// every third a NodePort Service, every third a provisioned LoadBalancer
/// (half of those under `externalTrafficPolicy: Local`), the rest ClusterIP.
/// Node ports count up from 30000 (past 2,767 Services the default range is
/// exhausted, as a cluster configured with a wider
/// `--service-node-port-range` allows).
#[allow(dead_code)] // served by explain_live only; the policies bench shares this file
pub fn cluster_exposed(services: usize) -> (Vec<Value>, usize, usize) {
    generate(services, true)
}

/// Makes Service number `s` a NodePort or LoadBalancer Service, or leaves
/// it ClusterIP (`exposed` false, or two Services in three).
fn expose_spec(svc: &mut Value, s: usize, exposed: bool) {
    let kind = match (exposed, s % 3) {
        (true, 1) => "NodePort",
        (true, 2) => "LoadBalancer",
        _ => return,
    };
    svc["spec"]["type"] = json!(kind);
    svc["spec"]["ports"][0]["nodePort"] = json!(30000 + s / 3 * 2 + s % 3 - 1);
    svc["spec"]["externalTrafficPolicy"] = json!("Cluster");
    if kind == "LoadBalancer" && s.is_multiple_of(2) {
        svc["spec"]["externalTrafficPolicy"] = json!("Local");
        svc["spec"]["healthCheckNodePort"] = json!(40000 + s);
    }
}

/// A provisioned load balancer's address, for the LoadBalancer Services.
fn expose_status(svc: &mut Value, s: usize, exposed: bool) {
    if exposed && s % 3 == 2 {
        svc["status"] = json!({"loadBalancer": {"ingress": [{"ip": format!("198.18.{}.{}", s / 250 % 256, s % 250 + 1), "ipMode": "VIP"}]}});
    }
}

fn generate(services: usize, exposed: bool) -> (Vec<Value>, usize, usize) {
    let nodes = (services / SERVICES_PER_NODE).max(1);
    let mut out = Vec::with_capacity(services * (PODS_PER_SERVICE + 2) + nodes);
    for n in 0..nodes {
        out.push(objects::node(
            &format!("node-{n:04}"),
            &format!("192.168.{}.{}", n / 250, n % 250 + 1),
        ));
    }
    let mut pod_n = 0usize;
    for s in 0..services {
        let ns = format!("ns-{}", s % NAMESPACES);
        let name = format!("svc-{s:05}");
        let mut svc = objects::service(&ns, &name);
        expose_spec(&mut svc, s, exposed);
        let mut svc = weigh_service(svc);
        expose_status(&mut svc, s, exposed);
        out.push(svc);
        let mut eps = Vec::with_capacity(PODS_PER_SERVICE);
        for p in 0..PODS_PER_SERVICE {
            let pod = format!("{name}-{p}");
            let ip = objects::ip(pod_n);
            let node = format!("node-{:04}", pod_n % nodes);
            out.push(weigh_pod(objects::pod(&ns, &pod, &name, &ip, &node)));
            eps.push((ip, pod, node));
            pod_n += 1;
        }
        out.push(weigh_slice(objects::endpoint_slice(
            &ns,
            &name,
            &format!("{name}-abcde"),
            &eps,
        )));
    }
    (out, pod_n, nodes)
}
