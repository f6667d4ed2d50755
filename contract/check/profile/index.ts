/**
 * The runtime contract of a workload profile (sizing/profile-types.ts), checked like ActivePieces'
 * release lines: each role's `connects` and secrets, plus the load balancer to each public role,
 * must exist in the registered resources, and nothing more may be open: no security group ingress
 * or NetworkPolicy peer from a role that does not connect, no target group, listener rule or
 * Ingress path in front of an internal role, no bucket or secret a role does not list.
 */

import type { WorkloadPlan } from "../../../sizing/profile-types";
import type { CheckedResource, EdgeResult } from "../types";
import { eksProfile } from "./eks";
import { type ProfileContractCheck, expectedProfileEdges } from "./expected";
import { fargateProfile } from "./fargate";

export { LOAD_BALANCER, type ProfileContractCheck, type ProfileExpectedEdge, edgeTarget, expectedProfileEdges } from "./expected";

/** The profile's contract over the registered resources: each expected edge holds, and nothing beyond them is open. */
export async function checkProfileContract(plan: WorkloadPlan, resources: readonly CheckedResource[]): Promise<ProfileContractCheck> {
  const platform = plan.platform === "eks" ? eksProfile(plan, resources) : fargateProfile(plan, resources);
  const edges: EdgeResult<string, string>[] = [];
  for (const e of expectedProfileEdges(plan)) {
    const missing = await platform.missing(e);
    edges.push(
      missing.length === 0 ? { role: e.role, target: e.target, ok: true } : { role: e.role, target: e.target, ok: false, missing: missing.join("; ") },
    );
  }
  const extras = await platform.extras();
  return { ok: edges.every((e) => e.ok) && extras.length === 0, edges, extras };
}

/** The text section of the plan command for a profile. */
export function renderProfileContractCheck(plan: WorkloadPlan, check: ProfileContractCheck): string {
  const broken = check.edges.filter((e) => !e.ok);
  return [
    `profile ${plan.profile}: ${plan.roles.length} roles, ${check.edges.length} edges (connections, secrets, load balancer to public roles)`,
    broken.length === 0 ? `contract check: ${check.edges.length} edges ok` : `contract check: ${broken.length} of ${check.edges.length} edges broken`,
    ...broken.map((e) => `  broken ${e.role} -> ${e.target}: ${e.missing}`),
    ...(check.extras.length > 0 ? [`contract check: ${check.extras.length} beyond the contract`] : []),
    ...check.extras.map((x) => `  extra: ${x}`),
  ].join("\n");
}
