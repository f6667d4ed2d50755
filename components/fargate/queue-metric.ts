import * as aws from "@pulumi/aws";
import * as pulumi from "@pulumi/pulumi";
import * as path from "node:path";
import { LAMBDA_RUNTIME } from "../../catalog/lambda-runtimes";
import { bundleHandler } from "../lambda-bundle";
import { QUEUE_METRIC_ENV, QUEUE_METRIC_SCHEDULE } from "../../functions/queue-metric/contract";

export const HANDLER_ENTRY = path.join(__dirname, "..", "..", "functions", "queue-metric", "handler.ts");

export interface QueueMetricArgs {
  readonly vpcId: pulumi.Input<string>;
  readonly subnetIds: pulumi.Input<string[]>;
  readonly redisHost: pulumi.Input<string>;
  readonly redisPort: pulumi.Input<number>;
  readonly redisAuthArn: pulumi.Input<string>;
  readonly clusterName: pulumi.Input<string>;
  readonly clusterArn: pulumi.Input<string>;
  readonly workerServiceName: pulumi.Input<string>;
  readonly metricNamespace: string;
  /** A Redis list whose length is the backlog (workload profiles); unset: ActivePieces' BullMQ keys. */
  readonly listKey?: string;
}

/**
 * A scheduled function that publishes the BullMQ backlog and backlog per running worker as
 * CloudWatch metrics, for target tracking on the worker service.
 */
export function createQueueMetricFunction(name: string, args: QueueMetricArgs, parent: pulumi.Resource) {
  const securityGroup = new aws.ec2.SecurityGroup(
    `${name}-fn-sg`,
    {
      vpcId: args.vpcId,
      description: "queue metric function: egress only (Redis, AWS APIs)",
      egress: [
        { protocol: "tcp", fromPort: 443, toPort: 443, cidrBlocks: ["0.0.0.0/0"], description: "AWS APIs" },
        { protocol: "tcp", fromPort: 6379, toPort: 6379, cidrBlocks: ["0.0.0.0/0"], description: "Redis" },
      ],
    },
    { parent },
  );
  const role = new aws.iam.Role(
    `${name}-fn-role`,
    {
      assumeRolePolicy: JSON.stringify({
        Version: "2012-10-17",
        Statement: [{ Effect: "Allow", Principal: { Service: "lambda.amazonaws.com" }, Action: "sts:AssumeRole" }],
      }),
    },
    { parent },
  );
  new aws.iam.RolePolicyAttachment(
    `${name}-fn-vpc`,
    {
      role: role.name,
      policyArn: "arn:aws:iam::aws:policy/service-role/AWSLambdaVPCAccessExecutionRole",
    },
    { parent },
  );
  new aws.iam.RolePolicy(
    `${name}-fn-policy`,
    {
      role: role.name,
      policy: pulumi.all([args.redisAuthArn, args.clusterArn, args.workerServiceName]).apply(([secretArn, clusterArn, service]) =>
        JSON.stringify({
          Version: "2012-10-17",
          Statement: [
            { Effect: "Allow", Action: ["secretsmanager:GetSecretValue"], Resource: [secretArn] },
            { Effect: "Allow", Action: ["ecs:DescribeServices"], Resource: [`${clusterArn.replace(":cluster/", ":service/")}/${service}`] },
            {
              Effect: "Allow",
              Action: ["cloudwatch:PutMetricData"],
              Resource: ["*"],
              Condition: { StringEquals: { "cloudwatch:namespace": args.metricNamespace } },
            },
          ],
        }),
      ),
    },
    { parent },
  );

  const fn = new aws.lambda.Function(
    `${name}-fn`,
    {
      // The program's one Lambda runtime (catalog/lambda-runtimes.ts): plan() refuses every stack
      // once the catalogue says AWS blocks it.
      runtime: LAMBDA_RUNTIME,
      architectures: ["arm64"],
      handler: "index.handler",
      role: role.arn,
      memorySize: 128,
      timeout: 20,
      code: new pulumi.asset.AssetArchive({ "index.js": new pulumi.asset.StringAsset(bundleHandler(HANDLER_ENTRY)) }),
      vpcConfig: { subnetIds: args.subnetIds, securityGroupIds: [securityGroup.id] },
      environment: {
        variables: {
          [QUEUE_METRIC_ENV.redisHost]: args.redisHost,
          [QUEUE_METRIC_ENV.redisPort]: pulumi.output(args.redisPort).apply(String),
          [QUEUE_METRIC_ENV.redisTls]: "true",
          [QUEUE_METRIC_ENV.redisAuthSecretArn]: args.redisAuthArn,
          [QUEUE_METRIC_ENV.ecsCluster]: args.clusterName,
          [QUEUE_METRIC_ENV.ecsService]: args.workerServiceName,
          [QUEUE_METRIC_ENV.metricNamespace]: args.metricNamespace,
          ...(args.listKey !== undefined ? { [QUEUE_METRIC_ENV.listKey]: args.listKey } : {}),
        },
      },
    },
    { parent },
  );
  // A failed read publishes nothing so target tracking holds; a retry a few seconds later adds
  // nothing the next scheduled run would not, so do not retry.
  new aws.lambda.FunctionEventInvokeConfig(
    `${name}-fn-invoke-config`,
    {
      functionName: fn.name,
      maximumRetryAttempts: 0,
      maximumEventAgeInSeconds: 60,
    },
    { parent },
  );
  // Created before the schedule can invoke the function, which would otherwise create the group
  // itself (without retention) and make this resource fail with "already exists".
  const logGroup = new aws.cloudwatch.LogGroup(
    `${name}-fn-logs`,
    {
      name: pulumi.interpolate`/aws/lambda/${fn.name}`,
      retentionInDays: 30,
    },
    { parent, deleteBeforeReplace: true },
  ); // fixed name: a replacement must free it first
  const rule = new aws.cloudwatch.EventRule(`${name}-fn-schedule`, { scheduleExpression: QUEUE_METRIC_SCHEDULE }, { parent });
  new aws.cloudwatch.EventTarget(`${name}-fn-target`, { rule: rule.name, arn: fn.arn }, { parent, dependsOn: [logGroup] });
  new aws.lambda.Permission(
    `${name}-fn-invoke`,
    {
      action: "lambda:InvokeFunction",
      function: fn.name,
      principal: "events.amazonaws.com",
      sourceArn: rule.arn,
    },
    { parent },
  );
  return { fn, securityGroup, role };
}
