import type { ReleaseContract, SecretName } from "../types";
import { type CheckedResource, TYPES, num, obj, ofType, prop, strings } from "./types";

/**
 * Callers that are not ActivePieces roles but need a guarded port. Each is accepted by the name
 * of the resource that creates it, and listed here so that any other source is an extra.
 */
export interface KnownCaller {
  readonly caller: string;
  readonly platform: "fargate" | "eks";
  readonly target: "app" | "redis";
  /** The caller's resource: its type and the end of its name. */
  readonly type: string;
  readonly nameSuffix: string;
  readonly sgs: (r: CheckedResource) => string[];
  readonly port: (contract: ReleaseContract, rs: readonly CheckedResource[]) => number;
}

/** The cache's port as deployed (ElastiCache's default 6379 when unset). */
const cachePort = (_c: ReleaseContract, rs: readonly CheckedResource[]) => num(prop(ofType(rs, TYPES.cache)[0], "port")) ?? 6379;

export const KNOWN_CALLERS: readonly KnownCaller[] = [
  {
    // Forwards users to the app's port (components/fargate/alb.ts).
    caller: "the load balancer",
    platform: "fargate",
    target: "app",
    type: TYPES.loadBalancer,
    nameSuffix: "-alb",
    sgs: (r) => strings(prop(r, "securityGroups")),
    port: (c) => c.roles.app.listensOn,
  },
  {
    // Reads the BullMQ backlog for queue-depth worker scaling (components/fargate/queue-metric.ts).
    caller: "the queue-metric function",
    platform: "fargate",
    target: "redis",
    type: TYPES.lambda,
    nameSuffix: "-queue-metric-fn",
    sgs: (r) => strings(obj(prop(r, "vpcConfig")).securityGroupIds),
    port: cachePort,
  },
];

/** The known callers present in the stack for one target, each with its security groups and port. */
export function knownCallers(
  rs: readonly CheckedResource[],
  contract: ReleaseContract,
  platform: "fargate" | "eks",
  target: "app" | "redis",
): { caller: string; sgs: string[]; port: number }[] {
  return KNOWN_CALLERS.filter((k) => k.platform === platform && k.target === target).flatMap((k) =>
    ofType(rs, k.type)
      .filter((r) => r.name.endsWith(k.nameSuffix))
      .map((r) => ({ caller: k.caller, sgs: k.sgs(r), port: k.port(contract, rs) })),
  );
}

/**
 * Kubernetes Secrets that no role reads but a known component does, with the contract secret
 * each key may hold. KEDA's Redis scaler authenticates with the Redis AUTH token
 * (components/eks/keda.ts TriggerAuthentication, from components/eks/secrets-sync.ts).
 */
export const KNOWN_SECRET_READERS: readonly { readonly reader: string; readonly secret: string; readonly keys: Readonly<Record<string, SecretName>> }[] = [
  { reader: "KEDA's Redis scaler", secret: "activepieces-redis-auth", keys: { password: "redisAuth" } },
];
