import * as pulumi from "@pulumi/pulumi";
import { isMockMonitor } from "../offline/sdk/pulumi";
import { ConfigError, type ConfigProblem } from "./errors";

/** True in `pulumi up` against a real engine: not a preview, not the offline plan's mocks. */
export function isRealUpdate(): boolean {
  return !pulumi.runtime.isDryRun() && !isMockMonitor();
}

/** Throws a ConfigError naming every placeholder the plan found (a real update must not start on them). */
export function refusePlaceholders(plan: { readonly placeholders: readonly ConfigProblem[] }): void {
  if (plan.placeholders.length > 0) throw new ConfigError([...plan.placeholders], "stack config (placeholders, refused by pulumi up)");
}
