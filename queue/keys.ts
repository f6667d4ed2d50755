/**
 * Where ActivePieces keeps its job backlog in Redis. One source of truth for the Fargate metric
 * function, the EKS KEDA triggers and the docs (docs/queue-backlog.md quotes these values and a
 * test checks it does).
 *
 * ActivePieces enqueues flow runs on the BullMQ queue `workerJobs` with prefix `bull`, always with a
 * priority, so new jobs wait in the sorted set `bull:workerJobs:prioritized`. The list
 * `bull:workerJobs:wait` is not always empty: BullMQ's stalled-job checker puts a job back there
 * (RPUSH, whatever its priority) when the worker holding it died and its lock expired
 * (node_modules/bullmq/dist/cjs/commands/moveStalledJobsToWait-9.lua, `moveJobToWait`), and a job
 * added without a priority goes there too (classes/scripts.js `addJob`: `addStandardJob` unless
 * `opts.priority`). Running jobs are in the list `bull:workerJobs:active`.
 */
export const BULLMQ_PREFIX = "bull";
export const WORKER_QUEUE_NAME = "workerJobs";

/** BullMQ's per-queue keys this project reads or tests against. */
export type BullKeySuffix = "prioritized" | "wait" | "active" | "delayed" | "meta";

export function bullKey(suffix: BullKeySuffix, queue = WORKER_QUEUE_NAME, prefix = BULLMQ_PREFIX): string {
  return `${prefix}:${queue}:${suffix}`;
}

/** A key that makes up part of the backlog, with the Redis type BullMQ 5 keeps it as. */
export interface BacklogKey {
  readonly key: string;
  /** What `TYPE` must answer (or `none` when empty); anything else is a wrong key. */
  readonly type: "zset" | "list";
}

/**
 * The keys both scalers add up: a worker slot is needed for every job waiting (`prioritized`,
 * `wait`) and every job running (`active`). Counting only the waiting jobs reads zero as soon as
 * the workers have picked everything up, and scales in workers that are busy.
 * docs/queue-backlog.md says why each one counts.
 */
export const BACKLOG_KEYS = {
  /** Waiting jobs with a priority, scored by lane (queue/lanes.ts). */
  prioritized: { key: bullKey("prioritized"), type: "zset" },
  /** Waiting jobs without a priority, and stalled jobs BullMQ moved back. */
  wait: { key: bullKey("wait"), type: "list" },
  /** Jobs a worker holds now. */
  active: { key: bullKey("active"), type: "list" },
} as const satisfies Record<string, BacklogKey>;

export type BacklogPart = keyof typeof BACKLOG_KEYS;

/** The parts in declaration order (prioritized, wait, active), for logs and KEDA triggers. */
export const BACKLOG_PARTS = Object.keys(BACKLOG_KEYS) as readonly BacklogPart[];

/**
 * The hash every BullMQ `Queue` writes on start (library version, event stream length). Its
 * absence means no queue of that name and prefix was ever opened on this Redis, so a zero read
 * from the backlog keys would be a wrong key, not an empty queue.
 */
export const QUEUE_META_KEY = bullKey("meta");
