/**
 * ActivePieces' priority lanes and where BullMQ puts them in the prioritized sorted set.
 * See docs/queue-backlog.md for why the backlog leaves out the rate-limit lane (the Fargate
 * function can; KEDA's ZCARD cannot).
 */

/**
 * ActivePieces' `JOB_PRIORITY` (packages/shared/src/lib/workers/job-data.ts): lower runs first.
 * Sync and test flow runs are `high`, async runs and webhooks `medium`, polling and webhook
 * renewals `veryLow`, user interactions `critical`.
 */
export const AP_JOB_PRIORITY = {
  critical: 1,
  high: 2,
  medium: 3,
  low: 4,
  veryLow: 5,
  lowest: 6,
} as const;
export type ApPriorityName = keyof typeof AP_JOB_PRIORITY;

/**
 * `RATE_LIMIT_PRIORITY = 'lowest'` in the same file: a flow run whose project is at its
 * concurrency limit is moved to `delayed` and re-queued at this priority
 * (rate-limiter-interceptor.ts, job-broker.ts `moveToDelayed` + `changePriority`).
 */
export const RATE_LIMIT_PRIORITY: number = AP_JOB_PRIORITY.lowest;

/**
 * BullMQ 5 scores a prioritized job `priority * 2^32 + (counter mod 2^32)`
 * (commands/includes/getPriorityScore.lua, the same in 5.61.0, the version ActivePieces pins, and
 * 5.81.5), so lane `p` holds exactly the scores `[p * 2^32, (p + 1) * 2^32 - 1]`; BullMQ's own
 * `getCountsPerPriority` counts lanes with that range.
 */
export const PRIORITY_SCORE_STEP = 2 ** 32;

/** Inclusive score range of one priority lane. */
export function laneScoreRange(priority: number): { readonly min: number; readonly max: number } {
  if (!Number.isInteger(priority) || priority < 1) throw new RangeError(`priority must be an integer >= 1, got ${priority}`);
  return { min: priority * PRIORITY_SCORE_STEP, max: (priority + 1) * PRIORITY_SCORE_STEP - 1 };
}

/** ZCOUNT bounds of the prioritized part of the backlog: every lane ahead of the rate-limit lane. */
export const BACKLOG_SCORE_RANGE = { min: "-inf", max: `(${RATE_LIMIT_PRIORITY * PRIORITY_SCORE_STEP}` } as const;

/** ZCOUNT bounds of jobs parked in the rate-limit lane (logged, not scaled on). */
export const PARKED_SCORE_RANGE = { min: `${RATE_LIMIT_PRIORITY * PRIORITY_SCORE_STEP}`, max: "+inf" } as const;
