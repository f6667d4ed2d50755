import type { ProfileRolePlan, WorkloadPlan } from "../../sizing/profile-types";
import { ROLE_LABEL } from "../eks/names";

/** Names, labels and reachability of a profile's roles on EKS (components/profile/eks.ts). */

/** The profile's namespace: its name (a DNS label; the schema allows nothing else). */
export const profileNamespace = (plan: Pick<WorkloadPlan, "profile">): string => plan.profile;
/** Labels of a role's pods; the role label is what Services, NetworkPolicies and spread constraints select on. */
export function roleLabels(plan: Pick<WorkloadPlan, "profile">, role: string): Record<string, string> {
  return { "app.kubernetes.io/name": plan.profile, [ROLE_LABEL]: role };
}
/** Kubernetes Secret holding a role's secrets (written by External Secrets). */
export const roleSecretName = (role: string): string => `${role}-secrets`;

/** Buckets a role connects to, each once, in the order of its edges. */
export function roleBuckets(role: ProfileRolePlan): string[] {
  return [...new Set(role.connects.flatMap((e) => (e.target === "s3" ? [e.bucket] : [])))];
}

/** Roles whose edges name `role`, with the port they connect on. */
export function callersOf(plan: WorkloadPlan, role: string): { caller: string; port: number }[] {
  return plan.roles.flatMap((r) => r.connects.flatMap((e) => (e.target === "role" && e.role === role ? [{ caller: r.name, port: e.port }] : [])));
}

/** A role needs a ClusterIP Service when the load balancer or another role reaches it. */
export function needsService(plan: WorkloadPlan, role: ProfileRolePlan): boolean {
  return role.exposure.kind === "public" || callersOf(plan, role.name).length > 0;
}

/** Prometheus scrape annotations of a role's pods, when it has a metrics endpoint. */
export function scrapeAnnotations(role: ProfileRolePlan): Record<string, string> | undefined {
  if (!role.metrics) return undefined;
  return { "prometheus.io/scrape": "true", "prometheus.io/path": role.metrics.path, "prometheus.io/port": String(role.metrics.port) };
}
