//! `svcx migrate-to-gateway`: the plan that moves NodePort and LoadBalancer
//! Services behind one Gateway. Pure: it reads the semantic model
//! ([`Semantics`]) and returns the objects to write and a report of what
//! changes, what moved and what cannot be carried over. It writes nothing
//! and never touches a cluster; applying the manifests is the user's act.
//!
//! Per Service port, the route kind follows the port's protocol and
//! appProtocol ([`PortKind`]); each route gets a listener of its own, keyed
//! by protocol, port and hostname, so no two routes can collide on one
//! listener. The release and channel decide which kinds and `apiVersion`s
//! are written ([`target`]); a port whose kind the target does not serve is
//! reported with the target that would serve it.
//!
//! A plan is a sequence of named steps, each in a module of its own:
//! [`choose`] what moves, [`decide`] the release and the Gateway, turn the
//! Ingresses into routes ([`ingress`]), [`place`] each Service port on a
//! listener, [`carry`] over the load balancer settings one Gateway can hold
//! (and report the others), [`build`] the objects, admit the Gateway's
//! proxies where network policies would drop them ([`policies`]), [`prove`]
//! that every request sampled goes where it went, and say what clients
//! reach before and after ([`exposure`]).

mod build;
mod carry;
mod choose;
mod decide;
mod exposure;
mod ingress;
mod notes;
mod place;
mod policies;
mod prove;
mod report;
pub(crate) mod service;
pub(crate) mod target;

use crate::model::Snapshot;
use crate::model::view::{Semantics, ServiceView};
use build::meta;
use carry::Carried;
use choose::namespace_of;
use place::hostname_for;
use place::{Listener, Want, fitting, free_port, missing_listener, unique_name};
use target::{Release, Writes};

pub(crate) use carry::is_lb_annotation;
pub use notes::NoteCode;
pub(crate) use notes::{Note, Section};
pub use report::Migration;
pub(crate) use report::{Emitted, Exposure, Manifest, Report, RouteLine, WayIn};

/// The Gateway's name when `--gateway-name` is not given.
pub(crate) const DEFAULT_GATEWAY_NAME: &str = "shared-gateway";

/// What the flags ask of a migration.
#[derive(Clone, Debug, Default)]
pub struct Options {
    /// Positions (in [`Snapshot::services`]) of the Services named; empty
    /// means every Service in scope.
    pub services: Vec<usize>,
    pub gateway_class: Option<String>,
    pub gateway_name: Option<String>,
    pub gateway_namespace: Option<String>,
    /// `None`: the newest release svcx knows, said in the report.
    pub target: Option<Release>,
    /// `--hostname SERVICE=HOST`: SERVICE is `name` or `namespace/name`.
    pub hostnames: Vec<(String, String)>,
    /// `--domain`: hostnames `<service>.<namespace>.<domain>`.
    pub domain: Option<String>,
    /// `--tls-secret SERVICE=[NAMESPACE/]SECRET`: serve the Service's HTTP
    /// and gRPC routes on HTTPS too, terminating with that Secret.
    pub tls_secrets: Vec<(String, String)>,
    /// `--existing-gateway`: `(namespace, name)` of a Gateway to attach the
    /// routes to, reusing its listeners; none is written.
    pub existing_gateway: Option<(String, String)>,
    /// `--allow-gateway-proxies`: write the NetworkPolicy that admits the
    /// Gateway's proxies to a backend whose policies do not.
    pub allow_gateway_proxies: bool,
}

/// Why a migration cannot be planned (a usage problem: exit 2).
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct PlanError {
    pub(crate) message: String,
    pub(crate) hint: String,
}

// What a Service port carries is the model's fact (`model::ports`): the
// route kind it moves to follows it.
pub(crate) use crate::model::ports::{PortKind, port_kind};

