import * as aws from "@pulumi/aws";
import * as pulumi from "@pulumi/pulumi";
import type { NodePoolPlan } from "../../sizing/eks-pools";
import type { Architecture } from "../../sizing/types";
import { arnLeaf, indexAlias } from "../stable-names";

const EC2_TRUST = JSON.stringify({
  Version: "2012-10-17",
  Statement: [{ Effect: "Allow", Principal: { Service: "ec2.amazonaws.com" }, Action: "sts:AssumeRole" }],
});

/** What a node itself needs: join the cluster, pull images, run the VPC CNI. https://docs.aws.amazon.com/eks/latest/userguide/create-node-role.html */
export const NODE_MANAGED_POLICIES = [
  "arn:aws:iam::aws:policy/AmazonEKSWorkerNodePolicy",
  "arn:aws:iam::aws:policy/AmazonEC2ContainerRegistryReadOnly",
  "arn:aws:iam::aws:policy/AmazonEKS_CNI_Policy",
] as const;

/** Amazon Linux 2023 EKS AMI for the architecture. https://docs.aws.amazon.com/eks/latest/APIReference/API_Nodegroup.html */
export function amiType(arch: Architecture): "AL2023_ARM_64_STANDARD" | "AL2023_x86_64_STANDARD" {
  return arch === "arm64" ? "AL2023_ARM_64_STANDARD" : "AL2023_x86_64_STANDARD";
}

export interface NodeGroupsArgs {
  readonly clusterName: pulumi.Input<string>;
  readonly subnetIds: pulumi.Input<string[]>;
  readonly architecture: Architecture;
  readonly pools: readonly NodePoolPlan[];
  /** Created after the cluster's access configuration is in place. */
  readonly dependsOn: pulumi.Resource[];
}

export interface NodeGroupsResult {
  readonly nodeRole: aws.iam.Role;
  readonly groups: Record<NodePoolPlan["name"], aws.eks.NodeGroup>;
}

/**
 * Launch template shared by a pool's nodes: IMDSv2 only with a hop limit of 1, so pods cannot
 * borrow the node role through the metadata service (they get their own role by Pod Identity),
 * and an encrypted gp3 root volume. Security groups are left out so EKS attaches the cluster
 * security group, the one the database and Redis admit.
 * https://docs.aws.amazon.com/eks/latest/userguide/launch-templates.html
 */
function launchTemplate(name: string, pool: NodePoolPlan, parent: pulumi.Resource): aws.ec2.LaunchTemplate {
  return new aws.ec2.LaunchTemplate(
    `${name}-${pool.name}-lt`,
    {
      description: `EKS ${pool.name} nodes of ${name}`,
      updateDefaultVersion: true,
      metadataOptions: { httpEndpoint: "enabled", httpTokens: "required", httpPutResponseHopLimit: 1 },
      blockDeviceMappings: [
        {
          deviceName: "/dev/xvda",
          ebs: { volumeSize: pool.diskGb, volumeType: "gp3", encrypted: "true", deleteOnTermination: "true" },
        },
      ],
      tagSpecifications: [{ resourceType: "instance", tags: { Name: `${name}-${pool.name}` } }],
    },
    { parent },
  );
}

/**
 * Managed node groups, one per pool: `system-app` on on-demand capacity for controllers and app
 * pods, `worker` on Spot across several instance types, tainted so that only worker pods (and
 * DaemonSets) land there. EKS tags each group's Auto Scaling group for Cluster Autoscaler
 * discovery and drains Spot nodes on a rebalance recommendation (Capacity Rebalancing).
 * The desired size belongs to the autoscaler after creation, so Pulumi ignores its drift.
 * https://docs.aws.amazon.com/eks/latest/userguide/managed-node-groups.html
 */
export function createNodeGroups(name: string, args: NodeGroupsArgs, parent: pulumi.Resource): NodeGroupsResult {
  const nodeRole = new aws.iam.Role(`${name}-node-role`, { assumeRolePolicy: EC2_TRUST, description: `EKS nodes of ${name}` }, { parent });
  // Named by policy (AWS-managed policy names are unique), so editing the list replaces nothing; the
  // alias adopts attachments created under position names (see indexAlias for the ordering caveat).
  const attachments = NODE_MANAGED_POLICIES.map(
    (policyArn, i) =>
      new aws.iam.RolePolicyAttachment(
        `${name}-node-policy-${arnLeaf(policyArn)}`,
        { role: nodeRole.name, policyArn },
        {
          parent,
          aliases: indexAlias(`${name}-node-policy`, i),
        },
      ),
  );

  const groups = {} as Record<NodePoolPlan["name"], aws.eks.NodeGroup>;
  for (const pool of args.pools) {
    const lt = launchTemplate(name, pool, parent);
    groups[pool.name] = new aws.eks.NodeGroup(
      `${name}-${pool.name}`,
      {
        clusterName: args.clusterName,
        nodeRoleArn: nodeRole.arn,
        subnetIds: args.subnetIds,
        capacityType: pool.capacityType,
        instanceTypes: [...pool.instanceTypes],
        amiType: amiType(args.architecture),
        scalingConfig: { minSize: pool.minNodes, desiredSize: Math.max(pool.desiredNodes, pool.minNodes), maxSize: pool.maxNodes },
        labels: { ...pool.labels },
        taints: pool.taints.map((t) => ({ ...t })),
        launchTemplate: { id: lt.id, version: lt.latestVersion.apply(String) },
        updateConfig: { maxUnavailable: 1 },
        tags: { Name: `${name}-${pool.name}` },
      },
      { parent, dependsOn: [...attachments, ...args.dependsOn], ignoreChanges: ["scalingConfig.desiredSize"] },
    );
  }
  return { nodeRole, groups };
}
