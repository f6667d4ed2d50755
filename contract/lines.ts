import type { Edge, ReleaseContract, RoleContract } from "./types";

/**
 * The three release lines, read from ActivePieces' source (A/ = packages/server/api/src/app/,
 * W/ = packages/server/worker/src/). Where they agree the values are shared; each difference is
 * written once with the file that shows it.
 */

/** The app listens on AP_PORT, 80 in the image (docker-entrypoint.sh exports AP_PORT=80; 0.79 has nginx on 80). */
export const AP_PORT = 80;
/** The app's health check: checks the database, served after migrations (A/health/health.module.ts). */
export const APP_HEALTH_PATH = "/api/v1/health";
export const POSTGRES_PORT = 5432;
export const REDIS_PORT = 6379;

const postgres: Edge = {
  target: "postgres",
  port: POSTGRES_PORT,
  tls: true,
  trust: "rds-ca",
  why: "TypeORM via node-postgres with ssl: { ca: AP_POSTGRES_SSL_CA } (A/database/postgres-connection.ts); RDS on Postgres 15+ forces TLS",
};
const redisFor = (role: string, why: string): Edge => ({ target: "redis", port: REDIS_PORT, tls: true, trust: "amazon", why: `${role}: ${why}` });
const s3: Edge = {
  target: "s3",
  port: 443,
  tls: true,
  trust: "amazon",
  why: "file storage with AP_S3_USE_IRSA (task/pod role credentials), signed URLs for browsers (A/file/s3-helper.ts)",
};
const workerToApp = (why: string): Edge => ({ target: "app", port: AP_PORT, tls: false, trust: "none", why });

const APP_READS = [
  "AP_CONTAINER_TYPE",
  "AP_FRONTEND_URL",
  "AP_EXECUTION_MODE",
  "AP_ENVIRONMENT",
  "AP_TELEMETRY_ENABLED",
  "NODE_OPTIONS",
  "AP_POSTGRES_HOST",
  "AP_POSTGRES_PORT",
  "AP_POSTGRES_DATABASE",
  "AP_POSTGRES_USERNAME",
  "AP_POSTGRES_USE_SSL",
  "AP_POSTGRES_SSL_CA",
  "AP_POSTGRES_POOL_SIZE",
  "AP_POSTGRES_IDLE_TIMEOUT_MS",
  "AP_REDIS_TYPE",
  "AP_REDIS_HOST",
  "AP_REDIS_PORT",
  "AP_REDIS_USE_SSL",
  "AP_FILE_STORAGE_LOCATION",
  "AP_S3_BUCKET",
  "AP_S3_REGION",
  "AP_S3_USE_SIGNED_URLS",
  "AP_S3_USE_IRSA",
  // Behind an ALB the client address is in x-forwarded-for; the default x-real-ip is never sent,
  // so every sign-in would share one rate-limit bucket (A/core/security/rate-limit.ts).
  "AP_CLIENT_REAL_IP_HEADER",
  // Read by the app and sent to workers in their settings (A/workers/machine/machine-service.ts).
  "AP_SANDBOX_MEMORY_LIMIT",
] as const;

const app: RoleContract = {
  containerType: "APP",
  reads: APP_READS,
  secrets: ["encryptionKey", "jwtSecret", "redisAuth", "databasePassword"],
  connects: [postgres, redisFor("app", "BullMQ producer (and consumer from 0.80), cache and locks"), s3],
  listensOn: AP_PORT,
  health: { path: APP_HEALTH_PATH, port: AP_PORT, meaning: "readiness" },
};

