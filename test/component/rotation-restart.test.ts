/**
 * The rotation restart as the stack wires it: prod on Fargate and the EKS example, captured under
 * the same mocks the plan command uses. Each resource is looked up by name, so removing the call
 * from either platform fails these tests.
 */
import { beforeAll, describe, expect, it } from "vitest";
import { isSecretName } from "../../policies/facts/secrets";
import { loadStackFile } from "../../config";
import { RELEASE_LINES } from "../../contract/lines";
import type { ReleaseContract } from "../../contract/types";
import { EKS_EDIT_POLICY, eksRestartObjects, rolesReading, serviceArn } from "../../components/rotation-restart";
import { APP_DEPLOYMENT, APP_NAMESPACE, APP_SECRET } from "../../components/eks/names";
import { plan } from "../../sizing/plan";
import type { Capture } from "../../offline/capture";
import { captureStack, planFor } from "../stack";

type Statement = { Effect: string; Action: string[]; Resource: string[] };
const statements = (cap: Capture) =>
  (JSON.parse(cap.one("aws:iam/rolePolicy:RolePolicy", "-db-rotation-fn-policy").inputs.policy as string) as { Statement: Statement[] }).Statement;
const env = (cap: Capture) =>
  (cap.one("aws:lambda/function:Function", "-db-rotation-fn").inputs.environment as { variables: Record<string, string> }).variables;

/** The ARN of the RDS-managed master user secret, as the instance reports it. */
function databaseSecretArn(cap: Capture): string {
  const secrets = cap.one("aws:rds/instance:Instance").outputs.masterUserSecrets as { secretArn: string }[];
  expect(secrets[0]!.secretArn).toMatch(/^arn:aws:secretsmanager:us-east-1:123456789012:secret:rds!db-/);
  return secrets[0]!.secretArn;
}

/** What both platforms share: the rule on exactly the database secret, its target, the permission, the function. */
function sharedWiring(get: () => Capture) {
  it("matches the rotation of exactly the database secret's ARN", () => {
    const cap = get();
    const rule = cap.one("aws:cloudwatch/eventRule:EventRule", "-db-rotation-rotated");
    expect(JSON.parse(rule.inputs.eventPattern as string)).toEqual({
      source: ["aws.secretsmanager"],
      "detail-type": ["Secret Label Updated"],
      resources: [databaseSecretArn(cap)],
      detail: { labelUpdated: ["AWSCURRENT"] },
    });
    expect(env(cap).WATCHED_SECRET_ARN).toBe(databaseSecretArn(cap));
  });

  it("targets the function, which EventBridge may invoke for this rule only", () => {
    const cap = get();
    const rule = cap.one("aws:cloudwatch/eventRule:EventRule", "-db-rotation-rotated");
    const fn = cap.one("aws:lambda/function:Function", "-db-rotation-fn");
    const target = cap.one("aws:cloudwatch/eventTarget:EventTarget", "-db-rotation-fn-target");
    expect(target.inputs).toMatchObject({ rule: rule.inputs.name, arn: fn.outputs.arn });
    const permission = cap.one("aws:lambda/permission:Permission", "-db-rotation-fn-invoke");
    expect(permission.inputs).toEqual({
      action: "lambda:InvokeFunction",
      function: fn.outputs.name,
      principal: "events.amazonaws.com",
      sourceArn: rule.outputs.arn,
    });
  });

  it("runs Node.js 22 on arm64 in the private subnets, with its own HTTPS-only security group and a 30-day log group", () => {
    const cap = get();
    const fn = cap.one("aws:lambda/function:Function", "-db-rotation-fn");
    const sg = cap.one("aws:ec2/securityGroup:SecurityGroup", "-db-rotation-fn-sg");
    expect(fn.inputs).toMatchObject({ runtime: "nodejs22.x", architectures: ["arm64"], handler: "index.handler" });
    expect(fn.inputs.vpcConfig).toEqual({ subnetIds: cap.one("awsx:ec2:Vpc").outputs.privateSubnetIds, securityGroupIds: [sg.id] });
    expect(sg.inputs.ingress).toBeUndefined();
    expect(sg.inputs.egress).toEqual([expect.objectContaining({ protocol: "tcp", fromPort: 443, toPort: 443 })]);
    expect(cap.one("aws:cloudwatch/logGroup:LogGroup", "-db-rotation-fn-logs").inputs).toEqual({
      name: `/aws/lambda/${fn.outputs.name as string}`,
      retentionInDays: 30,
    });
    expect(cap.one("aws:lambda/functionEventInvokeConfig:FunctionEventInvokeConfig", "-db-rotation-fn-invoke-config").inputs.maximumRetryAttempts).toBe(2);
    for (const name of Object.keys(env(cap))) expect(isSecretName(name)).toBe(false);
  });

  it("has a role only Lambda can assume, with the VPC execution policy besides its own", () => {
    const cap = get();
    const role = cap.one("aws:iam/role:Role", "-db-rotation-fn-role");
    expect(JSON.parse(role.inputs.assumeRolePolicy as string).Statement).toEqual([
      { Effect: "Allow", Principal: { Service: "lambda.amazonaws.com" }, Action: "sts:AssumeRole" },
    ]);
    expect(cap.one("aws:iam/rolePolicyAttachment:RolePolicyAttachment", "-db-rotation-fn-vpc").inputs.policyArn).toBe(
      "arn:aws:iam::aws:policy/service-role/AWSLambdaVPCAccessExecutionRole",
    );
  });
}