/// Plans the migration of the selected Services.
pub fn plan(snap: &Snapshot, opts: &Options) -> Result<Migration, PlanError> {
    let sem = Semantics::new(snap);
    let mut notes = Vec::new();
    let chosen = choose::choose(snap, &sem, opts, &mut notes);
    if chosen.is_empty() {
        return Ok(nothing(opts, notes));
    }
    let decided = decide::decide(snap, &sem, opts, &chosen, &mut notes)?;

    // Ingresses first: their hosts keep ports 80 and 443.
    let chosen_ingresses = chosen.ingress_indices();
    let mut out = ingress::Out::default();
    ingress::migrate(
        &ingress::IngressPlan {
            snap,
            ix: &sem.routes,
            routing: sem.ingress_routing(),
            existing: decided.existing,
            gateway_name: &decided.gateway_name,
            gateway_namespace: &decided.gateway_namespace,
            gateway_class: &decided.gateway_class,
            target: &decided.target,
        },
        &chosen_ingresses,
        &mut out,
    );
    notes.extend(ingress::replaced(&chosen.ingresses, &out.grpc));
    notes.append(&mut out.notes);
    let placed = place::services(
        &place::Placing {
            snap,
            sem: &sem,
            opts,
            decided: &decided,
            ingresses: chosen
                .ingresses
                .iter()
                .map(|i| format!("{}/{}", i.namespace, i.name))
                .collect(),
        },
        &chosen.views,
        &mut out,
        &mut notes,
    );

    let rewritten: Vec<&_> = chosen
        .views
        .iter()
        .filter(|v| !placed.kept.iter().any(|k| k.index == v.index))
        .collect();
    let carried = if decided.existing.is_none() && !out.listeners.is_empty() {
        carry::carry(
            &rewritten,
            &decided.target,
            &decided.gateway_label(),
            &mut notes,
        )
    } else {
        Carried::default()
    };
    let mut objects = build::objects(
        &decided,
        &out.listeners,
        std::mem::take(&mut out.objects),
        std::mem::take(&mut out.grants),
        &rewritten,
        &carried,
    );
    objects.extend(policies::proxies(
        &sem,
        &objects,
        (
            &decided.gateway_namespace,
            &decided.gateway_name,
            &decided.gateway_class,
        ),
        opts.allow_gateway_proxies,
        &mut notes,
    ));
    notes.extend(build::names_taken(snap, &objects));
    if let Some(g) = decided.existing {
        notes.extend(place::shared_listeners(g, &out.lines));
    }

    let (requests, differences) = prove::prove(
        snap,
        &sem.routes,
        sem.ingress_routing(),
        &chosen_ingresses,
        &objects,
        prove::Parent {
            namespace: &decided.gateway_namespace,
            name: &decided.gateway_name,
        },
    );
    notes.extend(differences);
    notes.sort_by(|a, b| (a.code, &a.object, &a.port).cmp(&(b.code, &b.object, &b.port)));
    // An Ingress's paths to one Service port make one line each: say it once.
    let mut lines = std::mem::take(&mut out.lines);
    lines.dedup();
    let exposure = exposure::exposure(
        snap,
        &sem,
        &chosen,
        &placed,
        &lines,
        &decided.gateway_label(),
    );
    let (ingress_before, ingress_after) =
        exposure::ingress_load_balancers(sem.ingress_routing(), &chosen.ingress_indices());
    let load_balancers_before =
        exposure::load_balancers(&[chosen.views.as_slice(), &chosen.controllers].concat())
            + ingress_before;
    let load_balancers_after = usize::from(!out.listeners.is_empty() || decided.existing.is_some())
        + exposure::load_balancers(&placed.kept.iter().map(|v| (*v).clone()).collect::<Vec<_>>())
        + ingress_after;
    Ok(Migration {
        objects,
        report: Report {
            gateway: format!("{}/{}", decided.gateway_namespace, decided.gateway_name),
            target: match &decided.target {
                Writes::Release(t) => Some(*t),
                Writes::Served(_) => None,
            },
            served: match decided.target {
                Writes::Served(s) => Some(s),
                Writes::Release(_) => None,
            },
            gateway_class: decided.gateway_class,
            services: placed.services,
            ingresses: chosen
                .ingresses
                .iter()
                .map(|i| format!("{}/{}", i.namespace, i.name))
                .collect(),
            load_balancers_before,
            load_balancers_after,
            routes: lines,
            exposure,
            requests,
            notes,
        },
    })
}

/// The plan when nothing moves: no Gateway, so no class or release decided.
fn nothing(opts: &Options, notes: Vec<Note>) -> Migration {
    Migration {
        objects: Vec::new(),
        report: Report {
            target: opts.target,
            served: None,
            gateway: String::new(),
            gateway_class: opts.gateway_class.clone().unwrap_or_default(),
            services: Vec::new(),
            ingresses: Vec::new(),
            load_balancers_before: 0,
            load_balancers_after: 0,
            routes: Vec::new(),
            exposure: Exposure::default(),
            requests: Vec::new(),
            notes,
        },
    }
}

/// The Services in scope a migration would move, as `(position, label)`:
/// what `--interactive` offers to choose from.
pub(crate) fn candidates(snap: &Snapshot) -> Vec<(usize, String)> {
    let sem = Semantics::new(snap);
    (0..snap.services.len())
        .filter(|&i| snap.scope.includes(namespace_of(&snap.services[i])))
        .map(|i| sem.view(i))
        .filter(ServiceView::reachable_from_outside)
        .map(|v| (v.index, format!("{} ({})", v.full_name(), v.service_type)))
        .collect()
}

/// What `--interactive` asks per Service: `None` when none of its ports
/// takes a hostname (only HTTP, gRPC and TLS routes do), else the hostname
/// the options give it now (`--hostname`, its Ingress's host, `--domain`),
/// which is the answer's default.
pub(crate) fn hostname_choice(
    snap: &Snapshot,
    opts: &Options,
    index: usize,
) -> Option<Option<String>> {
    let sem = Semantics::new(snap);
    let view = sem.view(index);
    let sp = view.ports().iter().find(|sp| {
        matches!(
            port_kind(sp),
            PortKind::Http | PortKind::Grpc | PortKind::Tls
        )
    })?;
    Some(hostname_for(&view, opts, &sem, sp.port))
}
