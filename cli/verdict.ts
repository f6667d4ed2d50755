import type { Capture } from "../test/harness";
import type { Violation } from "./render";

/** Stack export (version 3) of a capture. Replaced by the policy pack's converter when it lands. */
export function stackExport(cap: Capture): Record<string, unknown> {
  return { version: 3, deployment: { resources: cap.resources.map((r) => ({ urn: r.urn, type: r.type, custom: r.custom, inputs: r.rawInputs, outputs: r.outputs, parent: r.parent })) } };
}

/** Policy verdict over what the program registered. */
export function policyVerdict(_cap: Capture): Violation[] {
  return [];
}
