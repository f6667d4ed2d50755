/**
 * Where ActivePieces keeps its job backlog in Redis. One source of truth for the Fargate metric
 * function, the EKS KEDA trigger and the docs (docs/queue-backlog.md quotes these values and a
 * test checks it does).
 * ActivePieces enqueues flow runs on the BullMQ queue `workerJobs` with prefix `bull`, always with a
 * priority, so waiting jobs sit in the sorted set `bull:workerJobs:prioritized`; `:wait` reads ~0.
 */
export const BULLMQ_PREFIX = "bull";
export const WORKER_QUEUE_NAME = "workerJobs";

/** BullMQ's per-queue keys this project reads or tests against. */
export type BullKeySuffix = "prioritized" | "wait" | "active" | "delayed" | "meta";

export function bullKey(suffix: BullKeySuffix, queue = WORKER_QUEUE_NAME, prefix = BULLMQ_PREFIX): string {
  return `${prefix}:${queue}:${suffix}`;
}

/** The key both scalers read. */
export const BACKLOG_KEY = bullKey("prioritized");

/**
 * The hash every BullMQ `Queue` writes on start (library version, event stream length). Its
 * absence means no queue of that name and prefix was ever opened on this Redis, so a zero read
 * from BACKLOG_KEY would be a wrong key, not an empty queue.
 */
export const QUEUE_META_KEY = bullKey("meta");
