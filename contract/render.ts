import type { Plan } from "../sizing/types";
import { rdsCaForRegion } from "./rds-ca";
import type { RoleName, SecretName } from "./types";

/**
 * A role's container settings, rendered from its release's contract and the plan: each variable
 * the role's release reads gets its value here, and no other variable is set. Pure: the platform
 * components resolve the endpoints (Pulumi outputs) and call this, and the real-server tests call
 * it with loopback endpoints.
 */

/** Endpoints of the shared tiers, as plain strings. */
export interface Endpoints {
  readonly databaseHost: string;
  readonly databasePort: string;
  readonly databaseName: string;
  readonly databaseUser: string;
  readonly redisHost: string;
  readonly redisPort: string;
  readonly bucketName: string;
}

export interface RenderedVar {
  readonly name: string;
  readonly value: string;
}

/** A secret the container receives by reference; the platform maps it to a Secrets Manager ARN. */
export interface RenderedSecret {
  readonly name: string;
  readonly secret: SecretName;
}

export interface RenderedRole {
  readonly environment: RenderedVar[];
  readonly secrets: RenderedSecret[];
}

/** The variable each secret is delivered in. */
export const SECRET_VARIABLES: Readonly<Record<SecretName, string>> = {
  encryptionKey: "AP_ENCRYPTION_KEY",
  jwtSecret: "AP_JWT_SECRET",
  workerToken: "AP_WORKER_TOKEN",
  redisAuth: "AP_REDIS_PASSWORD",
  databasePassword: "AP_POSTGRES_PASSWORD",
};

type Value = (p: Plan, role: RoleName, e: Endpoints) => string;

/** Every plain variable this project can set, with where its value comes from. */
export const VARIABLES: Readonly<Record<string, Value>> = {
  AP_CONTAINER_TYPE: (p, r) => p.release.contract.roles[r].containerType,
  // Users open the public URL; workers reach the app over its internal endpoint (sizing/internal-url.ts).
  AP_FRONTEND_URL: (p, r) => (r === "app" ? p.urls.public : p.urls.workerToApp),
  AP_EXECUTION_MODE: (p) => p.executionMode,
  AP_ENVIRONMENT: () => "prod",
  AP_TELEMETRY_ENABLED: () => "false",
  NODE_OPTIONS: (p, r) => `--max-old-space-size=${p[r].nodeHeapMb}`,
  AP_POSTGRES_HOST: (_p, _r, e) => e.databaseHost,
  AP_POSTGRES_PORT: (_p, _r, e) => e.databasePort,
  AP_POSTGRES_DATABASE: (_p, _r, e) => e.databaseName,
  AP_POSTGRES_USERNAME: (_p, _r, e) => e.databaseUser,
  AP_POSTGRES_USE_SSL: () => "true",
  AP_POSTGRES_SSL_CA: (p) => rdsCaForRegion(p.region).pem,
  AP_POSTGRES_POOL_SIZE: (p, r) => String(p[r].dbPoolSize),
  AP_POSTGRES_IDLE_TIMEOUT_MS: () => "30000",
  AP_REDIS_TYPE: () => "STANDALONE",
  AP_REDIS_HOST: (_p, _r, e) => e.redisHost,
  AP_REDIS_PORT: (_p, _r, e) => e.redisPort,
  AP_REDIS_USE_SSL: () => "true",
  AP_FILE_STORAGE_LOCATION: () => "S3",
  AP_S3_BUCKET: (_p, _r, e) => e.bucketName,
  AP_S3_REGION: (p) => p.region,
  AP_S3_USE_SIGNED_URLS: () => "true",
  // The task or pod role's credentials, never static keys.
  AP_S3_USE_IRSA: () => "true",
  AP_CLIENT_REAL_IP_HEADER: (p) => p.clientIpHeader,
  AP_SANDBOX_MEMORY_LIMIT: (p) => p.sandboxMemoryLimit,
  AP_WORKER_CONCURRENCY: (p) => String(p.workerConcurrency),
  AP_REUSE_SANDBOX: () => "true",
};

export function renderRole(plan: Plan, role: RoleName, endpoints: Endpoints): RenderedRole {
  const contract = plan.release.contract.roles[role];
  return {
    environment: [
      ...contract.reads.map((name) => {
        const value = VARIABLES[name];
        if (!value) throw new Error(`the ${plan.release.contract.line} contract of ${role} reads ${name}, which has no value source in contract/render.ts`);
        return { name, value: value(plan, role, endpoints) };
      }),
      // The stack's extraEnv routed to this role (contract/extras.ts).
      ...plan.extras[role].env,
    ],
    secrets: roleSecrets(plan, role),
  };
}

/** The secrets a role's release reads, each in its variable. */
export function roleSecrets(plan: Plan, role: RoleName): RenderedSecret[] {
  return plan.release.contract.roles[role].secrets.map((secret) => ({ name: SECRET_VARIABLES[secret], secret }));
}
