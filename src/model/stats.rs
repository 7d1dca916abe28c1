//! What was read, for sources that read text (files, stdin, the demo): how
//! many files and documents, how many objects of each kind, which were
//! skipped and why, which were read twice, and where the objects outside the
//! namespace in scope are. Notices about skipped objects are written from it
//! once, when the snapshot is finished (one line per reason, not per object),
//! and commands use it to explain an empty answer.

use super::ingest::{self, ObjectKey};
use super::{Notice, Origin, Scope, Snapshot, SourceInfo};
use crate::model::slim::SlimObject;
use kube::ResourceExt;
use std::collections::{BTreeMap, HashMap};

/// How many duplicate objects are reported one by one; the rest are counted
/// in one more notice, so that a file given twice does not flood stderr.
const DUPLICATES_SHOWN: usize = 10;
/// How many places of one duplicate object are named.
const PLACES_SHOWN: usize = 4;
/// How many kinds the notice about unused kinds names.
const KINDS_SHOWN: usize = 8;

/// An object read more than once: where it was kept, and where it was
/// read again.
#[derive(Clone, Debug, PartialEq, Eq)]
pub(crate) struct Duplicate {
    /// `Service `shop/web``.
    pub(crate) object: String,
    pub(crate) kept: Origin,
    pub(crate) again: Vec<Origin>,
}

/// Counts of what a text source read. Every object is counted once, however
/// often it was read.
#[derive(Debug, Default)]
pub(crate) struct LoadStats {
    /// Files read (stdin counts as one).
    pub(crate) files: usize,
    /// Documents read that hold something (YAML documents, JSON values); a
    /// `List` is one document.
    pub(crate) documents: usize,
    /// Objects read, per kind (`Service`; `Gateway.networking.istio.io` for
    /// a kind of another group than Kubernetes' own).
    pub(crate) objects: BTreeMap<String, usize>,
    /// Namespaced objects in the namespaces in scope.
    pub(crate) in_scope: usize,
    /// Objects outside the namespace in scope: namespace → kind → count.
    pub(crate) out_of_scope: BTreeMap<String, BTreeMap<String, usize>>,
    /// Objects in scope of kinds svcx does not read, per kind.
    pub(crate) unused: BTreeMap<String, usize>,
    /// Namespace → the kinds of other groups than Kubernetes' own
    /// (`Prometheus.monitoring.coreos.com`) read there and not read by svcx:
    /// an operator may create pods from them.
    pub(crate) custom: BTreeMap<String, std::collections::BTreeSet<String>>,
    /// Objects in scope at API versions no longer served: (apiVersion,
    /// kind) → count.
    pub(crate) old_versions: BTreeMap<(String, String), usize>,
    /// Pods and workloads in scope that are Helm hooks (`helm.sh/hook`), per
    /// kind: `helm template` prints them, but they run only around an
    /// install, upgrade or `helm test`, so they are not a Service's backends.
    pub(crate) helm_hooks: BTreeMap<String, usize>,
    /// Objects read more than once, in the order first seen again.
    pub(crate) duplicates: Vec<Duplicate>,
    /// Every named object read so far, with its first place and, once seen
    /// again, its entry in `duplicates`.
    seen: HashMap<ObjectKey, (Origin, Option<usize>)>,
}

impl LoadStats {
    /// The operators' kinds read in a namespace (see [`LoadStats::custom`]),
    /// when there are any: pods there may come from them.
    pub(crate) fn operators_in(
        &self,
        namespace: &str,
    ) -> Option<&std::collections::BTreeSet<String>> {
        self.custom.get(namespace).filter(|c| !c.is_empty())
    }

    /// Every object read, of any kind.
    pub(crate) fn total(&self) -> usize {
        self.objects.values().sum()
    }

    /// Records that an object was read at `origin`; true when it had been
    /// read before (it is then recorded as a duplicate, when `reported`).
    pub(super) fn seen_before(
        &mut self,
        key: ObjectKey,
        label: &str,
        origin: &Origin,
        reported: bool,
    ) -> bool {
        use std::collections::hash_map::Entry;
        match self.seen.entry(key) {
            Entry::Vacant(v) => {
                v.insert((origin.clone(), None));
                false
            }
            Entry::Occupied(_) if !reported => true,
            Entry::Occupied(mut o) => {
                let (group_kind_ns_name, (kept, index)) = (o.key().clone(), o.get_mut());
                match index {
                    Some(i) => self.duplicates[*i].again.push(origin.clone()),
                    None => {
                        *index = Some(self.duplicates.len());
                        let (_, _, ns, name) = group_kind_ns_name;
                        let object = if ns.is_empty() {
                            format!("{label} `{name}`")
                        } else {
                            format!("{label} `{ns}/{name}`")
                        };
                        self.duplicates.push(Duplicate {
                            object,
                            kept: kept.clone(),
                            again: vec![origin.clone()],
                        });
                    }
                }
                true
            }
        }
    }
}

