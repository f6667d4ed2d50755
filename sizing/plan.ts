import type { StackConfig } from "../config/defaults";
import { ConfigError, type ConfigProblem } from "../config/errors";
import { RDS_CLASSES, poolBudget, rdsClass } from "../policies/facts/rds";
import { planEks } from "./eks";
import { nodeHeapMb } from "./heap";
import { poolConnections, smallestFittingClass } from "./pools";
import type { CapacityShare, NetworkPlan, Plan, RolePlan } from "./types";

/**
 * Fargate caps stopTimeout at 120 s; workers get all of it so a flow can finish or checkpoint
 * before a Spot reclaim or scale-in (https://docs.aws.amazon.com/AmazonECS/latest/APIReference/API_ContainerDefinition.html).
 */
export const WORKER_STOP_TIMEOUT_SECONDS = 120;
/** App tasks drain in-flight requests; ALB deregistration delay is set to match. */
export const APP_STOP_TIMEOUT_SECONDS = 60;
/** Smallest database per environment: prod never runs on a 1 GiB burstable instance. */
const DATABASE_FLOOR = { staging: "db.t4g.micro", prod: "db.t4g.small" } as const;

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

/** Most workers that will ever run: one slot per peak concurrent flow at the configured concurrency. */
export function maxWorkers(c: StackConfig): number {
  return c.worker.scaling.mode === "queue" ? c.worker.scaling.max : Math.ceil(c.peakConcurrentFlows / c.workerConcurrency);
}

function workerCapacity(c: StackConfig): CapacityShare[] {
  const { onDemandBase, onDemandWeight, spotWeight } = c.worker.capacity;
  const shares: CapacityShare[] = [];
  if (onDemandBase > 0 || onDemandWeight > 0) shares.push({ capacityProvider: "FARGATE", base: onDemandBase, weight: onDemandWeight });
  if (spotWeight > 0) shares.push({ capacityProvider: "FARGATE_SPOT", base: 0, weight: spotWeight });
  return shares;
}

function networkPlan(c: StackConfig): NetworkPlan {
  const n = c.network;
  if (n.mode === "existing") {
    return { ...n, azCount: n.privateSubnetIds.length, natGateways: 0 };
  }
  return { mode: "new", cidr: n.cidr, azCount: n.azCount, natGateways: n.natGateways === "single" ? 1 : n.azCount };
}

/** StackConfig -> Plan. Pure; throws ConfigError when the config cannot be satisfied, naming the key to change. */
export function plan(c: StackConfig): Plan {
  const problems: ConfigProblem[] = [];
  const workersMax = maxWorkers(c);
  const scaling = c.worker.scaling;
  const workersMin = scaling.mode === "queue" ? scaling.min : workersMax;

  // One app per `workersPerApp` workers at maximum scale, at least 2 in prod for availability.
  const appsNeeded = Math.max(Math.ceil(workersMax / c.workersPerApp), c.environment === "prod" ? 2 : 1);
  if (c.app.min !== undefined && c.app.min < appsNeeded) {
    problems.push({ key: "app.min", value: c.app.min,
      message: `is below the ${appsNeeded} apps needed for ${workersMax} workers at ${c.workersPerApp} workers per app${c.environment === "prod" ? " (prod needs at least 2)" : ""}; allowed ${appsNeeded}..1000` });
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
    nodeHeapMb: nodeHeapMb(c.app.memory),
    capacity: [{ capacityProvider: "FARGATE", base: 0, weight: 1 }],
    stopTimeoutSeconds: APP_STOP_TIMEOUT_SECONDS,
    dbPoolSize: c.app.dbPoolSize,
  };
  // Workers talk to the app over its websocket; they open no database connections.
  const worker: RolePlan = {
    role: "worker",
    containerType: "WORKER",
    cpu: c.worker.cpu,
    memory: c.worker.memory,
    desired: workersMin,
    min: workersMin,
    max: workersMax,
    nodeHeapMb: nodeHeapMb(c.worker.memory),
    capacity: workerCapacity(c),
    stopTimeoutSeconds: WORKER_STOP_TIMEOUT_SECONDS,
    dbPoolSize: 0,
  };

  const connections = poolConnections([
    { poolSize: app.dbPoolSize, maxInstances: app.max },
    { poolSize: worker.dbPoolSize, maxInstances: worker.max },
  ]);
  const chosen = c.database.instanceClass
    ? rdsClass(c.database.instanceClass)
    : smallestFittingClass(connections, DATABASE_FLOOR[c.environment]);
  if (!chosen) {
    const largest = RDS_CLASSES[RDS_CLASSES.length - 1]!;
    problems.push({ key: "app.dbPoolSize", value: c.app.dbPoolSize,
      message: `per app x ${app.max} apps at maximum = ${connections} connections, more than the ${poolBudget(largest.maxConnections)} (80% of max_connections) of the largest class ${largest.instanceClass}; lower app.dbPoolSize or app.max` });
  } else if (connections > poolBudget(chosen.maxConnections)) {
    problems.push({ key: "database.instanceClass", value: chosen.instanceClass,
      message: `allows ${poolBudget(chosen.maxConnections)} pool connections (80% of max_connections ${chosen.maxConnections}) but app.dbPoolSize ${app.dbPoolSize} x ${app.max} apps needs ${connections}; choose a larger class or lower the pool` });
  }
  if (problems.length > 0 || !chosen) throw new ConfigError(problems, "stack config");

  const warnings: string[] = [];
  if (!c.loadBalancer.certificateArn) {
    warnings.push("no certificateArn: the load balancer listens on HTTP only; set certificateArn for HTTPS");
  }

  return {
    environment: c.environment,
    platform: c.platform,
    region: c.region,
    architecture: c.architecture,
    image: c.image,
    frontendUrl: c.frontendUrl,
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
    workerScaling: scaling.mode === "queue"
      ? { mode: "queue", backlogPerWorker: scaling.backlogPerWorker, scaleOutCooldownSeconds: 60, scaleInCooldownSeconds: 300 }
      : { mode: "static" },
    database: {
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
    },
    redis: {
      nodeType: c.redis.nodeType ?? redisNodeType(c.environment, workersMax),
      replicas: c.redis.replicas,
      engineVersion: c.redis.engineVersion,
      multiAz: c.redis.replicas > 0,
      maxmemoryPolicy: "noeviction",
    },
    network: networkPlan(c),
    loadBalancer: {
      scheme: c.loadBalancer.scheme,
      allowedCidrs: c.loadBalancer.allowedCidrs,
      allowedPrefixListIds: c.loadBalancer.allowedPrefixListIds,
      certificateArn: c.loadBalancer.certificateArn,
      https: c.loadBalancer.certificateArn !== undefined,
    },
    protectData: c.protectData,
    costAssumptions: c.cost,
    ...(c.platform === "eks" ? { eks: planEks(c.eks, { environment: c.environment, app, worker, workerConcurrency: c.workerConcurrency }) } : {}),
    warnings,
  };
}
