import type * as kubernetes from "@pulumi/kubernetes";
import * as pulumi from "@pulumi/pulumi";
import { CHARTS, SYSTEM_NODE_SELECTOR, helmRelease, resources } from "./helm";
import { createPodRole, type PodRole } from "./pod-identity";

export const LB_CONTROLLER_SA = "aws-load-balancer-controller";
/** Tag the controller puts on every load balancer, target group and security group it creates. */
export const LB_CLUSTER_TAG = "elbv2.k8s.aws/cluster";

/**
 * What the AWS Load Balancer Controller may do, scoped to this cluster: describe freely; create
 * load balancers, target groups and security groups only with its cluster tag set to this
 * cluster's name; change or delete only resources that carry that tag; manage listeners and rules
 * (their load balancer is tagged). The controller's reference policy:
 * https://kubernetes-sigs.github.io/aws-load-balancer-controller/latest/deploy/installation/#configure-iam
 */
export function lbControllerPolicy(clusterName: string): string {
  const ownRequest = { StringEquals: { [`aws:RequestTag/${LB_CLUSTER_TAG}`]: clusterName } };
  const ownResource = { StringEquals: { [`aws:ResourceTag/${LB_CLUSTER_TAG}`]: clusterName } };
  return JSON.stringify({
    Version: "2012-10-17",
    Statement: [
      {
        Sid: "Describe",
        Effect: "Allow",
        Resource: "*",
        Action: [
          "ec2:DescribeAccountAttributes",
          "ec2:DescribeAddresses",
          "ec2:DescribeAvailabilityZones",
          "ec2:DescribeInternetGateways",
          "ec2:DescribeVpcs",
          "ec2:DescribeVpcPeeringConnections",
          "ec2:DescribeSubnets",
          "ec2:DescribeSecurityGroups",
          "ec2:DescribeInstances",
          "ec2:DescribeNetworkInterfaces",
          "ec2:DescribeTags",
          "ec2:DescribeCoipPools",
          "ec2:GetCoipPoolUsage",
          "ec2:DescribeRouteTables",
          "ec2:GetSecurityGroupsForVpc",
          "ec2:DescribeIpamPools",
          "elasticloadbalancing:Describe*",
          "acm:ListCertificates",
          "acm:DescribeCertificate",
          "iam:ListServerCertificates",
          "iam:GetServerCertificate",
          "cognito-idp:DescribeUserPoolClient",
          "wafv2:GetWebACL",
          "wafv2:GetWebACLForResource",
          "waf-regional:GetWebACL",
          "waf-regional:GetWebACLForResource",
          "shield:GetSubscriptionState",
          "shield:DescribeProtection",
        ],
      },
      {
        Sid: "ServiceLinkedRole",
        Effect: "Allow",
        Action: "iam:CreateServiceLinkedRole",
        Resource: "*",
        Condition: { StringEquals: { "iam:AWSServiceName": "elasticloadbalancing.amazonaws.com" } },
      },
      { Sid: "CreateSecurityGroup", Effect: "Allow", Action: "ec2:CreateSecurityGroup", Resource: "*" },
      {
        Sid: "TagNewSecurityGroup",
        Effect: "Allow",
        Action: "ec2:CreateTags",
        Resource: "arn:aws:ec2:*:*:security-group/*",
        Condition: { ...ownRequest, StringEqualsIfExists: { "ec2:CreateAction": "CreateSecurityGroup" } },
      },
      {
        // The controller opens the node security group to its load balancer's security group.
        Sid: "TargetIngress",
        Effect: "Allow",
        Resource: "*",
        Action: ["ec2:AuthorizeSecurityGroupIngress", "ec2:RevokeSecurityGroupIngress"],
      },
      {
        Sid: "OwnSecurityGroups",
        Effect: "Allow",
        Resource: "*",
        Condition: ownResource,
        Action: ["ec2:DeleteSecurityGroup", "ec2:CreateTags", "ec2:DeleteTags"],
      },
      {
        Sid: "CreateOwnLoadBalancers",
        Effect: "Allow",
        Resource: "*",
        Condition: ownRequest,
        Action: ["elasticloadbalancing:CreateLoadBalancer", "elasticloadbalancing:CreateTargetGroup", "elasticloadbalancing:AddTags"],
      },
      {
        Sid: "OwnLoadBalancers",
        Effect: "Allow",
        Resource: "*",
        Condition: ownResource,
        Action: [
          "elasticloadbalancing:ModifyLoadBalancerAttributes",
          "elasticloadbalancing:SetIpAddressType",
          "elasticloadbalancing:SetSecurityGroups",
          "elasticloadbalancing:SetSubnets",
          "elasticloadbalancing:DeleteLoadBalancer",
          "elasticloadbalancing:ModifyTargetGroup",
          "elasticloadbalancing:ModifyTargetGroupAttributes",
          "elasticloadbalancing:DeleteTargetGroup",
          "elasticloadbalancing:RegisterTargets",
          "elasticloadbalancing:DeregisterTargets",
          "elasticloadbalancing:AddTags",
          "elasticloadbalancing:RemoveTags",
          "elasticloadbalancing:ModifyCapacityReservation",
          "elasticloadbalancing:ModifyIpPools",
        ],
      },
      {
        Sid: "ListenersAndRules",
        Effect: "Allow",
        Resource: "*",
        Action: [
          "elasticloadbalancing:CreateListener",
          "elasticloadbalancing:DeleteListener",
          "elasticloadbalancing:ModifyListener",
          "elasticloadbalancing:CreateRule",
          "elasticloadbalancing:DeleteRule",
          "elasticloadbalancing:ModifyRule",
          "elasticloadbalancing:AddListenerCertificates",
          "elasticloadbalancing:RemoveListenerCertificates",
          "elasticloadbalancing:SetWebAcl",
          "elasticloadbalancing:ModifyListenerAttributes",
          // Reorders the Ingress's listener rules (same statement as ModifyRule in iam_policy.json v2.13.4).
          "elasticloadbalancing:SetRulePriorities",
        ],
      },
    ],
  });
}

