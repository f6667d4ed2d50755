import { LAMBDA_RUNTIME, runtimeStatus, type NodeRuntime } from "../catalog/lambda-runtimes";
import type { ConfigProblem } from "../config/errors";

/**
 * Checks of facts that change with the calendar or live outside the config (catalog/), run by
 * plan() before anything registers. Pure: the date (and the runtime) are arguments, so tests pin them.
 */

/** What a plan prints about a fact only a real `pulumi up` can check (components/image-check.ts). */
export const IMAGE_ARCHITECTURE_NOT_VERIFIED = "image architecture: not verified offline (checked during pulumi up)";

export interface DeployTimeChecks {
  /** Refusals, each naming the config key to change. */
  readonly problems: ConfigProblem[];
  /** Notes for the plan's warnings list. */
  readonly warnings: string[];
}

/** The slice of the stack config the checks read. */
export interface CatalogCheckInput {
  readonly worker: { readonly scaling: { readonly mode: string } };
}

/**
 * Every stack deploys the rotation-restart Lambda, and queue scaling on Fargate the queue-metric
 * one, both on LAMBDA_RUNTIME: refuse the plan once AWS blocks that runtime (`pulumi up` would fail
 * creating or updating the functions), warn within the catalogue's warning window. No config key
 * fixes a blocked runtime, so the refusal names the program's constant.
 */
export function deployTimeChecks(c: CatalogCheckInput, today: Date, runtime: NodeRuntime = LAMBDA_RUNTIME): DeployTimeChecks {
  const problems: ConfigProblem[] = [];
  const warnings: string[] = [];
  const s = runtimeStatus(runtime, today);
  const functions = c.worker.scaling.mode === "queue" ? "the rotation-restart and queue-metric functions" : "the rotation-restart function";
  if (s.status === "blocked") {
    problems.push({
      key: "LAMBDA_RUNTIME (catalog/lambda-runtimes.ts)",
      value: runtime,
      message: `${functions} would run on ${runtime}, which AWS blocks from ${s.blockedSince} (${s.message}); this program version cannot deploy: update it, or move LAMBDA_RUNTIME to a supported runtime`,
    });
  } else if (s.status === "warn") {
    warnings.push(`${functions}: ${s.message}; move LAMBDA_RUNTIME in catalog/lambda-runtimes.ts to a newer runtime`);
  }
  warnings.push(IMAGE_ARCHITECTURE_NOT_VERIFIED);
  return { problems, warnings };
}