describe("which roles are restarted comes from the runtime contract", () => {
  it("is the app on every release line today", () => {
    for (const line of RELEASE_LINES) expect(rolesReading(line, "databasePassword")).toEqual(["app"]);
  });

  it("follows the contract when another role reads the password", () => {
    const base = RELEASE_LINES[0]!;
    const both: ReleaseContract = {
      ...base,
      roles: { ...base.roles, worker: { ...base.roles.worker, secrets: [...base.roles.worker.secrets, "databasePassword"] } },
    };
    expect(rolesReading(both, "databasePassword")).toEqual(["app", "worker"]);
    expect(eksRestartObjects(both, "databasePassword")).toEqual({
      externalSecrets: ["activepieces-app", "activepieces-worker"],
      deployments: ["activepieces-app", "activepieces-worker"],
    });
    expect(rolesReading(base, "encryptionKey")).toEqual(["app"]);
  });
});

describe("rotation restart on Fargate (prod)", () => {
  let cap: Capture;
  beforeAll(async () => {
    cap = await captureStack(planFor("prod"));
  });
  sharedWiring(() => cap);

  it("may only force a deployment of the app service", () => {
    const app = cap.one("aws:ecs/service:Service", "-app-service");
    const cluster = cap.one("aws:ecs/cluster:Cluster");
    expect(statements(cap)).toEqual([
      { Effect: "Allow", Action: ["ecs:UpdateService"], Resource: [serviceArn(cluster.outputs.arn as string, app.outputs.name as string)] },
    ]);
    expect(statements(cap)[0]!.Resource[0]).toBe("arn:aws:ecs:us-east-1:123456789012:service/ap-test/ap-test-app");
  });

  it("tells the function the app service of this cluster, and nothing of Kubernetes", () => {
    const app = cap.one("aws:ecs/service:Service", "-app-service");
    expect(env(cap)).toEqual({
      WATCHED_SECRET_ARN: databaseSecretArn(cap),
      RESTART_PLATFORM: "fargate",
      ECS_CLUSTER: cap.one("aws:ecs/cluster:Cluster").outputs.name,
      ECS_SERVICES: app.outputs.name,
    });
    expect(cap.ofType("aws:eks/accessEntry:AccessEntry")).toEqual([]);
  });
});

