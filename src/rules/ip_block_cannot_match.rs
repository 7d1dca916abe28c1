//! SVC116: an ipBlock that cannot match under the Service's
//! externalTrafficPolicy (raised by lint).

use crate::lint::Context;
use crate::rules::registry::{Check, declare_rule};
use crate::model::finding::Finding;

declare_rule! {
    /// ## What it does
    /// Flags an `ipBlock` of a NetworkPolicy that selects the endpoints of a
    /// Service reachable from outside, when the addresses it names cannot be
    /// the ones the policy sees: under `externalTrafficPolicy: Cluster`, no
    /// address of any node (the source after source NAT, on plugins that
    /// apply policies after it), and no other ipBlock of the policies that
    /// select the pods holds one either; under `Local`, none of the Service's
    /// `loadBalancerSourceRanges` (the only clients the load balancer lets
    /// in).
    ///
    /// ## Why is this bad?
    /// The rule was written to let outside clients in, but it admits no
    /// address they arrive with: under `Cluster` the node may replace the
    /// client's address with its own, and under `Local` the clients come
    /// from ranges the block does not hold. The Service looks exposed, and
    /// its pods drop the traffic.
    ///
    /// ## Example
    /// ```yaml
    /// kind: Service
    /// spec:
    ///   type: LoadBalancer
    ///   externalTrafficPolicy: Cluster
    /// ---
    /// kind: NetworkPolicy
    /// spec:
    ///   ingress:
    ///   - from:
    ///     - ipBlock: {cidr: 203.0.113.0/24}   # the clients; the pods may see a node
    /// ```
    ///
    /// Use instead:
    /// ```yaml
    /// kind: Service
    /// spec:
    ///   type: LoadBalancer
    ///   externalTrafficPolicy: Local      # the pods see the client's address
    /// ```
    ///
    /// ## How to fix
    /// To filter by client address, keep it: `externalTrafficPolicy: Local`
    /// (and spread the pods over the nodes), or filter at the load balancer
    /// with `loadBalancerSourceRanges`. Under `Local`, make the ipBlock cover
    /// the ranges the load balancer admits.
    ///
    /// ## Known limitations
    /// Under `Cluster`, whether policies see the node or the client depends
    /// on the network plugin: on plugins that apply policies before source
    /// NAT the block matches (hence a warning). It needs the Nodes' addresses
    /// (live, the demo, or Nodes in the input).
    ///
    /// ## References
    /// - https://kubernetes.io/docs/concepts/services-networking/network-policies/#behavior-of-to-and-from-selectors
    /// - https://kubernetes.io/docs/tasks/access-application-cluster/create-external-load-balancer/#preserving-the-client-source-ip
    code: "SVC116",
    name: "ip-block-cannot-match",
    severity: Warning,
    summary: "an ipBlock admits no address the policy sees under the Service's externalTrafficPolicy",
    migrate: false,
    check: Check::Run(check),
    raised_in: crate::model::policy::Policies::ip_blocks_that_cannot_match,
}

fn check(cx: &Context<'_, '_>, out: &mut Vec<Finding>) {
    if let Some(p) = &cx.sem.policies {
        out.extend(p.ip_blocks_that_cannot_match(cx.views));
    }
}
