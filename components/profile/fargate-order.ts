import type { ProfileRolePlan } from "../../sizing/profile-types";
import type { ProfilePlatformArgs } from "./args";

/** What FargateProfile refuses before it registers anything, and the order it builds roles in (components/profile/fargate.ts). */

/**
 * The roles in an order where every role comes after the roles it calls (Service Connect servers
 * before their clients); refuses an edge to an unknown role and a cycle.
 */
export function serverFirstOrder(roles: readonly ProfileRolePlan[]): ProfileRolePlan[] {
  const byName = new Map(roles.map((r) => [r.name, r]));
  const done = new Set<string>();
  const visiting = new Set<string>();
  const out: ProfileRolePlan[] = [];
  const visit = (r: ProfileRolePlan) => {
    if (done.has(r.name)) return;
    if (visiting.has(r.name)) throw new Error(`profile roles call each other in a cycle through "${r.name}": Service Connect needs servers started first`);
    visiting.add(r.name);
    for (const e of r.connects) {
      if (e.target !== "role") continue;
      const callee = byName.get(e.role);
      if (!callee) throw new Error(`role "${r.name}" connects to role "${e.role}", which the profile does not define`);
      if (e.port !== callee.port) throw new Error(`role "${r.name}" connects to "${e.role}" on port ${e.port}, but "${e.role}" listens on ${callee.port}`);
      visit(callee);
    }
    visiting.delete(r.name);
    done.add(r.name);
    out.push(r);
  };
  roles.forEach(visit);
  return out;
}

/**
 * What FargateProfile refuses, checked before any resource is registered: a scaling mode Fargate
 * cannot run, requests-per-target scaling on a role without a target group, and an edge to a data
 * tier, bucket or role the profile does not have. Returns the roles, Service Connect servers first.
 */
export function checkFargateProfile(args: Pick<ProfilePlatformArgs, "plan" | "database" | "queue" | "buckets">): ProfileRolePlan[] {
  for (const r of args.plan.roles) {
    if (r.scaling.mode === "prometheus") throw new Error(`role "${r.name}": prometheus scaling runs on EKS only (KEDA); the config refuses it on Fargate`);
    if (r.scaling.mode === "requests-or-cpu" && r.exposure.kind !== "public") {
      throw new Error(`role "${r.name}" scales on requests per target but is not behind the load balancer`);
    }
    if (r.scaling.mode === "queue" && !args.queue) throw new Error(`role "${r.name}" scales on a Redis list, but the profile has no Redis`);
    for (const e of r.connects) {
      if (e.target === "postgres" && !args.database) throw new Error(`role "${r.name}" connects to postgres, but the profile has no PostgreSQL`);
      if (e.target === "redis" && !args.queue) throw new Error(`role "${r.name}" connects to redis, but the profile has no Redis`);
      if (e.target === "s3" && !args.buckets[e.bucket]) throw new Error(`role "${r.name}" connects to bucket "${e.bucket}", which the profile does not define`);
    }
  }
  return serverFirstOrder(args.plan.roles);
}