/// `1 object`, `2 objects`.
fn count(n: usize, word: &str) -> String {
    if n == 1 {
        format!("1 {word}")
    } else {
        format!("{n} {word}s")
    }
}

/// `ConfigMap (12), ServiceAccount (3)`, largest first, at most `shown`
/// kinds.
fn tally<'a>(counts: impl IntoIterator<Item = (&'a String, &'a usize)>, shown: usize) -> String {
    let mut counts: Vec<_> = counts.into_iter().collect();
    counts.sort_by(|a, b| b.1.cmp(a.1).then(a.0.cmp(b.0)));
    let mut out: Vec<String> = counts
        .iter()
        .take(shown)
        .map(|(k, n)| format!("{k} ({n})"))
        .collect();
    if counts.len() > shown {
        out.push(format!("and {}", count(counts.len() - shown, "more kind")));
    }
    out.join(", ")
}

/// `` `shop`, `data` ``: namespaces, most objects first.
fn namespaces<'a>(counts: impl IntoIterator<Item = (&'a String, usize)>) -> Vec<&'a String> {
    let mut counts: Vec<_> = counts.into_iter().filter(|(_, n)| *n > 0).collect();
    counts.sort_by(|a, b| b.1.cmp(&a.1).then(a.0.cmp(b.0)));
    counts.into_iter().map(|(ns, _)| ns).collect()
}

fn quoted(names: &[&String]) -> String {
    let mut out: Vec<String> = names.iter().take(5).map(|n| format!("`{n}`")).collect();
    if names.len() > 5 {
        out.push(format!("and {} more", names.len() - 5));
    }
    out.join(", ")
}

impl Snapshot {
    /// Narrows what is reported to one namespace, after the whole input was
    /// read, and recounts what is in scope and what lies outside it, so that
    /// an empty answer can say where the objects are.
    pub(crate) fn narrow_to(&mut self, namespace: &str) {
        self.scope = Scope::Namespace(namespace.to_string());
        let mut in_scope = 0;
        let mut outside: BTreeMap<String, BTreeMap<String, usize>> = BTreeMap::new();
        let mut count = |ns: String, kind: &str| {
            if ns == namespace {
                in_scope += 1;
            } else {
                *outside
                    .entry(ns)
                    .or_default()
                    .entry(kind.to_string())
                    .or_default() += 1;
            }
        };
        macro_rules! tally {
            ($($list:ident),*) => {$(
                for o in &self.$list {
                    count(o.object.namespace().unwrap_or_default(), &kind_of(&o.object));
                }
            )*};
        }
        fn kind_of<T: kube::Resource<DynamicType = ()>>(_: &T) -> String {
            T::kind(&()).to_string()
        }
        // Pods are slim, not an API type that names its kind.
        for p in &self.pods {
            count(p.object.namespace().unwrap_or_default(), "Pod");
        }
        tally!(
            services,
            endpoint_slices,
            ingresses,
            gateways,
            listener_sets,
            http_routes,
            grpc_routes,
            tls_routes,
            tcp_routes,
            udp_routes,
            reference_grants
        );
        for w in &self.workloads {
            count(w.namespace.clone(), &w.kind);
        }
        self.stats.in_scope = in_scope;
        self.stats.out_of_scope = outside;
    }

