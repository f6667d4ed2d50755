import * as aws from "@pulumi/aws";
import * as pulumi from "@pulumi/pulumi";

/**
 * EKS add-ons managed by AWS: networking (VPC CNI, kube-proxy), DNS, the Pod Identity agent that
 * hands pods their roles, and metrics-server, which the app's CPU autoscaler reads. Versions follow
 * the cluster's Kubernetes version (EKS picks the default for it).
 * https://docs.aws.amazon.com/eks/latest/userguide/eks-add-ons.html
 */
export const ADDONS = ["vpc-cni", "kube-proxy", "coredns", "eks-pod-identity-agent", "metrics-server"] as const;
export type AddonName = (typeof ADDONS)[number];

/**
 * Networking and the Pod Identity agent go in before the nodes (a node without the CNI never turns
 * Ready); CoreDNS and metrics-server are Deployments and wait for the nodes.
 */
export const BEFORE_NODES: readonly AddonName[] = ["vpc-cni", "kube-proxy", "eks-pod-identity-agent"];
export const AFTER_NODES: readonly AddonName[] = ["coredns", "metrics-server"];

/**
 * Add-on configuration values. The VPC CNI enforces Kubernetes NetworkPolicy (the worker pods'
 * policy, network-policy.ts) only with `enableNetworkPolicy` set to the string "true"
 * (https://docs.aws.amazon.com/eks/latest/userguide/cni-network-policy-configure.html, "Enable the
 * network policy parameter for the add-on"; VPC CNI 1.14+, EKS 1.25+). The node agent always lets
 * the node's own IP in, so kubelet probes keep working (aws-network-policy-agent#65).
 */
export const ADDON_CONFIGURATION: Partial<Record<AddonName, Record<string, unknown>>> = {
  "vpc-cni": { enableNetworkPolicy: "true" },
};

export function createAddons(
  name: string,
  clusterName: pulumi.Input<string>,
  addons: readonly AddonName[],
  dependsOn: pulumi.Resource[],
  parent: pulumi.Resource,
): aws.eks.Addon[] {
  return addons.map(
    (addon) =>
      new aws.eks.Addon(
        `${name}-${addon}`,
        {
          clusterName,
          addonName: addon,
          ...(ADDON_CONFIGURATION[addon] ? { configurationValues: JSON.stringify(ADDON_CONFIGURATION[addon]) } : {}),
          resolveConflictsOnCreate: "OVERWRITE",
          resolveConflictsOnUpdate: "OVERWRITE",
        },
        { parent, dependsOn },
      ),
  );
}
