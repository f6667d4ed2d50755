import type { Plan } from "../../sizing/types";
import type { ReleaseContract } from "../types";
import { eksCheck } from "./eks";
import { expectedEdges } from "./expected";
import { fargateCheck } from "./fargate";
import type { CheckedResource, ContractCheck, EdgeResult } from "./types";

export type { CheckedResource, CheckTarget, ContractCheck, EdgeResult } from "./types";
export { expectedEdges } from "./expected";

/**
 * Proves, over the resources a program registered, that each edge of the release contract exists
 * (network path, TLS settings, IAM grants evaluated with iam-simulate, secret references) and that
 * nothing beyond the contract is open, granted or delivered.
 */
export async function checkContract(plan: Plan, resources: readonly CheckedResource[]): Promise<ContractCheck> {
  const platform = plan.platform === "eks" ? eksCheck(plan, resources) : fargateCheck(plan, resources);
  const edges: EdgeResult[] = [];
  for (const e of expectedEdges(plan.release.contract)) {
    const missing = await platform.missing(e);
    edges.push(
      missing.length === 0 ? { role: e.role, target: e.target, ok: true } : { role: e.role, target: e.target, ok: false, missing: missing.join("; ") },
    );
  }
  const extras = await platform.extras();
  return { ok: edges.every((e) => e.ok) && extras.length === 0, edges, extras };
}

/** The release line a plan was checked against, as the plan command reports it. */
export function contractSummary(c: ReleaseContract): { line: string; covers: string; verifiedRelease: string; sourceCommit: string } {
  return { line: c.line, covers: c.covers, verifiedRelease: c.verifiedRelease, sourceCommit: c.sourceCommit };
}

/** The text section of the plan command. */
export function renderContractCheck(c: ReleaseContract, check: ContractCheck): string {
  const broken = check.edges.filter((e) => !e.ok);
  return [
    `release line ${c.line}: ${c.covers} (verified ${c.verifiedRelease}, source ${c.sourceCommit})`,
    broken.length === 0 ? `contract check: ${check.edges.length} edges ok` : `contract check: ${broken.length} of ${check.edges.length} edges broken`,
    ...broken.map((e) => `  broken ${e.role} -> ${e.target}: ${e.missing}`),
    ...(check.extras.length > 0 ? [`contract check: ${check.extras.length} beyond the contract`] : []),
    ...check.extras.map((x) => `  extra: ${x}`),
  ].join("\n");
}