    /// Notices for what was skipped: one per old apiVersion and kind, one
    /// for every kind svcx does not read, one per object read twice.
    pub(super) fn skip_notices(&mut self) {
        let mut notices = Vec::new();
        for ((api_version, kind), n) in &self.stats.old_versions {
            let (group, version) = api_version.rsplit_once('/').unwrap_or(("", api_version));
            let gone =
                ingest::old_version(group, version, kind).map_or("is no longer served", |o| o.gone);
            let current = ingest::KINDS
                .iter()
                .find(|k| k.kind == kind.as_str())
                .map(|k| k.api_version())
                .unwrap_or_default();
            notices.push(Notice {
                message: format!(
                    "skipped {} of `apiVersion: {api_version}`: that API {gone}",
                    count(*n, &format!("{kind} object"))
                ),
                hint: Some(format!(
                    "svcx reads {kind} at `apiVersion: {current}`; update the manifests to it"
                )),
                context: None,
            });
        }
        if !self.stats.helm_hooks.is_empty() {
            let n: usize = self.stats.helm_hooks.values().sum();
            notices.push(Notice {
                message: format!(
                    "skipped {} annotated `helm.sh/hook`, which run only around an install, upgrade or `helm test` and back no Service: {}",
                    count(n, "object"),
                    tally(&self.stats.helm_hooks, KINDS_SHOWN)
                ),
                hint: None,
                context: None,
            });
        }
        if !self.stats.unused.is_empty() {
            let n: usize = self.stats.unused.values().sum();
            notices.push(Notice {
                message: format!(
                    "skipped {} of kinds svcx does not read: {}",
                    count(n, "object"),
                    tally(&self.stats.unused, KINDS_SHOWN)
                ),
                hint: None,
                context: None,
            });
        }
        for d in self.stats.duplicates.iter().take(DUPLICATES_SHOWN) {
            let times = match d.again.len() + 1 {
                2 => "twice".to_string(),
                n => format!("{n} times"),
            };
            let mut places: Vec<String> = d
                .again
                .iter()
                .take(PLACES_SHOWN - 1)
                .map(ToString::to_string)
                .collect();
            if d.again.len() > PLACES_SHOWN - 1 {
                places.push(format!("and {} more", d.again.len() - (PLACES_SHOWN - 1)));
            }
            notices.push(Notice {
                message: format!(
                    "{} is read {times}: at {} (kept) and again at {}",
                    d.object,
                    d.kept,
                    places.join(", ")
                ),
                hint: None,
                context: None,
            });
        }
        if self.stats.duplicates.len() > DUPLICATES_SHOWN {
            notices.push(Notice {
                message: format!(
                    "{} are read more than once, each kept at its first place",
                    count(
                        self.stats.duplicates.len() - DUPLICATES_SHOWN,
                        "more object"
                    )
                ),
                hint: Some("pass each file once; a directory is read recursively".into()),
                context: None,
            });
        }
        self.notices.extend(notices);
    }

