import * as pulumi from "@pulumi/pulumi";
import type { Plan, RolePlan } from "../sizing/types";
import type { Database } from "./database";
import type { Queue } from "./queue";
import type { AppSecrets } from "./secrets";
import type { Storage } from "./storage";

/**
 * What each ActivePieces role needs, as data: environment variables and secrets by role.
 * The Fargate service and the EKS workloads both render containers from this map, so adding a
 * variable or a secret is one edit, and a role is never a copy of another.
 *
 * Only the app talks to Postgres and Redis; workers need the frontend URL and their token
 * (https://www.activepieces.com/docs/install/configuration/environment-variables).
 */

export interface EnvVar {
  readonly name: string;
  readonly value: pulumi.Input<string>;
}

/** A secret the container receives by reference (ECS `valueFrom`, Kubernetes `secretKeyRef`). */
export interface SecretRef {
  readonly name: string;
  /** Secrets Manager ARN, optionally with a JSON key suffix (`<arn>:password::`). */
  readonly valueFrom: pulumi.Input<string>;
}

export interface RoleWiring {
  readonly databaseHost: pulumi.Input<string>;
  readonly databasePort: pulumi.Input<number>;
  readonly databaseName: pulumi.Input<string>;
  readonly databaseUser: pulumi.Input<string>;
  /** RDS-managed master secret (JSON with `username` and `password`). */
  readonly databaseSecretArn: pulumi.Input<string>;
  readonly redisHost: pulumi.Input<string>;
  readonly redisPort: pulumi.Input<number>;
  readonly encryptionKeyArn: pulumi.Input<string>;
  readonly jwtSecretArn: pulumi.Input<string>;
  readonly workerTokenArn: pulumi.Input<string>;
  readonly redisAuthArn: pulumi.Input<string>;
  readonly storageEnv: readonly EnvVar[];
}

/** The data-tier and secrets components a platform wires its containers to. */
export interface DataTier {
  readonly database: Pick<Database, "address" | "port" | "dbName" | "username" | "masterUserSecretArn">;
  readonly queue: Pick<Queue, "primaryEndpoint" | "port">;
  readonly secrets: Pick<AppSecrets, "encryptionKeyArn" | "jwtSecretArn" | "workerTokenArn" | "redisAuthArn">;
  readonly storage: Pick<Storage, "environment">;
}

/** Endpoints and secret ARNs of the shared tiers, as the role containers need them. */
export function roleWiring({ database, queue, secrets, storage }: DataTier): RoleWiring {
  return {
    databaseHost: database.address,
    databasePort: database.port,
    databaseName: database.dbName,
    databaseUser: database.username,
    databaseSecretArn: database.masterUserSecretArn,
    redisHost: queue.primaryEndpoint,
    redisPort: queue.port,
    encryptionKeyArn: secrets.encryptionKeyArn,
    jwtSecretArn: secrets.jwtSecretArn,
    workerTokenArn: secrets.workerTokenArn,
    redisAuthArn: secrets.redisAuthArn,
    storageEnv: storage.environment(),
  };
}

export interface RoleContainer {
  readonly environment: EnvVar[];
  readonly secrets: SecretRef[];
}

const str = (v: pulumi.Input<number>): pulumi.Input<string> => pulumi.output(v).apply(String);

function common(plan: Plan, role: RolePlan): EnvVar[] {
  return [
    { name: "AP_CONTAINER_TYPE", value: role.containerType },
    { name: "AP_FRONTEND_URL", value: plan.frontendUrl },
    { name: "AP_EXECUTION_MODE", value: plan.executionMode },
    { name: "AP_ENVIRONMENT", value: "prod" },
    { name: "AP_TELEMETRY_ENABLED", value: "false" },
    { name: "NODE_OPTIONS", value: `--max-old-space-size=${role.nodeHeapMb}` },
  ];
}

export function appContainer(plan: Plan, w: RoleWiring): RoleContainer {
  return {
    environment: [
      ...common(plan, plan.app),
      { name: "AP_POSTGRES_HOST", value: w.databaseHost },
      { name: "AP_POSTGRES_PORT", value: str(w.databasePort) },
      { name: "AP_POSTGRES_DATABASE", value: w.databaseName },
      { name: "AP_POSTGRES_USERNAME", value: w.databaseUser },
      { name: "AP_POSTGRES_USE_SSL", value: "true" },
      { name: "AP_POSTGRES_POOL_SIZE", value: String(plan.app.dbPoolSize) },
      { name: "AP_POSTGRES_IDLE_TIMEOUT_MS", value: "30000" },
      { name: "AP_REDIS_TYPE", value: "STANDALONE" },
      { name: "AP_REDIS_HOST", value: w.redisHost },
      { name: "AP_REDIS_PORT", value: str(w.redisPort) },
      { name: "AP_REDIS_USE_SSL", value: "true" },
      ...w.storageEnv,
    ],
    secrets: [
      { name: "AP_ENCRYPTION_KEY", valueFrom: w.encryptionKeyArn },
      { name: "AP_JWT_SECRET", valueFrom: w.jwtSecretArn },
      { name: "AP_REDIS_PASSWORD", valueFrom: w.redisAuthArn },
      // ECS reads one JSON key of a secret with the `<arn>:<json-key>::` form.
      { name: "AP_POSTGRES_PASSWORD", valueFrom: jsonKey(w.databaseSecretArn, "password") },
    ],
  };
}

export function workerContainer(plan: Plan, w: RoleWiring): RoleContainer {
  return {
    environment: [
      ...common(plan, plan.worker),
      { name: "AP_WORKER_CONCURRENCY", value: String(plan.workerConcurrency) },
      { name: "AP_REUSE_SANDBOX", value: "true" },
    ],
    secrets: [{ name: "AP_WORKER_TOKEN", valueFrom: w.workerTokenArn }],
  };
}

function jsonKey(arn: pulumi.Input<string>, key: string): pulumi.Input<string> {
  return pulumi.interpolate`${arn}:${key}::`;
}

/** The role map: role name -> how to build its container. */
export const ROLE_CONTAINERS = {
  app: appContainer,
  worker: workerContainer,
} as const satisfies Record<RolePlan["role"], (plan: Plan, w: RoleWiring) => RoleContainer>;