describe("rotation restart on EKS (examples/eks-prod.yaml)", () => {
  let cap: Capture;
  beforeAll(async () => {
    cap = await captureStack(plan(loadStackFile("examples/eks-prod.yaml")));
  });
  sharedWiring(() => cap);

  it("may only describe its cluster in IAM", () => {
    expect(statements(cap)).toEqual([{ Effect: "Allow", Action: ["eks:DescribeCluster"], Resource: [cap.one("aws:eks/cluster:Cluster").outputs.arn] }]);
  });

  it("gets edit rights in the app namespace only, through an access entry for its role", () => {
    const role = cap.one("aws:iam/role:Role", "-db-rotation-fn-role");
    const clusterName = cap.one("aws:eks/cluster:Cluster").outputs.name;
    expect(cap.one("aws:eks/accessEntry:AccessEntry", "-db-rotation-fn-access").inputs).toEqual({
      clusterName,
      principalArn: role.outputs.arn,
      type: "STANDARD",
      kubernetesGroups: ["activepieces-rotation-restart"],
    });
    expect(cap.one("aws:eks/accessPolicyAssociation:AccessPolicyAssociation", "-db-rotation-fn-edit").inputs).toEqual({
      clusterName,
      principalArn: role.outputs.arn,
      policyArn: EKS_EDIT_POLICY,
      accessScope: { type: "namespace", namespaces: [APP_NAMESPACE] },
    });
    expect(EKS_EDIT_POLICY).toBe("arn:aws:eks::aws:cluster-access-policy/AmazonEKSEditPolicy");
  });

  it("may get and patch exactly the app's ExternalSecret (a custom resource no access policy covers)", () => {
    const role = cap.one("kubernetes:rbac.authorization.k8s.io/v1:Role", "-db-rotation-refresh-role");
    expect(role.inputs).toMatchObject({
      metadata: { name: "activepieces-rotation-restart", namespace: APP_NAMESPACE },
      rules: [{ apiGroups: ["external-secrets.io"], resources: ["externalsecrets"], resourceNames: [APP_SECRET], verbs: ["get", "patch"] }],
    });
    expect(cap.one("kubernetes:rbac.authorization.k8s.io/v1:RoleBinding", "-db-rotation-refresh-binding").inputs).toMatchObject({
      metadata: { namespace: APP_NAMESPACE },
      roleRef: { kind: "Role", name: "activepieces-rotation-restart" },
      subjects: [{ kind: "Group", name: "activepieces-rotation-restart" }],
    });
  });

  it("reaches the private Kubernetes API: 443 on the cluster security group from the function's", () => {
    const clusterSg = (cap.one("aws:eks/cluster:Cluster").outputs.vpcConfig as { clusterSecurityGroupId: string }).clusterSecurityGroupId;
    expect(cap.one("aws:vpc/securityGroupIngressRule:SecurityGroupIngressRule", "-db-rotation-k8s-api-from-fn").inputs).toMatchObject({
      securityGroupId: clusterSg,
      referencedSecurityGroupId: cap.one("aws:ec2/securityGroup:SecurityGroup", "-db-rotation-fn-sg").id,
      ipProtocol: "tcp",
      fromPort: 443,
      toPort: 443,
    });
  });

  it("tells the function the app's ExternalSecret and Deployment in the app namespace", () => {
    expect(env(cap)).toEqual({
      WATCHED_SECRET_ARN: databaseSecretArn(cap),
      RESTART_PLATFORM: "eks",
      EKS_CLUSTER: cap.one("aws:eks/cluster:Cluster").outputs.name,
      K8S_NAMESPACE: APP_NAMESPACE,
      K8S_SYNC_OBJECTS: APP_SECRET,
      K8S_DEPLOYMENTS: APP_DEPLOYMENT,
    });
    expect(cap.one("kubernetes:apps/v1:Deployment", "-app").inputs.metadata).toMatchObject({ name: APP_DEPLOYMENT, namespace: APP_NAMESPACE });
    expect(cap.one("kubernetes:external-secrets.io/v1:ExternalSecret", `-${APP_SECRET}`).inputs.metadata).toMatchObject({ name: APP_SECRET });
  });
});
