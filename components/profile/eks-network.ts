import type * as k8s from "@pulumi/kubernetes";
import { DNS_PORT, type EgressRule } from "../../sizing/eks-egress";
import type { ProfileRolePlan, WorkloadPlan } from "../../sizing/profile-types";
import { CLUSTER_DNS_PEER, egressRuleManifest, type PeerContext } from "../eks/network-policy";
import { callersOf, roleBuckets, roleLabels } from "./eks-workloads";

/** Ingress rules and NetworkPolicies of a profile's roles on EKS (components/profile/eks.ts). */

/**
 * The EKS Pod Identity agent: a DaemonSet on the node's network answering on the link-local address
 * 169.254.170.23, port 80; a pod with a Pod Identity role fetches its credentials there.
 * https://docs.aws.amazon.com/eks/latest/userguide/pod-id-how-it-works.html
 */
export const POD_IDENTITY_AGENT = { cidr: "169.254.170.23/32", port: 80 } as const;
/** HTTPS: how a role reaches S3 (regional endpoint or the VPC's gateway endpoint, both outside the VPC CIDR). */
export const HTTPS_PORT = 443;

/**
 * An exposure path (ALB path-pattern syntax, as the Fargate listener rule takes it) as an Ingress
 * path: "/" and "/x/*" become Prefix paths ("/" the catch-all, "/x" matching /x and below, which the
 * controller turns into the conditions "/x" and "/x/*"); anything else is passed to the ALB as is
 * (ImplementationSpecific: the controller keeps `*` and `?` wildcards).
 * https://kubernetes-sigs.github.io/aws-load-balancer-controller/latest/guide/ingress/spec/
 */
export function ingressPath(path: string): { path: string; pathType: "Prefix" | "ImplementationSpecific" } {
  if (path === "/" || path === "/*") return { path: "/", pathType: "Prefix" };
  const prefix = path.endsWith("/*") ? path.slice(0, -2) : undefined;
  if (prefix !== undefined && !/[*?]/.test(prefix)) return { path: prefix, pathType: "Prefix" };
  return { path, pathType: "ImplementationSpecific" };
}

/**
 * One Ingress rule per public role, in ascending listener priority. The controller gives listener
 * rules priorities in the order of the Ingress's rules, sorting only the paths inside one rule
 * (Exact, then the longest Prefix, then ImplementationSpecific as listed; LBC v2.4.3+,
 * https://kubernetes-sigs.github.io/aws-load-balancer-controller/latest/guide/ingress/spec/, and
 * `buildListenerRules` -> `sortIngressPaths(rule.HTTP.Paths)` in pkg/ingress/model_build_listener_rules.go).
 * With one path per rule the plan's order holds: a host rule with a lower priority number is
 * matched before another role's catch-all path, as on Fargate. Internal roles get no rule.
 */
export function profileIngressRules(plan: WorkloadPlan): k8s.types.input.networking.v1.IngressRule[] {
  const publicRoles = plan.roles.flatMap((r) => (r.exposure.kind === "public" ? [{ role: r, exposure: r.exposure }] : []));
  return publicRoles
    .sort((a, b) => a.exposure.priority - b.exposure.priority)
    .map(({ role, exposure }) => ({
      ...(exposure.host ? { host: exposure.host } : {}),
      http: { paths: [{ ...ingressPath(exposure.path), backend: { service: { name: role.name, port: { number: role.port } } } }] },
    }));
}

/**
 * A role's NetworkPolicy. Ingress: a public role from the VPC CIDR on its port (the ALB's nodes and
 * health checks, IP targets), plus the pods of every role whose edges name it; an internal role only
 * from those pods; a metrics port of its own from pods of any namespace (the Prometheus that
 * scrapes it); nothing else. Egress, from the role's edges as the ActivePieces worker's
 * (sizing/eks-egress.ts workerEgress): the target role's pods on the edge's port, PostgreSQL and Redis in
 * the VPC on their port, S3 over HTTPS outside the VPC (with the Pod Identity agent for its
 * credentials), the internet outside the VPC and instance metadata for an external dependency,
 * and DNS. Kubelet probes come from the node, which the VPC CNI's policy agent always admits.
 */
export function roleNetworkPolicySpec(plan: WorkloadPlan, role: ProfileRolePlan, ctx: PeerContext): k8s.types.input.networking.v1.NetworkPolicySpec {
  const callers = callersOf(plan, role.name);
  for (const c of callers) {
    if (c.port !== role.port) throw new Error(`${c.caller} connects to ${role.name} on ${c.port}, but ${role.name} listens on ${role.port}`);
  }
  const from: Record<string, unknown>[] = [
    ...(role.exposure.kind === "public" ? [{ ipBlock: { cidr: ctx.vpcCidr } }] : []),
    ...[...new Set(callers.map((c) => c.caller))].map((caller) => ({ podSelector: { matchLabels: roleLabels(plan, caller) } })),
  ];
  const ingress: Record<string, unknown>[] = from.length > 0 ? [{ from, ports: [{ protocol: "TCP", port: role.port }] }] : [];
  // A metrics endpoint on the serving port is not opened wider than the port already is.
  if (role.metrics && role.metrics.port !== role.port) {
    ingress.push({ from: [{ namespaceSelector: {} }], ports: [{ protocol: "TCP", port: role.metrics.port }] });
  }

  const tcp = (port: number) => [{ protocol: "TCP" as const, port }];
  const egress: Record<string, unknown>[] = [];
  for (const e of role.connects) {
    if (e.target === "role") {
      egress.push({ to: [{ podSelector: { matchLabels: roleLabels(plan, e.role) } }], ports: tcp(e.port) });
    } else if (e.target === "postgres" || e.target === "redis") {
      egress.push(egressRuleManifest({ to: "vpc", ports: tcp(e.port), why: e.target }, ctx));
    }
  }
  if (roleBuckets(role).length > 0) {
    egress.push(egressRuleManifest({ to: "internet", ports: tcp(HTTPS_PORT), why: "S3" }, ctx));
    egress.push({ to: [{ ipBlock: { cidr: POD_IDENTITY_AGENT.cidr } }], ports: tcp(POD_IDENTITY_AGENT.port) });
  }
  if (role.connects.some((e) => e.target === "external")) {
    // The plan holds no port for an external dependency (a connection string in a secret): every port, outside the VPC.
    const internet: EgressRule = { to: "internet", ports: [], why: "external dependencies" };
    egress.push(egressRuleManifest(internet, ctx));
  }
  egress.push({
    to: [CLUSTER_DNS_PEER],
    ports: [
      { protocol: "UDP", port: DNS_PORT },
      { protocol: "TCP", port: DNS_PORT },
    ],
  });
  return { podSelector: { matchLabels: roleLabels(plan, role.name) }, policyTypes: ["Ingress", "Egress"], ingress, egress };
}
