import type * as kubernetes from "@pulumi/kubernetes";
import * as pulumi from "@pulumi/pulumi";
import type { EksPlan } from "../../sizing/eks";
import { CHARTS, SYSTEM_NODE_SELECTOR, helmRelease, resources } from "./helm";
import { createPodRole } from "./pod-identity";

export const CLUSTER_AUTOSCALER_SA = "cluster-autoscaler";

/**
 * Cluster Autoscaler's permissions: read Auto Scaling groups, launch templates and node groups
 * anywhere; change the size of, or terminate instances in, only the groups tagged as this
 * cluster's (EKS adds `k8s.io/cluster-autoscaler/<cluster>: owned` to managed node groups).
 * https://github.com/kubernetes/autoscaler/blob/master/cluster-autoscaler/cloudprovider/aws/README.md#iam-policy
 */
export function autoscalerPolicy(clusterName: string): string {
  return JSON.stringify({
    Version: "2012-10-17",
    Statement: [
      {
        Sid: "ScaleOwnGroups",
        Effect: "Allow",
        Action: ["autoscaling:SetDesiredCapacity", "autoscaling:TerminateInstanceInAutoScalingGroup"],
        Resource: "*",
        Condition: { StringEquals: { [`aws:ResourceTag/k8s.io/cluster-autoscaler/${clusterName}`]: "owned" } },
      },
      {
        Sid: "Discover",
        Effect: "Allow",
        Action: [
          "autoscaling:DescribeAutoScalingGroups",
          "autoscaling:DescribeAutoScalingInstances",
          "autoscaling:DescribeLaunchConfigurations",
          "autoscaling:DescribeScalingActivities",
          "autoscaling:DescribeTags",
          "ec2:DescribeImages",
          "ec2:DescribeInstanceTypes",
          "ec2:DescribeLaunchTemplateVersions",
          "ec2:GetInstanceTypesFromInstanceRequirements",
          "eks:DescribeNodegroup",
        ],
        Resource: "*",
      },
    ],
  });
}

/**
 * Cluster Autoscaler (see README.md for why it, and not Karpenter or Auto Mode): grows a managed
 * node group when pods are pending for its labels and taints, shrinks it when nodes stay unneeded.
 * Its image minor version must match the cluster's Kubernetes minor version: the plan carries the
 * image of that minor from catalog/images.ts. The release waits for its Pod Identity (role, policy,
 * association), so the autoscaler never starts without AWS credentials, and outlives it on destroy.
 */
export function createClusterAutoscaler(
  name: string,
  args: { plan: Pick<EksPlan, "autoscaler">; clusterName: pulumi.Output<string>; region: string },
  opts: { provider: kubernetes.Provider; parent: pulumi.Resource; dependsOn: pulumi.Resource[] },
): kubernetes.helm.v3.Release {
  const ref = CHARTS.clusterAutoscaler;
  const identity = createPodRole(
    `${name}-cluster-autoscaler`,
    {
      clusterName: args.clusterName,
      namespace: ref.namespace,
      serviceAccount: CLUSTER_AUTOSCALER_SA,
      policy: args.clusterName.apply(autoscalerPolicy),
      description: `Cluster Autoscaler of ${name}`,
    },
    opts.parent,
  );
  const values = args.clusterName.apply((clusterName) => ({
    cloudProvider: "aws",
    awsRegion: args.region,
    autoDiscovery: { clusterName },
    image: { repository: args.plan.autoscaler.image.repository, tag: args.plan.autoscaler.image.tag },
    rbac: { serviceAccount: { create: true, name: CLUSTER_AUTOSCALER_SA } },
    extraArgs: {
      "balance-similar-node-groups": true,
      expander: args.plan.autoscaler.expander,
      "scale-down-unneeded-time": `${args.plan.autoscaler.scaleDownUnneededMinutes}m`,
      "skip-nodes-with-system-pods": false,
      "skip-nodes-with-local-storage": false,
    },
    resources: resources("cluster-autoscaler"),
    nodeSelector: SYSTEM_NODE_SELECTOR,
  }));
  return helmRelease(`${name}-cluster-autoscaler`, ref, values, { ...opts, dependsOn: [...opts.dependsOn, ...identity.resources] });
}