/**
 * Chart values that turn off the controller's Service mutating webhook (`mservice.elbv2.k8s.aws`,
 * `failurePolicy: Fail`): it only makes the controller the default for `type: LoadBalancer`
 * Services, which this project does not use, and while the controller's pods are not ready it
 * rejects every Service other charts create (aws-load-balancer-controller#4140). Value name and
 * default (true) from stable/aws-load-balancer-controller/values.yaml of the pinned chart 1.13.4;
 * templates/webhook.yaml renders the Service webhook only when it is true. The Pod webhook
 * (readiness gates, `failurePolicy: Ignore`) stays.
 */
export const LB_CONTROLLER_WEBHOOK_VALUES = { enableServiceMutatorWebhook: false } as const;

export interface LbController {
  readonly release: kubernetes.helm.v3.Release;
  /** The controller's Pod Identity (role, policy, association): anything the controller must clean up depends on it. */
  readonly identity: PodRole;
}

/**
 * AWS Load Balancer Controller: turns the app's Ingress into an ALB with IP targets. Region and
 * VPC are given explicitly because pods cannot reach the instance metadata service (hop limit 1).
 * The release waits for its Pod Identity and outlives it on destroy; the Ingress does the same
 * (components/eks/workloads.ts), so the controller still holds its permissions when it deletes the ALB.
 */
export function createLbController(
  name: string,
  args: { clusterName: pulumi.Output<string>; region: string; vpcId: pulumi.Input<string> },
  opts: { provider: kubernetes.Provider; parent: pulumi.Resource; dependsOn: pulumi.Resource[] },
): LbController {
  const ref = CHARTS.loadBalancerController;
  const identity = createPodRole(
    `${name}-lb-controller`,
    {
      clusterName: args.clusterName,
      namespace: ref.namespace,
      serviceAccount: LB_CONTROLLER_SA,
      policy: args.clusterName.apply(lbControllerPolicy),
      description: `AWS Load Balancer Controller of ${name}`,
    },
    opts.parent,
  );
  const values = pulumi.all([args.clusterName, args.vpcId]).apply(([clusterName, vpcId]) => ({
    clusterName,
    region: args.region,
    vpcId,
    replicaCount: 2,
    serviceAccount: { create: true, name: LB_CONTROLLER_SA },
    resources: resources("aws-load-balancer-controller"),
    nodeSelector: SYSTEM_NODE_SELECTOR,
    ...LB_CONTROLLER_WEBHOOK_VALUES,
  }));
  const release = helmRelease(`${name}-lb-controller`, ref, values, { ...opts, dependsOn: [...opts.dependsOn, ...identity.resources] });
  return { release, identity };
}
