import * as aws from "@pulumi/aws";
import * as kubernetes from "@pulumi/kubernetes";
import * as pulumi from "@pulumi/pulumi";
import type { EksPlan } from "../../sizing/eks";
import { assertKeys, indexAlias, principalKey } from "../stable-names";

/** Every control-plane log type, sent to CloudWatch. https://docs.aws.amazon.com/eks/latest/userguide/control-plane-logs.html */
export const CONTROL_PLANE_LOG_TYPES = ["api", "audit", "authenticator", "controllerManager", "scheduler"] as const;
/** Days control-plane logs are kept (EKS would otherwise create the group with no expiry). */
export const CONTROL_PLANE_LOG_RETENTION_DAYS = 30;
/** Access policy for cluster administrators. https://docs.aws.amazon.com/eks/latest/userguide/access-policy-permissions.html */
export const CLUSTER_ADMIN_POLICY = "arn:aws:eks::aws:cluster-access-policy/AmazonEKSClusterAdminPolicy";

const EKS_TRUST = JSON.stringify({
  Version: "2012-10-17",
  Statement: [{ Effect: "Allow", Principal: { Service: "eks.amazonaws.com" }, Action: ["sts:AssumeRole", "sts:TagSession"] }],
});

/** What the control plane reads of an EKS plan (ActivePieces' EksPlan and a profile's ProfileEksPlan both have it). */
export type EksClusterPlan = Pick<
  EksPlan,
  "kubernetesVersion" | "support" | "endpointPrivateAccess" | "endpointPublicAccess" | "publicAccessCidrs" | "adminRoleArns"
>;

export interface ClusterArgs {
  readonly plan: EksClusterPlan;
  readonly region: string;
  readonly privateSubnetIds: pulumi.Input<string[]>;
}

export interface ClusterResult {
  readonly cluster: aws.eks.Cluster;
  readonly provider: kubernetes.Provider;
  readonly secretsKey: aws.kms.Key;
  /** The EKS-managed cluster security group, which managed nodes (without their own SGs) also carry. */
  readonly clusterSecurityGroupId: pulumi.Output<string>;
}

/** Policy letting the cluster role use the envelope-encryption key, and nothing else of KMS. */
export function secretsKeyPolicy(keyArn: string): string {
  return JSON.stringify({
    Version: "2012-10-17",
    Statement: [
      {
        Sid: "EnvelopeEncryption",
        Effect: "Allow",
        Action: ["kms:Encrypt", "kms:Decrypt", "kms:DescribeKey", "kms:CreateGrant", "kms:ListGrants"],
        Resource: keyArn,
      },
    ],
  });
}

/**
 * A kubeconfig that holds no credential: kubectl and the provider run `aws eks get-token`
 * with whatever AWS identity runs Pulumi. https://docs.aws.amazon.com/eks/latest/userguide/create-kubeconfig.html
 */
export function kubeconfig(clusterName: string, endpoint: string, caData: string, region: string): string {
  return JSON.stringify({
    apiVersion: "v1",
    kind: "Config",
    clusters: [{ name: clusterName, cluster: { server: endpoint, "certificate-authority-data": caData } }],
    contexts: [{ name: clusterName, context: { cluster: clusterName, user: clusterName } }],
    "current-context": clusterName,
    users: [
      {
        name: clusterName,
        user: {
          exec: {
            apiVersion: "client.authentication.k8s.io/v1beta1",
            command: "aws",
            args: ["eks", "get-token", "--cluster-name", clusterName, "--region", region],
            interactiveMode: "Never",
          },
        },
      },
    ],
  });
}

/**
 * The EKS control plane: API authentication mode (access entries, no aws-auth ConfigMap), the
 * endpoint public, private or both, every control-plane log type to CloudWatch, Kubernetes
 * Secrets envelope-encrypted with a customer-managed KMS key, standard support unless the stack opts
 * in to extended support (six times the cluster-hour price). The identity running Pulumi gets cluster-admin through the
 * creator's access entry; `adminRoleArns` get their own entries.
 */
