/**
 * Dated catalogue of the AWS Lambda Node.js runtimes: when AWS deprecates each one, when it blocks
 * creating functions on it and when it blocks updating them. Pure data and date arithmetic; no
 * Pulumi import. Update an entry (and its `verified` date) when AWS moves a date.
 *
 * Source: the "Supported runtimes" / "Deprecated runtimes" tables of
 * https://docs.aws.amazon.com/lambda/latest/dg/lambda-runtimes.html
 */

export const LAMBDA_RUNTIMES_SOURCE = "https://docs.aws.amazon.com/lambda/latest/dg/lambda-runtimes.html";

export type NodeRuntime = "nodejs20.x" | "nodejs22.x" | "nodejs24.x";

export interface RuntimeEntry {
  readonly runtime: NodeRuntime;
  /** Node.js major version the runtime ships. */
  readonly nodeMajor: number;
  /** End of support: no more security patches (ISO date, UTC). */
  readonly deprecation: string;
  /** From this date Lambda refuses to create functions on the runtime. */
  readonly blockCreate: string;
  /** From this date Lambda refuses to update functions on the runtime. */
  readonly blockUpdate: string;
  /** When these dates were last checked against `source`. */
  readonly verified: string;
  readonly source: string;
}

/**
 * Node.js 18 and older are past their block-update date and are not listed: a function cannot be
 * created or updated on them at all.
 */
export const LAMBDA_NODE_RUNTIMES: Readonly<Record<NodeRuntime, RuntimeEntry>> = {
  "nodejs20.x": {
    runtime: "nodejs20.x",
    nodeMajor: 20,
    deprecation: "2026-04-30",
    blockCreate: "2026-08-31",
    blockUpdate: "2026-09-30",
    verified: "2026-12-02",
    source: LAMBDA_RUNTIMES_SOURCE,
  },
  "nodejs22.x": {
    runtime: "nodejs22.x",
    nodeMajor: 22,
    deprecation: "2027-04-30",
    blockCreate: "2027-06-01",
    blockUpdate: "2027-07-01",
    verified: "2026-12-02",
    source: LAMBDA_RUNTIMES_SOURCE,
  },
  "nodejs24.x": {
    runtime: "nodejs24.x",
    nodeMajor: 24,
    deprecation: "2028-04-30",
    blockCreate: "2028-06-01",
    blockUpdate: "2028-07-01",
    verified: "2026-12-02",
    source: LAMBDA_RUNTIMES_SOURCE,
  },
};

/**
 * The runtime of the program's own Lambda functions (the queue-metric and rotation-restart
 * functions). One constant, so the bundle target (`node22`), the functions and the plan's date
 * check cannot disagree.
 */
export const LAMBDA_RUNTIME: NodeRuntime = "nodejs22.x";

/** How long before the first end date (deprecation) the plan starts to warn. */
export const RUNTIME_WARN_DAYS = 60;

export type RuntimeStatus =
  | { readonly status: "ok"; readonly runtime: NodeRuntime }
  | { readonly status: "warn"; readonly runtime: NodeRuntime; readonly message: string }
  | { readonly status: "blocked"; readonly runtime: NodeRuntime; readonly blockedSince: string; readonly message: string };

const DAY_MS = 24 * 60 * 60 * 1000;

function utcMidnight(isoDate: string): number {
  const t = Date.parse(`${isoDate}T00:00:00Z`);
  if (Number.isNaN(t)) throw new Error(`not an ISO date: ${isoDate}`);
  return t;
}

/**
 * Status of a runtime on a day: `blocked` from its block-create date (a new stack could not create
 * the function, and from the block-update date no stack could change it), `warn` from
 * RUNTIME_WARN_DAYS before its deprecation date, `ok` before that.
 */
export function runtimeStatus(runtime: NodeRuntime, today: Date): RuntimeStatus {
  const entry = LAMBDA_NODE_RUNTIMES[runtime];
  if (!entry) throw new Error(`${runtime as string} is not in the Lambda runtime catalogue (catalog/lambda-runtimes.ts)`);
  const now = today.getTime();
  if (now >= utcMidnight(entry.blockCreate)) {
    const updates =
      now >= utcMidnight(entry.blockUpdate) ? `and updating them since ${entry.blockUpdate}` : `and blocks updating them from ${entry.blockUpdate}`;
    return {
      status: "blocked",
      runtime,
      blockedSince: entry.blockCreate,
      message: `Lambda runtime ${runtime} is blocked: AWS blocks creating functions on it since ${entry.blockCreate} ${updates} (${entry.source}, verified ${entry.verified})`,
    };
  }
  const deprecation = utcMidnight(entry.deprecation);
  if (now >= deprecation - RUNTIME_WARN_DAYS * DAY_MS) {
    const when =
      now >= deprecation
        ? `was deprecated on ${entry.deprecation}`
        : `is deprecated on ${entry.deprecation} (in ${Math.ceil((deprecation - now) / DAY_MS)} days)`;
    return {
      status: "warn",
      runtime,
      message: `Lambda runtime ${runtime} ${when}; AWS blocks creating functions on it from ${entry.blockCreate} and updating them from ${entry.blockUpdate} (${entry.source})`,
    };
  }
  return { status: "ok", runtime };
}
