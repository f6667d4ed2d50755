import type { ProfileEdge, ProfileRolePlan, WorkloadPlan } from "../../../sizing/profile-types";
import type { ContractCheck } from "../types";

/** The load balancer, as the source of the edges to public roles. */
export const LOAD_BALANCER = "load-balancer";

/** An edge of a profile: `from` a role (or the load balancer) to a target named as the plan names it. */
export interface ProfileExpectedEdge {
  readonly role: string;
  /** `postgres`, `redis`, `role:<name>`, `s3:<bucket key>`, `external:<name>`, `secret:<VARIABLE>`, or `role:<name>` from the load balancer. */
  readonly target: string;
  readonly edge?: ProfileEdge;
  readonly secret?: { readonly name: string; readonly valueFrom: string };
  /** For load-balancer edges: the public role. */
  readonly publicRole?: ProfileRolePlan;
}

export type ProfileContractCheck = ContractCheck<string, string>;

export function edgeTarget(e: ProfileEdge): string {
  switch (e.target) {
    case "postgres":
    case "redis":
      return e.target;
    case "role":
      return `role:${e.role}`;
    case "s3":
      return `s3:${e.bucket}`;
    case "external":
      return `external:${e.name}`;
  }
}

/** Every edge the profile requires, in role order: connections, then secrets; then the load balancer to each public role. */
export function expectedProfileEdges(plan: WorkloadPlan): ProfileExpectedEdge[] {
  return [
    ...plan.roles.flatMap((r) => [
      ...r.connects.map((edge): ProfileExpectedEdge => ({ role: r.name, target: edgeTarget(edge), edge })),
      ...r.secrets.map((secret): ProfileExpectedEdge => ({ role: r.name, target: `secret:${secret.name}`, secret })),
    ]),
    ...plan.roles
      .filter((r) => r.exposure.kind === "public")
      .map((r): ProfileExpectedEdge => ({ role: LOAD_BALANCER, target: `role:${r.name}`, publicRole: r })),
  ];
}
