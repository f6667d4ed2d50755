import type { Edge } from "../contract/types";

/** Where an ActivePieces worker pod may connect on EKS (its NetworkPolicy), from its release contract; pure. */

/** Where a worker pod may open connections (rendered into its NetworkPolicy by components/eks/network-policy.ts). */
export type EgressPeer =
  /** The app's pods (reached through its Service, whose port equals the container port). */
  | "app-pods"
  /** CoreDNS (the kube-dns Service in kube-system). */
  | "cluster-dns"
  /** Anything inside the VPC CIDR (the cluster-external ElastiCache and RDS endpoints). */
  | "vpc"
  /** Anywhere outside the VPC CIDR and the instance metadata address: what flows call. */
  | "internet";

export interface EgressRule {
  readonly to: EgressPeer;
  /** Ports allowed; none means every port. */
  readonly ports: readonly { readonly protocol: "TCP" | "UDP"; readonly port: number }[];
  readonly why: string;
}

/** CoreDNS listens on 53, UDP and TCP. */
export const DNS_PORT = 53;
/** EC2 instance metadata (IMDS): worker pods never need it (no pod role; Pod Identity does not use it). */
export const INSTANCE_METADATA_CIDR = "169.254.169.254/32";
/** Every IPv4 address: the worker's internet egress, less the VPC CIDR and the metadata address. */
export const ANY_IPV4_CIDR = "0.0.0.0/0";

/**
 * A worker pod's egress, from its release contract's edges (contract/lines.ts): the app's pods for
 * an `app` edge, the VPC CIDR on the edge's port for the data tier (Redis on 0.79, ElastiCache lives
 * outside the cluster), the internet for `s3`; plus DNS, and the internet (all ports) for what
 * flows call. Nothing else: no Postgres or Redis on releases whose workers do not connect to them.
 */
export function workerEgress(connects: readonly Edge[]): EgressRule[] {
  const rules: EgressRule[] = connects.map((e) => ({
    to: e.target === "app" ? "app-pods" : e.target === "s3" ? "internet" : "vpc",
    ports: [{ protocol: "TCP", port: e.port }],
    why: `${e.target}: ${e.why}`,
  }));
  rules.push({
    to: "cluster-dns",
    ports: [
      { protocol: "UDP", port: DNS_PORT },
      { protocol: "TCP", port: DNS_PORT },
    ],
    why: "name resolution through CoreDNS",
  });
  rules.push({ to: "internet", ports: [], why: "flows call the internet (pieces, HTTP steps, code steps)" });
  return rules;
}
