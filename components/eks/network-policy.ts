import * as k8s from "@pulumi/kubernetes";
import * as pulumi from "@pulumi/pulumi";
import { ANY_IPV4_CIDR, type EgressPeer, type EgressRule } from "../../sizing/eks";
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

function peers(to: EgressPeer, i: WorkerPolicyInput): Record<string, unknown>[] {
  switch (to) {
    case "app-pods":
      return [{ podSelector: { matchLabels: { ...i.appLabels } } }];
    case "cluster-dns":
      return [CLUSTER_DNS_PEER];
    case "vpc":
      return [{ ipBlock: { cidr: i.vpcCidr } }];
    case "internet":
      return [{ ipBlock: { cidr: ANY_IPV4_CIDR, except: [i.vpcCidr, i.instanceMetadataCidr] } }];
  }
}

/**
 * The worker pods' NetworkPolicy: egress exactly as the plan renders it from the release contract
 * (sizing/eks.ts workerEgress: the app's pods on its port, the VPC CIDR on the data tier's port
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
      egress: i.egress.map((r) => ({
        to: peers(r.to, i),
        ...(r.ports.length > 0 ? { ports: r.ports.map((p) => ({ protocol: p.protocol, port: p.port })) } : {}),
      })),
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
