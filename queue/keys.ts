/**
 * Where ActivePieces keeps its job backlog in Redis. One source of truth for the Fargate metric
 * function, the EKS KEDA trigger and the docs.
 * ActivePieces enqueues flow runs on the BullMQ queue `workerJobs` with prefix `bull`, always with a
 * priority, so waiting jobs sit in the sorted set `bull:workerJobs:prioritized`; `:wait` reads ~0.
 */
export const BULLMQ_PREFIX = "bull";
export const WORKER_QUEUE_NAME = "workerJobs";

export function bullKey(suffix: "prioritized" | "wait" | "active" | "delayed", queue = WORKER_QUEUE_NAME, prefix = BULLMQ_PREFIX): string {
  return `${prefix}:${queue}:${suffix}`;
}

/** The key both scalers read. */
export const BACKLOG_KEY = bullKey("prioritized");