export function createCluster(name: string, args: ClusterArgs, parent: pulumi.Resource): ClusterResult {
  const { plan, region } = args;

  const secretsKey = new aws.kms.Key(
    `${name}-secrets-key`,
    {
      description: `EKS ${name}: envelope encryption of Kubernetes Secrets`,
      enableKeyRotation: true,
      deletionWindowInDays: 30,
    },
    { parent },
  );
  new aws.kms.Alias(`${name}-secrets-key`, { name: `alias/${name}-eks-secrets`, targetKeyId: secretsKey.keyId }, { parent });

  const role = new aws.iam.Role(`${name}-cluster-role`, { assumeRolePolicy: EKS_TRUST, description: `EKS control plane of ${name}` }, { parent });
  const managed = new aws.iam.RolePolicyAttachment(
    `${name}-cluster-policy`,
    {
      role: role.name,
      policyArn: "arn:aws:iam::aws:policy/AmazonEKSClusterPolicy",
    },
    { parent },
  );
  const keyAccess = new aws.iam.RolePolicy(`${name}-cluster-kms`, { role: role.name, policy: secretsKey.arn.apply(secretsKeyPolicy) }, { parent });

  const logGroup = new aws.cloudwatch.LogGroup(
    `${name}-control-plane-logs`,
    {
      name: `/aws/eks/${name}/cluster`,
      retentionInDays: CONTROL_PLANE_LOG_RETENTION_DAYS,
    },
    { parent },
  );

  const cluster = new aws.eks.Cluster(
    `${name}-cluster`,
    {
      name,
      version: plan.kubernetesVersion,
      roleArn: role.arn,
      vpcConfig: {
        subnetIds: args.privateSubnetIds,
        endpointPrivateAccess: plan.endpointPrivateAccess,
        endpointPublicAccess: plan.endpointPublicAccess,
        publicAccessCidrs: plan.endpointPublicAccess ? [...plan.publicAccessCidrs] : undefined,
      },
      accessConfig: { authenticationMode: "API", bootstrapClusterCreatorAdminPermissions: true },
      enabledClusterLogTypes: [...CONTROL_PLANE_LOG_TYPES],
      encryptionConfig: { resources: ["secrets"], provider: { keyArn: secretsKey.arn } },
      // STANDARD: EKS upgrades the version when standard support ends; EXTENDED only with eks.extendedSupport (billed extended support).
      upgradePolicy: { supportType: plan.support.supportType },
    },
    { parent, dependsOn: [managed, keyAccess, logGroup] },
  );

  // Named by principal, not position, so reordering adminRoleArns replaces nothing; the alias
  // adopts entries a stack created under position names (see indexAlias for the ordering caveat).
  assertKeys(plan.adminRoleArns.map(principalKey), "eks.adminRoleArns");
  plan.adminRoleArns.forEach((principalArn, i) => {
    const admin = `${name}-admin-${principalKey(principalArn)}`;
    const aliases = indexAlias(`${name}-admin`, i);
    const entry = new aws.eks.AccessEntry(admin, { clusterName: cluster.name, principalArn, type: "STANDARD" }, { parent, aliases });
    new aws.eks.AccessPolicyAssociation(
      admin,
      {
        clusterName: cluster.name,
        principalArn,
        policyArn: CLUSTER_ADMIN_POLICY,
        accessScope: { type: "cluster" },
      },
      { parent, dependsOn: [entry], aliases },
    );
  });

  const config = pulumi
    .all([cluster.name, cluster.endpoint, cluster.certificateAuthority.data])
    .apply(([n, endpoint, ca]) => kubeconfig(n, endpoint, ca, region));
  const provider = new kubernetes.Provider(`${name}-k8s`, { kubeconfig: config, enableServerSideApply: true }, { parent });

  return {
    cluster,
    provider,
    secretsKey,
    clusterSecurityGroupId: cluster.vpcConfig.apply((v) => {
      if (!v.clusterSecurityGroupId) throw new Error(`${name}: EKS returned no cluster security group`);
      return v.clusterSecurityGroupId;
    }),
  };
}
