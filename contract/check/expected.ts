import type { ReleaseContract, RoleName } from "../types";
import type { ExpectedEdge } from "./types";

export const ROLES: readonly RoleName[] = ["app", "worker"];

/**
 * The edges a release line requires, in a stable order: per role, each connection its contract
 * names, then each secret it reads. Nothing else is expected, so everything else found open is an
 * extra.
 */
export function expectedEdges(contract: ReleaseContract): ExpectedEdge[] {
  return ROLES.flatMap((role) => [
    ...contract.roles[role].connects.map((edge): ExpectedEdge => ({ role, target: edge.target, edge })),
    ...contract.roles[role].secrets.map((secret): ExpectedEdge => ({ role, target: `secret:${secret}`, secret })),
  ]);
}

/** The roles whose contract connects to a target, with the port of that edge. */
export function callersOf(contract: ReleaseContract, target: string): { role: RoleName; port: number }[] {
  return ROLES.flatMap((role) => contract.roles[role].connects.filter((e) => e.target === target).map((e) => ({ role, port: e.port })));
}
