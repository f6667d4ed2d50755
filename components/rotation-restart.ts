import * as aws from "@pulumi/aws";
import * as k8s from "@pulumi/kubernetes";
import * as pulumi from "@pulumi/pulumi";
import * as path from "node:path";
import { KUBERNETES_GROUP, ROTATION_RESTART_ENV, rotationEventPattern } from "../functions/rotation-restart/contract";
import type { ReleaseContract, RoleName, SecretName } from "../contract/types";
import { APP_DEPLOYMENT, APP_SECRET, WORKER_DEPLOYMENT, WORKER_SECRET } from "./eks/names";
import { allowTcpFrom } from "./ingress";
import { bundleHandler } from "./lambda-bundle";
import { LAMBDA_RUNTIME } from "../catalog/lambda-runtimes";

/**
 * Restart on rotation. RDS keeps the master password in a Secrets Manager secret and rotates it
 * every 7 days (`manageMasterUserPassword`); ECS reads `secrets` and Kubernetes reads Secret-backed
 * env only when a container starts, so after a rotation the running app keeps its open connections
 * but every new one fails. A function triggered by the rotation event restarts the roles that read
 * the password: a forced ECS deployment, or on EKS an External Secrets refresh and then a rolling
 * restart of the Deployments.
 * https://docs.aws.amazon.com/AmazonRDS/latest/UserGuide/rds-secrets-manager.html (every seven days by default)
 * https://docs.aws.amazon.com/secretsmanager/latest/userguide/rotate-secrets_managed.html (managed rotation)
 */

export const HANDLER_ENTRY = path.join(__dirname, "..", "functions", "rotation-restart", "handler.ts");
/** Logs of the function, days. */
export const LOG_RETENTION_DAYS = 30;
/** EKS access policy for the Deployments (patch on apps/deployments in the namespace). https://docs.aws.amazon.com/eks/latest/userguide/access-policy-permissions.html */
export const EKS_EDIT_POLICY = "arn:aws:eks::aws:cluster-access-policy/AmazonEKSEditPolicy";
/** Name of the Kubernetes Role/RoleBinding that lets the function refresh ExternalSecrets. */
export const KUBERNETES_ROLE = "activepieces-rotation-restart";

/** Roles whose release contract reads this secret, in contract order (today: the app for the database password). */
export function rolesReading(contract: ReleaseContract, secret: SecretName): RoleName[] {
  return (Object.keys(contract.roles) as RoleName[]).filter((r) => contract.roles[r].secrets.includes(secret));
}

/** Kubernetes objects of each role on EKS: the ExternalSecret that writes its Secret, and its Deployment (eks/names.ts). */
export const EKS_ROLE_OBJECTS: Readonly<Record<RoleName, { readonly externalSecret: string; readonly deployment: string }>> = {
  app: { externalSecret: APP_SECRET, deployment: APP_DEPLOYMENT },
  worker: { externalSecret: WORKER_SECRET, deployment: WORKER_DEPLOYMENT },
};

/** The ExternalSecrets and Deployments of the roles that read `secret`. */
export function eksRestartObjects(contract: ReleaseContract, secret: SecretName): { externalSecrets: string[]; deployments: string[] } {
  const roles = rolesReading(contract, secret);
  return {
    externalSecrets: roles.map((r) => EKS_ROLE_OBJECTS[r].externalSecret),
    deployments: roles.map((r) => EKS_ROLE_OBJECTS[r].deployment),
  };
}

export interface FargateRestartTarget {
  readonly platform: "fargate";
  readonly clusterArn: pulumi.Input<string>;
  readonly clusterName: pulumi.Input<string>;
  /** The ECS services of the roles that read the secret. */
  readonly services: readonly { readonly serviceName: pulumi.Input<string> }[];
}

export interface EksRestartTarget {
  readonly platform: "eks";
  readonly clusterName: pulumi.Input<string>;
  readonly clusterArn: pulumi.Input<string>;
  /**
   * The EKS-managed cluster security group: the private API endpoint's network interfaces carry
   * it, so the function's security group is let in on 443. With `eks.endpointAccess: public` the
   * function goes out through the NAT gateway instead, whose addresses must then be in
   * `eks.publicAccessCidrs`.
   */
  readonly clusterSecurityGroupId: pulumi.Input<string>;
  readonly namespace: string;
  readonly externalSecrets: readonly string[];
  readonly deployments: readonly string[];
  readonly provider: k8s.Provider;
  /** The namespace resource (the RBAC Role lives in it). */
  readonly dependsOn?: pulumi.Resource[];
}

