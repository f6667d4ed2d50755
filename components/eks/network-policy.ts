import * as k8s from "@pulumi/kubernetes";
import * as pulumi from "@pulumi/pulumi";
import { ANY_IPV4_CIDR, type EgressPeer, type EgressRule } from "../../sizing/eks-egress";
import { WORKER_DEPLOYMENT } from "./names";

/** CoreDNS: the kube-dns pods of the EKS add-on in kube-system. */
export const CLUSTER_DNS_PEER = {
  namespaceSelector: { matchLabels: { "kubernetes.io/metadata.name": "kube-system" } },
  podSelector: { matchLabels: { "k8s-app": "kube-dns" } },
} as const;

export interface WorkerPolicyInput {
  readonly namespace: string;
  readonly workerLabels: Readonly<Record<string, string>>;
  readonly appLabels: Readonly<Record<string, string>>;
  readonly egress: readonly EgressRule[];
  readonly vpcCidr: string;
  readonly instanceMetadataCidr: string;
}

/** What an egress peer resolves against: the app pods' labels (for "app-pods"), the VPC CIDR and the metadata address. */
export type PeerContext = Pick<WorkerPolicyInput, "vpcCidr" | "instanceMetadataCidr"> & { readonly appLabels?: WorkerPolicyInput["appLabels"] };

/** An egress peer of the plan (sizing/eks-egress.ts EgressPeer) as NetworkPolicy `to` entries. */
export function egressPeers(to: EgressPeer, i: PeerContext): Record<string, unknown>[] {
  switch (to) {
    case "app-pods":
      // An empty selector would admit every pod of the namespace: refuse rather than widen.
      if (!i.appLabels || Object.keys(i.appLabels).length === 0) throw new Error("egress to app-pods needs the app pods' labels");
      return [{ podSelector: { matchLabels: { ...i.appLabels } } }];
    case "cluster-dns":
      return [CLUSTER_DNS_PEER];
    case "vpc":
      return [{ ipBlock: { cidr: i.vpcCidr } }];
    case "internet":
      return [{ ipBlock: { cidr: ANY_IPV4_CIDR, except: [i.vpcCidr, i.instanceMetadataCidr] } }];
  }
}

/** One egress rule of the plan as a NetworkPolicy egress entry; a rule without ports allows every port. */
export function egressRuleManifest(r: EgressRule, i: PeerContext): Record<string, unknown> {
  return {
    to: egressPeers(r.to, i),
    ...(r.ports.length > 0 ? { ports: r.ports.map((p) => ({ protocol: p.protocol, port: p.port })) } : {}),
  };
}

/**
 * The worker pods' NetworkPolicy: egress exactly as the plan renders it from the release contract
 * (sizing/eks-egress.ts workerEgress: the app's pods on its port, the VPC CIDR on the data tier's port
 * when the release's worker connects to it, DNS, the internet minus the VPC and instance
 * metadata), and no ingress at all: nothing connects to a worker. Kubelet probes still arrive,
 * since they come from the node's own IP, which the VPC CNI's policy agent always allows
 * (aws-network-policy-agent#65; Kubernetes' NetworkPolicy docs: a pod cannot block access from
 * its node). Enforced once the VPC CNI add-on has `enableNetworkPolicy` (addons.ts).
 */
export function workerNetworkPolicyManifest(i: WorkerPolicyInput): Record<string, unknown> {
  return {
    apiVersion: "networking.k8s.io/v1",
    kind: "NetworkPolicy",
    metadata: { name: WORKER_DEPLOYMENT, namespace: i.namespace },
    spec: {
      podSelector: { matchLabels: { ...i.workerLabels } },
      policyTypes: ["Ingress", "Egress"],
      ingress: [],
      egress: i.egress.map((r) => egressRuleManifest(r, i)),
    },
  };
}

export function createWorkerNetworkPolicy(
  name: string,
  args: Omit<WorkerPolicyInput, "vpcCidr"> & { vpcCidr: pulumi.Input<string> },
  opts: { provider: k8s.Provider; parent: pulumi.Resource; dependsOn?: pulumi.Resource[] },
): k8s.networking.v1.NetworkPolicy {
  const spec = pulumi
    .output(args.vpcCidr)
    .apply((vpcCidr) => workerNetworkPolicyManifest({ ...args, vpcCidr }).spec as k8s.types.input.networking.v1.NetworkPolicySpec);
  return new k8s.networking.v1.NetworkPolicy(
    `${name}-worker-netpol`,
    {
      metadata: { name: WORKER_DEPLOYMENT, namespace: args.namespace },
      spec,
    },
    opts,
  );
}
