import type { PolicyResource } from "@pulumi/policy";
import { runsWorker } from "../lib/activepieces";
import { isK8sWorkload, k8sContainers } from "../lib/containers";
import { guarded, label, stackRule } from "../lib/define";
import { NAMESPACE, NETWORK_POLICY, OTHER_NETWORK_POLICY_TYPES, metadata, namespaceOf, podLabels, selects } from "../lib/k8s";
import { StackIndex } from "../lib/stack";
import { globMatch, optObj, optStr } from "../lib/values";

interface Config {
  exemptNamespaces: string[];
}

/**
 * A worker runs flow code that can open any connection: without a NetworkPolicy it reaches every
 * pod of the cluster (the app's internals, other tenants, the node's metadata service through the
 * pod network). The policy must live in the workers' namespace and select their pods. When the
 * namespace is not created by this stack, or the stack uses Cilium/Calico policies the pack does
 * not read, a policy may exist elsewhere and the finding is advisory.
 * https://kubernetes.io/docs/concepts/services-networking/network-policies/
 */
export const requireWorkerNetworkPolicy = stackRule<Config>({
  name: "require-worker-network-policy",
  description: "Pods that run ActivePieces workers must be selected by a NetworkPolicy in their namespace.",
  enforcementLevel: "mandatory",
  remediationSteps:
    "Add a networking.k8s.io/v1 NetworkPolicy in the workers' namespace whose `podSelector` matches the worker pods' labels, allowing egress only to the app, Redis, Postgres, DNS and the flows' targets.",
  configSchema: {
    properties: {
      exemptNamespaces: {
        type: "array",
        items: { type: "string" },
        default: [],
        description: "Namespaces (`*` wildcards allowed) whose network policies another stack or tool manages.",
      },
    },
  },
  appliesTo: (t) => isK8sWorkload(t) || t === NETWORK_POLICY || t === NAMESPACE || OTHER_NETWORK_POLICY_TYPES.includes(t),
  validate: (args, report, config) => {
    const index = new StackIndex(args.resources);
    const workloads = index.where(isK8sWorkload);
    if (workloads.length === 0) return;
    const policies: { ns: string; selector?: Record<string, unknown>; resource: PolicyResource }[] = [];
    for (const np of index.ofType(NETWORK_POLICY)) {
      guarded(report, `the pod selector of ${label(np)}`, np.urn, () => {
        policies.push({ ns: namespaceOf(np), selector: optObj(optObj(np.props, "spec") ?? {}, "podSelector"), resource: np });
      });
    }
    const namespaces = new Set<string>();
    for (const n of index.ofType(NAMESPACE))
      guarded(report, `the name of ${label(n)}`, n.urn, () => {
        const name = optStr(metadata(n.props), "name");
        if (name) namespaces.add(name);
      });
    const others = index.ofType(...OTHER_NETWORK_POLICY_TYPES);
    for (const w of workloads) {
      guarded(report, `the network policy of ${label(w)}`, w.urn, () => {
        if (!k8sContainers(w.type, w.props).some(runsWorker)) return;
        const ns = namespaceOf(w);
        if (config.exemptNamespaces.some((p) => globMatch(p, ns))) return;
        const labels = podLabels(w.type, w.props);
        if (policies.some((p) => p.ns === ns && selects(p.selector, labels))) return;
        const what = `the pods of ${label(w)} (namespace "${ns}", labels ${JSON.stringify(labels)})`;
        if (others.length > 0) {
          report.cannotVerify(
            `whether a network policy selects ${what}`,
            `the stack declares ${label(others[0]!)}, which the pack does not evaluate`,
            "add a networking.k8s.io/v1 NetworkPolicy selecting them, or list the namespace in `exemptNamespaces`.",
            w.urn,
          );
        } else if (!namespaces.has(ns)) {
          report.cannotVerify(
            `whether a network policy selects ${what}`,
            `namespace "${ns}" is not created by this stack, so its policies may live elsewhere, and no NetworkPolicy here selects them`,
            "add a NetworkPolicy in this stack whose podSelector matches the worker pods, or list the namespace in `exemptNamespaces` if another stack manages its policies.",
            w.urn,
          );
        } else {
          report.violation(
            `No NetworkPolicy in namespace "${ns}" selects ${what}, so workers running flow code can reach every pod in the cluster.`,
            "add a NetworkPolicy in that namespace whose `podSelector.matchLabels` matches the worker pods, limiting egress to what flows need.",
            w.urn,
          );
        }
      });
    }
  },
});