    /// When no Service is in scope, what was read and why nothing is in
    /// scope (`verb` names the command: "explain", "trace"). None when some
    /// Service is in scope.
    pub(crate) fn nothing_in_scope(&self, verb: &str) -> Option<Notice> {
        let in_scope = self.services.iter().any(|s| {
            self.scope
                .includes(&s.object.namespace().unwrap_or_default())
        });
        if in_scope {
            return None;
        }
        let from = match &self.source {
            SourceInfo::Live { context, .. } => {
                let message = match &self.scope {
                    Scope::Namespace(ns) => {
                        format!(
                            "no Services in namespace `{ns}` (context `{context}`): nothing to {verb}"
                        )
                    }
                    Scope::AllNamespaces => {
                        format!(
                            "no Services in the cluster (context `{context}`): nothing to {verb}"
                        )
                    }
                };
                let hint = matches!(self.scope, Scope::Namespace(_))
                    .then(|| "use -A for every namespace, or -n with another one".to_string());
                return Some(Notice {
                    message,
                    hint,
                    context: None,
                });
            }
            SourceInfo::Demo => "the demo cluster".to_string(),
            // Only a report over several clusters has this source, and each
            // cluster's snapshot said its own.
            SourceInfo::Clusters => return None,
            SourceInfo::Files { paths } => {
                let names: Vec<&str> = paths
                    .iter()
                    .map(|p| if p == "-" { "<stdin>" } else { p.as_str() })
                    .collect();
                let mut from = names.join(", ");
                if self.stats.files == 0 {
                    from.push_str(" (no .yaml, .yml or .json files)");
                } else if self.stats.files != paths.len() {
                    from.push_str(&format!(" ({})", count(self.stats.files, "file")));
                }
                from
            }
        };
        let stats = &self.stats;
        let total = stats.total();
        let services = stats.objects.get("Service").copied().unwrap_or(0);
        let read = if total == 0 {
            format!("read 0 objects from {from}")
        } else if services == 0 {
            format!("read {} (no Services) from {from}", count(total, "object"))
        } else {
            format!(
                "read {} ({}) from {from}",
                count(total, "object"),
                count(services, "Service")
            )
        };
        let namespaced_elsewhere: usize =
            stats.out_of_scope.values().flat_map(|k| k.values()).sum();
        let (message, hint) = match &self.scope {
            _ if total == 0 => (format!("{read}: nothing to {verb}"), None),
            Scope::Namespace(ns) if stats.in_scope == 0 && namespaced_elsewhere > 0 => {
                let elsewhere = namespaces(
                    stats
                        .out_of_scope
                        .iter()
                        .map(|(ns, k)| (ns, k.values().sum())),
                );
                (
                    format!(
                        "{read}, none in namespace `{ns}`; they are in {}",
                        quoted(&elsewhere)
                    ),
                    Some(format!(
                        "use -A for every namespace, or -n {}",
                        elsewhere[0]
                    )),
                )
            }
            Scope::Namespace(ns) if services > 0 => {
                let elsewhere = namespaces(
                    stats
                        .out_of_scope
                        .iter()
                        .map(|(ns, k)| (ns, k.get("Service").copied().unwrap_or(0))),
                );
                (
                    format!(
                        "{read}, no Service in namespace `{ns}`; Services are in {}",
                        quoted(&elsewhere)
                    ),
                    elsewhere
                        .first()
                        .map(|first| format!("use -A for every namespace, or -n {first}")),
                )
            }
            _ => (
                format!("{read}: nothing to {verb}"),
                Some(format!(
                    "svcx {verb}s Services; the input holds {}",
                    tally(&stats.objects, KINDS_SHOWN)
                )),
            ),
        };
        Some(Notice {
            message,
            hint,
            context: None,
        })
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use serde_json::json;

    fn files(paths: &[&str], scope: Scope) -> Snapshot {
        let paths = paths.iter().map(|p| p.to_string()).collect();
        Snapshot::new(SourceInfo::Files { paths }, scope)
    }

    fn add(s: &mut Snapshot, kind: &str, ns: &str, name: &str, line: usize) {
        let api = if kind == "Deployment" {
            "apps/v1"
        } else {
            "v1"
        };
        let mut v =
            json!({"apiVersion": api, "kind": kind, "metadata": {"name": name, "namespace": ns}});
        if kind == "Deployment" {
            v["spec"] = json!({"selector": {"matchLabels": {"app": name}},
                               "template": {"metadata": {"labels": {"app": name}}}});
        }
        let origin = Origin::File {
            path: "k8s/a.yaml".into(),
            line,
        };
        s.ingest(v, origin, "default").unwrap();
    }

    #[test]
    fn counts_and_the_empty_answer() {
        let mut s = files(&["-"], Scope::AllNamespaces);
        s.stats.files = 1;
        let n = s.nothing_in_scope("explain").unwrap();
        assert_eq!(n.message, "read 0 objects from <stdin>: nothing to explain");

        let mut s = files(&["k8s/"], Scope::Namespace("prod".into()));
        s.stats.files = 2;
        add(&mut s, "Service", "shop", "web", 1);
        add(&mut s, "Service", "data", "db", 5);
        add(&mut s, "ConfigMap", "shop", "cfg", 9);
        let n = s.nothing_in_scope("explain").unwrap();
        assert_eq!(
            n.message,
            "read 3 objects (2 Services) from k8s/ (2 files), none in namespace `prod`; \
             they are in `shop`, `data`"
        );
        assert_eq!(
            n.hint.as_deref(),
            Some("use -A for every namespace, or -n shop")
        );

        // Something in the namespace, but no Service.
        add(&mut s, "Deployment", "prod", "api", 20);
        let n = s.nothing_in_scope("trace").unwrap();
        assert!(
            n.message
                .ends_with("no Service in namespace `prod`; Services are in `data`, `shop`"),
            "{}",
            n.message
        );

        // Services in scope: nothing to say.
        let mut s = files(&["x.yaml"], Scope::AllNamespaces);
        add(&mut s, "Service", "shop", "web", 1);
        assert_eq!(s.nothing_in_scope("explain"), None);
    }

    #[test]
    fn skips_are_summarised_once_per_reason() {
        let mut s = files(&["x.yaml"], Scope::AllNamespaces);
        for i in 0..12 {
            add(&mut s, "ConfigMap", "shop", &format!("c{i}"), i);
        }
        add(&mut s, "Service", "shop", "web", 1);
        add(&mut s, "Service", "shop", "web", 30);
        add(&mut s, "Service", "shop", "web", 40);
        let s = s.finish();
        let messages: Vec<&str> = s.notices.iter().map(|n| n.message.as_str()).collect();
        assert_eq!(
            messages,
            [
                "skipped 12 objects of kinds svcx does not read: ConfigMap (12)",
                "Service `shop/web` is read 3 times: at k8s/a.yaml:1 (kept) and again at \
                 k8s/a.yaml:30, k8s/a.yaml:40",
            ]
        );
        assert_eq!(s.stats.objects["Service"], 1);
    }

    #[test]
    fn many_duplicates_are_named_up_to_a_limit_then_counted() {
        let mut s = files(&["x.yaml"], Scope::AllNamespaces);
        for copy in 0..2 {
            for i in 0..(DUPLICATES_SHOWN + 2) {
                add(&mut s, "Service", "shop", &format!("s{i}"), copy * 100 + i);
            }
        }
        let s = s.finish();
        assert_eq!(s.stats.duplicates.len(), DUPLICATES_SHOWN + 2);
        assert_eq!(s.notices.len(), DUPLICATES_SHOWN + 1);
        assert_eq!(
            s.notices.last().unwrap().message,
            "2 more objects are read more than once, each kept at its first place"
        );
    }
}
