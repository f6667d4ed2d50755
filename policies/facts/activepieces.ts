/**
 * ActivePieces runtime defaults and enumerations the pack judges containers by.
 * Source: https://www.activepieces.com/docs/install/configuration/environment-variables
 */

/** `AP_CONTAINER_TYPE` values. An ActivePieces container without it runs as `WORKER_AND_APP`. */
export const CONTAINER_TYPES = ["APP", "WORKER", "WORKER_AND_APP"] as const;
export type ContainerType = (typeof CONTAINER_TYPES)[number];
export const DEFAULT_CONTAINER_TYPE: ContainerType = "WORKER_AND_APP";

/** Image repository of ActivePieces (Docker Hub and ghcr.io). */
export const ACTIVEPIECES_REPOSITORY = "activepieces/activepieces";

/** `AP_WORKER_CONCURRENCY` when unset. The vendor recommends 1 with one worker per peak concurrent flow. */
export const DEFAULT_WORKER_CONCURRENCY = 5;

/**
 * AP_WORKER_CONCURRENCY bounds, one table for the program's config schema (config/schema.ts) and
 * the pack (limit-worker-concurrency), so a value the config accepts never fails the policy check.
 */
export const WORKER_CONCURRENCY = {
  min: 1,
  /** The vendor's recommendation: one flow per worker, one worker per peak concurrent flow. */
  recommended: 1,
  /** Highest value the program's config accepts; the pack rejects anything above it. */
  max: 5,
  /** Why a value above `recommended` gets an advisory. */
  reason:
    "the vendor recommends 1 (one worker per peak concurrent flow), and on some releases a worker with AP_WORKER_CONCURRENCY above 1 busy-loops Redis (activepieces#14210)",
} as const;

/** `AP_POSTGRES_POOL_SIZE` when unset (activepieces PR#8646 raised it from a smaller pool; 10 is the shipped default). */
export const DEFAULT_POSTGRES_POOL_SIZE = 10;

/** Variables whose presence means the container opens Postgres connections. */
export const POSTGRES_ENV_NAMES: readonly string[] = ["AP_POSTGRES_HOST", "AP_POSTGRES_URL", "AP_POSTGRES_POOL_SIZE", "AP_POSTGRES_PASSWORD"];

/**
 * Execution modes that need privileged containers (not available on Fargate): their sandbox
 * isolates each flow in its own process namespace. https://www.activepieces.com/docs/install/architecture/workers
 */
export const PRIVILEGED_EXECUTION_MODES: readonly string[] = ["SANDBOX_PROCESS", "SANDBOX_CODE_AND_PROCESS"];

/**
 * Whether AP_EXECUTION_MODE needs a privileged container. The one rule for the config (refused on
 * Fargate), the plan (privileged EKS workers) and the pack (Fargate task definitions, pod hardening).
 */
export function needsPrivilegedContainer(executionMode: string): boolean {
  return PRIVILEGED_EXECUTION_MODES.includes(executionMode);
}

/** Workers per app instance the vendor's benchmark uses (4 apps / 40 workers, 8 apps / 80 workers). */
export const DEFAULT_WORKERS_PER_APP = 10;