export interface RotationRestartArgs {
  /** The secret whose rotation triggers the restart: the RDS-managed master user secret. */
  readonly secretArn: pulumi.Input<string>;
  readonly vpcId: pulumi.Input<string>;
  /** Private subnets (with a route to the AWS APIs). */
  readonly subnetIds: pulumi.Input<string[]>;
  readonly target: FargateRestartTarget | EksRestartTarget;
}

export interface RotationRestartResult {
  readonly fn: aws.lambda.Function;
  readonly role: aws.iam.Role;
  readonly rule: aws.cloudwatch.EventRule;
  readonly securityGroup: aws.ec2.SecurityGroup;
}

const LAMBDA_TRUST = JSON.stringify({
  Version: "2012-10-17",
  Statement: [{ Effect: "Allow", Principal: { Service: "lambda.amazonaws.com" }, Action: "sts:AssumeRole" }],
});

/** ECS service ARN from the cluster ARN: arn:aws:ecs:<region>:<account>:service/<cluster>/<service>. */
export function serviceArn(clusterArn: string, service: string): string {
  return `${clusterArn.replace(":cluster/", ":service/")}/${service}`;
}

/** The function's only permissions beyond its network interfaces and logs. */
export function restartPolicy(statement: { action: string; resources: string[] }): string {
  return JSON.stringify({
    Version: "2012-10-17",
    Statement: [{ Effect: "Allow", Action: [statement.action], Resource: statement.resources }],
  });
}

/**
 * The function, its log group, role, security group, and the EventBridge rule on the rotation of
 * exactly `secretArn`. Returns undefined when no role reads the secret (nothing to restart).
 */
