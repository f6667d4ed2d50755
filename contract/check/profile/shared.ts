/** Lookups and labels the Fargate and EKS profile checks share. */

import type { ProfileRolePlan, WorkloadPlan } from "../../../sizing/profile-types";
import type { RoleContainer } from "../containers";
import { KNOWN_CALLERS } from "../known";
import { parseValueFrom, secretSources, type SecretSource } from "../stack";
import { type CheckedResource, TYPES, num, ofType, parsed, prop, str } from "../types";
import type { ProfileExpectedEdge } from "./expected";

/** The roles that connect to a role, with the port. */
export function callersOfRole(plan: WorkloadPlan, target: string): { role: string; port: number }[] {
  return plan.roles.flatMap((r) =>
    r.connects.filter((e) => e.target === "role" && e.role === target).map((e) => ({ role: r.name, port: (e as { port: number }).port })),
  );
}

export function callersOfData(plan: WorkloadPlan, target: "postgres" | "redis"): { role: string; port: number }[] {
  return plan.roles.flatMap((r) => r.connects.filter((e) => e.target === target).map((e) => ({ role: r.name, port: (e as { port: number }).port })));
}

/**
 * The resource of each role among `candidates`: the one whose container is named after the role,
 * else the one whose name ends with `-<role><suffix>` for the longest matching role name (so a
 * `queued-worker` never takes a `worker`'s service).
 */
export function byRole(
  plan: WorkloadPlan,
  candidates: readonly CheckedResource[],
  containerNames: (r: CheckedResource) => string[],
  suffix: string,
): Map<string, CheckedResource> {
  const names = plan.roles.map((r) => r.name);
  const out = new Map<string, CheckedResource>();
  for (const c of candidates) {
    const byContainer = containerNames(c).filter((n) => names.includes(n));
    const byName = names.filter((n) => c.name.endsWith(`-${n}${suffix}`)).sort((a, b) => b.length - a.length);
    const role = byContainer.length === 1 ? byContainer[0] : byName[0];
    if (role && !out.has(role)) out.set(role, c);
  }
  return out;
}

/** The stack's bucket of a bucket key (components/storage.ts: `<prefix>-<key>-bucket`). */
export function bucketOfKey(rs: readonly CheckedResource[], key: string): { arn: string; name: string; policy?: unknown } | undefined {
  const bucket = [...ofType(rs, TYPES.bucket), ...ofType(rs, TYPES.bucketV2)].find((b) => b.name.endsWith(`-${key}-bucket`));
  if (!bucket) return undefined;
  const name = str(prop(bucket, "bucket")) ?? bucket.id ?? "";
  const policy = ofType(rs, TYPES.bucketPolicy).find((p) => prop(p, "bucket") === name || prop(p, "bucket") === bucket.id);
  return { arn: str(prop(bucket, "arn")) ?? `arn:aws:s3:::${name}`, name, policy: policy ? parsed(prop(policy, "policy")) : undefined };
}

/** A secret as the plan names it: an ARN (with a key) when the plan knows it, else only the variable. */
export function planSource(valueFrom: string): SecretSource | undefined {
  return valueFrom.startsWith("arn:") ? parseValueFrom(valueFrom.replace(/::$/, "")) : undefined;
}

export interface ProfilePlatform {
  missing(e: ProfileExpectedEdge): Promise<string[]>;
  extras(): Promise<string[]>;
}

export const CREDENTIAL = { postgres: "database password", redis: "Redis AUTH token" } as const;

export const DATA_LABEL = { postgres: "the database security group", redis: "the cache security group" } as const;

/** Callers of the cache that are not roles (the queue-metric function), by the resource that creates them. */
export function knownRedisCallers(rs: readonly CheckedResource[], platform: "fargate" | "eks"): { sgs: string[]; port: number }[] {
  const port = num(prop(ofType(rs, TYPES.cache)[0], "port")) ?? 6379;
  return KNOWN_CALLERS.filter((k) => k.platform === platform && k.target === "redis").flatMap((k) =>
    ofType(rs, k.type)
      .filter((r) => r.name.endsWith(k.nameSuffix))
      .map((r) => ({ sgs: k.sgs(r), port })),
  );
}

/** A path pattern without its trailing wildcard or slash: ALB `/api/*`, Ingress Prefix `/api` and `/api/` are one path. */
const normalPath = (p: string): string => p.replace(/\/?\*$/, "").replace(/\/$/, "") || "/";

/** Whether one of the patterns (listener rule, listener default, Ingress path) serves the plan's path. */
export const servesPath = (patterns: readonly string[], path: string): boolean => patterns.some((p) => normalPath(p) === normalPath(path));

/**
 * Secrets a container receives beyond its role's list: the Redis AUTH token is part of the redis
 * edge (the platform wires it), any other is an extra.
 */
export function secretExtras(
  plan: WorkloadPlan,
  p: ProfileRolePlan,
  c: RoleContainer<string> | undefined,
  arnOf: (ref: string) => string | undefined,
  wired: WiredSecrets,
): string[] {
  const listed = new Set(p.secrets.map((s) => s.name));
  const out: string[] = [];
  for (const [v, ref] of Object.entries(c?.secrets ?? {}).filter(([name]) => !listed.has(name))) {
    const arn = arnOf(ref);
    const target = (["redis", "postgres"] as const).find((t) => arn !== undefined && wired[t] === arn);
    if (!target) out.push(`the ${p.name} container receives the secret ${v}, which the ${plan.profile} ${p.name} role does not list`);
    else if (!p.connects.some((e) => e.target === target))
      out.push(`the ${p.name} container receives the ${target} credential as ${v}, but the ${p.name} role does not connect to ${target}`);
  }
  return out;
}

/** The data tier's credentials the platform wires to the roles that connect: the Redis AUTH token, the RDS-managed master secret. */
export interface WiredSecrets {
  readonly redis?: string;
  readonly postgres?: string;
}

export function wiredSecrets(rs: readonly CheckedResource[]): WiredSecrets {
  const sources = secretSources(rs);
  return { redis: sources.redisAuth?.arn, postgres: sources.databasePassword?.arn };
}