/** 0.79: the worker is a BullMQ consumer; Redis settings come from the app over the socket (W/lib/utils/machine.ts). */
const worker079: RoleContract = {
  containerType: "WORKER",
  reads: ["AP_CONTAINER_TYPE", "AP_FRONTEND_URL", "AP_ENVIRONMENT", "AP_TELEMETRY_ENABLED", "NODE_OPTIONS", "AP_WORKER_CONCURRENCY"],
  secrets: ["workerToken"],
  connects: [
    redisFor("worker", "BullMQ consumer of workerJobs (W/lib/consume/job-queue-worker.ts)"),
    workerToApp("settings, engine API and the socket at /api/socket.io through AP_FRONTEND_URL (W/lib/utils/machine.ts)"),
  ],
  listensOn: AP_PORT,
  // 503 until its socket, settings and queue consumer are up: a real readiness signal.
  health: { path: APP_HEALTH_PATH, port: AP_PORT, meaning: "readiness" },
};

/** 0.80 and later: the worker talks only to the app (no Postgres, Redis or AWS SDK in the worker package). */
const workerV2 = (healthPath: string, reads: readonly string[]): RoleContract => ({
  containerType: "WORKER",
  // The worker package reads no AP_ENVIRONMENT or AP_TELEMETRY_ENABLED (contract/known-variables.ts).
  reads: ["AP_CONTAINER_TYPE", "AP_FRONTEND_URL", "NODE_OPTIONS", "AP_WORKER_CONCURRENCY", ...reads],
  // Required at import from 0.80 (W/lib/main.ts).
  secrets: ["workerToken"],
  connects: [workerToApp("long-poll for jobs and the websocket at /api/socket.io through AP_FRONTEND_URL (W/lib/worker.ts)")],
  listensOn: AP_PORT,
  // Always 200 while the process runs (W/lib/worker.ts startHealthServer): liveness only.
  health: { path: healthPath, port: AP_PORT, meaning: "liveness" },
});

const shutdownV1 =
  "the sandbox pool is drained first, which kills running flows; a killed run is retried after its lock expires (about 120 s) and re-runs from its trigger unless it had paused";
const shutdownV2 =
  "the worker stops polling, SIGKILLs the sandbox and force-exits after 30 s; a killed run is retried after its lock expires (about 120 s) and re-runs from its trigger unless it had paused";

export const RELEASE_LINES: readonly ReleaseContract[] = [
  {
    line: "0.79",
    covers: "0.79.x",
    verifiedRelease: "0.79.0",
    sourceCommit: "a719b8c0",
    roles: { app, worker: worker079 },
    // docker-entrypoint.sh runs node without exec and without tini.
    shutdown: { pid1: "/bin/sh", sigtermReachesNode: false, runningFlow: shutdownV1 },
    // W/lib/flow-worker.ts: Math.floor(parseInt(SANDBOX_MEMORY_LIMIT) / 1024), so KB.
    sandboxMemory: { readBy: "app", unit: "KB" },
  },
  {
    line: "0.80",
    covers: "0.80.x-0.81.x",
    verifiedRelease: "0.80.0",
    sourceCommit: "c48ff1e4",
    roles: { app, worker: workerV2("/v1/health", []) },
    // docker-entrypoint.sh runs pm2-runtime without exec.
    shutdown: { pid1: "/bin/sh", sigtermReachesNode: false, runningFlow: shutdownV2 },
    // W/lib/execute/create-sandbox-for-job.ts parseMemoryLimit: the value is taken as MB.
    sandboxMemory: { readBy: "app", unit: "MB" },
  },
  {
    line: "0.82",
    covers: "0.82.x and later",
    verifiedRelease: "0.83.0",
    sourceCommit: "04c19239",
    roles: { app, worker: workerV2("/v1/health", ["AP_REUSE_SANDBOX", "AP_EXECUTION_MODE"]) },
    shutdown: { pid1: "/bin/sh", sigtermReachesNode: false, runningFlow: shutdownV2 },
    // W/lib/execute/create-sandbox-for-job.ts parseMemoryLimit(memoryLimitKb): KB / 1024 again.
    sandboxMemory: { readBy: "app", unit: "KB" },
  },
];