export function createRotationRestart(name: string, args: RotationRestartArgs, parent: pulumi.Resource): RotationRestartResult | undefined {
  const { target } = args;
  const nothing = target.platform === "fargate" ? target.services.length === 0 : target.deployments.length === 0;
  if (nothing) return undefined;
  const opts = { parent };

  const securityGroup = new aws.ec2.SecurityGroup(
    `${name}-fn-sg`,
    {
      vpcId: args.vpcId,
      description: "rotation restart function: egress to HTTPS only (AWS APIs, Kubernetes API)",
      egress: [{ protocol: "tcp", fromPort: 443, toPort: 443, cidrBlocks: ["0.0.0.0/0"], description: "AWS and Kubernetes APIs" }],
    },
    opts,
  );
  const role = new aws.iam.Role(
    `${name}-fn-role`,
    {
      assumeRolePolicy: LAMBDA_TRUST,
      description: `Restarts the roles that read the database password when ${name}'s secret rotates`,
    },
    opts,
  );
  new aws.iam.RolePolicyAttachment(
    `${name}-fn-vpc`,
    {
      role: role.name,
      policyArn: "arn:aws:iam::aws:policy/service-role/AWSLambdaVPCAccessExecutionRole",
    },
    opts,
  );

  const E = ROTATION_RESTART_ENV;
  let variables: Record<string, pulumi.Input<string>>;
  if (target.platform === "fargate") {
    const names = pulumi.all(target.services.map((s) => s.serviceName));
    new aws.iam.RolePolicy(
      `${name}-fn-policy`,
      {
        role: role.name,
        policy: pulumi
          .all([target.clusterArn, names])
          .apply(([clusterArn, services]) => restartPolicy({ action: "ecs:UpdateService", resources: services.map((s) => serviceArn(clusterArn, s)) })),
      },
      opts,
    );
    variables = {
      [E.platform]: "fargate",
      [E.ecsCluster]: target.clusterName,
      [E.ecsServices]: names.apply((n) => n.join(",")),
    };
  } else {
    new aws.iam.RolePolicy(
      `${name}-fn-policy`,
      {
        role: role.name,
        policy: pulumi.output(target.clusterArn).apply((arn) => restartPolicy({ action: "eks:DescribeCluster", resources: [arn] })),
      },
      opts,
    );
    allowTcpFrom(
      `${name}-k8s-api-from-fn`,
      {
        securityGroupId: target.clusterSecurityGroupId,
        sourceSecurityGroupId: securityGroup.id,
        port: 443,
        description: "rotation restart function to the Kubernetes API",
      },
      opts,
    );
    // The access entry maps the function's role to a Kubernetes group: AmazonEKSEditPolicy covers
    // patching Deployments; ExternalSecrets are a custom resource no access policy names, so a
    // namespaced Role grants get/patch on exactly those objects to the group.
    const entry = new aws.eks.AccessEntry(
      `${name}-fn-access`,
      {
        clusterName: target.clusterName,
        principalArn: role.arn,
        type: "STANDARD",
        kubernetesGroups: [KUBERNETES_GROUP],
      },
      opts,
    );
    new aws.eks.AccessPolicyAssociation(
      `${name}-fn-edit`,
      {
        clusterName: target.clusterName,
        principalArn: role.arn,
        policyArn: EKS_EDIT_POLICY,
        accessScope: { type: "namespace", namespaces: [target.namespace] },
      },
      { parent, dependsOn: [entry] },
    );
    const k8sOpts = { parent, provider: target.provider, dependsOn: target.dependsOn };
    new k8s.rbac.v1.Role(
      `${name}-refresh-role`,
      {
        metadata: { name: KUBERNETES_ROLE, namespace: target.namespace },
        rules: [{ apiGroups: ["external-secrets.io"], resources: ["externalsecrets"], resourceNames: [...target.externalSecrets], verbs: ["get", "patch"] }],
      },
      k8sOpts,
    );
    new k8s.rbac.v1.RoleBinding(
      `${name}-refresh-binding`,
      {
        metadata: { name: KUBERNETES_ROLE, namespace: target.namespace },
        roleRef: { apiGroup: "rbac.authorization.k8s.io", kind: "Role", name: KUBERNETES_ROLE },
        subjects: [{ apiGroup: "rbac.authorization.k8s.io", kind: "Group", name: KUBERNETES_GROUP }],
      },
      k8sOpts,
    );
    variables = {
      [E.platform]: "eks",
      [E.eksCluster]: target.clusterName,
      [E.namespace]: target.namespace,
      [E.syncObjects]: target.externalSecrets.join(","),
      [E.deployments]: target.deployments.join(","),
    };
  }

  const fn = new aws.lambda.Function(
    `${name}-fn`,
    {
      runtime: LAMBDA_RUNTIME,
      architectures: ["arm64"],
      handler: "index.handler",
      role: role.arn,
      memorySize: 256,
      // EKS: up to a minute waiting for External Secrets, then the patches.
      timeout: 120,
      code: new pulumi.asset.AssetArchive({ "index.js": new pulumi.asset.StringAsset(bundleHandler(HANDLER_ENTRY)) }),
      vpcConfig: { subnetIds: args.subnetIds, securityGroupIds: [securityGroup.id] },
      environment: { variables: { [E.secretArn]: args.secretArn, ...variables } },
    },
    opts,
  );
  // A thrown error is retried twice by the asynchronous invocation EventBridge makes.
  new aws.lambda.FunctionEventInvokeConfig(
    `${name}-fn-invoke-config`,
    {
      functionName: fn.name,
      maximumRetryAttempts: 2,
      maximumEventAgeInSeconds: 3600,
    },
    opts,
  );
  // Created before anything can invoke the function, which would otherwise create the group itself
  // (without retention) and make this resource fail with "already exists".
  const logGroup = new aws.cloudwatch.LogGroup(
    `${name}-fn-logs`,
    {
      name: pulumi.interpolate`/aws/lambda/${fn.name}`,
      retentionInDays: LOG_RETENTION_DAYS,
    },
    { ...opts, deleteBeforeReplace: true },
  ); // fixed name: a replacement frees it first

  const rule = new aws.cloudwatch.EventRule(
    `${name}-rotated`,
    {
      name: `${name}-rotated`,
      description: "The database master password rotated: restart the roles that read it",
      eventPattern: pulumi.output(args.secretArn).apply((arn) => JSON.stringify(rotationEventPattern(arn))),
    },
    { ...opts, deleteBeforeReplace: true },
  ); // fixed name: a replacement frees it first
  new aws.cloudwatch.EventTarget(`${name}-fn-target`, { rule: rule.name, arn: fn.arn }, { parent, dependsOn: [logGroup] });
  new aws.lambda.Permission(
    `${name}-fn-invoke`,
    {
      action: "lambda:InvokeFunction",
      function: fn.name,
      principal: "events.amazonaws.com",
      sourceArn: rule.arn,
    },
    opts,
  );
  return { fn, role, rule, securityGroup };
}
