import { loadStackFile, parseStackConfig, rawFromStackFile } from "../config";
import { plan } from "../sizing/plan";
import type { Plan } from "../sizing/types";
import { buildStack } from "../stack";
import { capture, type Capture } from "../offline/capture";

/** Plan for a shipped stack file with top-level overrides merged in. */
export function planFor(stack: "staging" | "prod", overrides: Record<string, unknown> = {}): Plan {
  if (Object.keys(overrides).length === 0) return plan(loadStackFile(`Pulumi.${stack}.yaml`));
  return plan(parseStackConfig({ ...rawFromStackFile(`Pulumi.${stack}.yaml`), ...overrides }, `Pulumi.${stack}.yaml + overrides`));
}

/** Runs the stack wiring for a plan under mocks. */
export function captureStack(p: Plan, stack = "test"): Promise<Capture> {
  return capture(() => buildStack(p, stack), { stack });
}

/** The parsed container definitions of a task definition. */
export function containers(cap: Capture, nameSuffix: string): Record<string, unknown>[] {
  const td = cap.one("aws:ecs/taskDefinition:TaskDefinition", nameSuffix);
  return JSON.parse(td.inputs.containerDefinitions as string) as Record<string, unknown>[];
}
