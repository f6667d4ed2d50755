import { checkStackExport, type Violation } from "../policies/engine/check";
import type { Capture } from "../offline/capture";
import { toStackExport } from "./stack-export";

/** The stack export (version 3) of what the program registered. */
export function stackExport(cap: Capture) {
  return toStackExport(cap);
}

/**
 * The policy verdict over what the program registered: the same pack and the same code path as
 * `npm run policy -- check` on an exported stack.
 */
export async function policyVerdict(cap: Capture, packConfig?: unknown): Promise<Violation[]> {
  return (await checkStackExport(stackExport(cap), packConfig)).violations;
}
