import * as aws from "@pulumi/aws";
import * as pulumi from "@pulumi/pulumi";
import type { AlarmSpec } from "../sizing/alarms";

/** Identifiers of the ECS services and load balancer the Fargate alarms watch. */
export interface EcsAlarmTargets {
  readonly clusterName: pulumi.Input<string>;
  readonly appServiceName: pulumi.Input<string>;
  readonly workerServiceName: pulumi.Input<string>;
  readonly loadBalancerArnSuffix: pulumi.Input<string>;
  readonly targetGroupArnSuffix: pulumi.Input<string>;
}

/** Identifiers the alarms' dimensions need; the ECS ones only on Fargate. */
export interface AlarmTargets {
  readonly ecs?: EcsAlarmTargets;
  readonly dbInstanceIdentifier: pulumi.Input<string>;
  /**
   * Cache cluster ids of every member of the replication group (Queue.memberClusterIds): Redis
   * alarms watch the worst member, so a failover (a new primary) changes nothing.
   */
  readonly redisMemberIds: pulumi.Input<readonly string[]>;
}

type Dimensions = Record<string, pulumi.Input<string>>;

function ecsTargets(spec: AlarmSpec, t: AlarmTargets): EcsAlarmTargets {
  if (!t.ecs) throw new Error(`alarm ${spec.id} watches ECS or the ALB, but this platform has no ECS targets`);
  return t.ecs;
}

/** CloudWatch namespace and dimensions for an alarm subject (ECS task counts come from Container Insights). */
export function metricSource(spec: AlarmSpec, t: AlarmTargets): { namespace: string; dimensions: Dimensions } {
  switch (spec.subject) {
    case "appService":
    case "workerService": {
      const ecs = ecsTargets(spec, t);
      const serviceName = spec.subject === "appService" ? ecs.appServiceName : ecs.workerServiceName;
      const namespace = spec.metric === "RunningTaskCount" ? "ECS/ContainerInsights" : "AWS/ECS";
      return { namespace, dimensions: { ClusterName: ecs.clusterName, ServiceName: serviceName } };
    }
    case "loadBalancer":
      return { namespace: "AWS/ApplicationELB", dimensions: { LoadBalancer: ecsTargets(spec, t).loadBalancerArnSuffix } };
    case "targetGroup": {
      const ecs = ecsTargets(spec, t);
      return { namespace: "AWS/ApplicationELB", dimensions: { LoadBalancer: ecs.loadBalancerArnSuffix, TargetGroup: ecs.targetGroupArnSuffix } };
    }
    case "database":
      return { namespace: "AWS/RDS", dimensions: { DBInstanceIdentifier: t.dbInstanceIdentifier } };
    case "redis":
      throw new Error(`alarm ${spec.id}: Redis alarms are metric-math alarms over every member (redisMemberQueries)`);
    case "queue":
      throw new Error(`alarm ${spec.id}: queue alarms are created with the queue metric function`);
  }
}

/** One metric query of a metric-math alarm (the shape of MetricAlarm `metricQueries`). */
export interface MetricQuery {
  readonly id: string;
  readonly expression?: string;
  readonly label?: string;
  readonly returnData: boolean;
  readonly metric?: {
    readonly namespace: string;
    readonly metricName: string;
    readonly dimensions: Record<string, string>;
    readonly period: number;
    readonly stat: string;
  };
}

/**
 * A Redis spec over every member: one query per member and the worst of them (MAX for a "high"
 * alarm, MIN for a "low" one), so the alarm follows whichever member is the primary.
 */
export function redisMemberQueries(spec: AlarmSpec, memberIds: readonly string[]): MetricQuery[] {
  if (memberIds.length === 0) throw new Error(`alarm ${spec.id}: the replication group reports no member clusters`);
  const ids = memberIds.map((_, i) => `m${i}`);
  const worst = spec.comparison === "LessThanThreshold" ? "MIN" : "MAX";
  return [
    ...memberIds.map((member, i) => ({
      id: ids[i]!,
      returnData: false,
      metric: {
        namespace: "AWS/ElastiCache",
        metricName: spec.metric,
        dimensions: { CacheClusterId: member },
        period: spec.periodSeconds,
        stat: spec.statistic,
      },
    })),
    { id: "worst", expression: `${worst}([${ids.join(", ")}])`, label: `${spec.metric} (${worst === "MAX" ? "highest" : "lowest"} member)`, returnData: true },
  ];
}

/**
 * Key policy of the alarm topic's key: the account administers it (so IAM policies govern its
 * use, and nobody is locked out), and CloudWatch may use it to publish alarms from this account
 * only. The AWS-managed `alias/aws/sns` key cannot be used: its policy cannot grant CloudWatch.
 * https://docs.aws.amazon.com/sns/latest/dg/sns-key-management.html#compatibility-with-aws-services
 */
export function alarmTopicKeyPolicy(partition: string, accountId: string): string {
  return JSON.stringify({
    Version: "2012-10-17",
    Statement: [
      { Sid: "AccountAdministersKey", Effect: "Allow", Principal: { AWS: `arn:${partition}:iam::${accountId}:root` }, Action: "kms:*", Resource: "*" },
      {
        Sid: "CloudWatchAlarmsPublish",
        Effect: "Allow",
        Principal: { Service: "cloudwatch.amazonaws.com" },
        Action: ["kms:Decrypt", "kms:GenerateDataKey*"],
        Resource: "*",
        Condition: { StringEquals: { "aws:SourceAccount": accountId } },
      },
    ],
  });
}

/**
 * One CloudWatch alarm per spec, all notifying one SNS topic that operators subscribe to. The
 * topic is encrypted with its own customer-managed key (rotated yearly), which CloudWatch may use.
 */
export function createAlarms(name: string, specs: readonly AlarmSpec[], targets: AlarmTargets, parent: pulumi.Resource) {
  const identity = aws.getCallerIdentityOutput({}, { parent });
  const partition = aws.getPartitionOutput({}, { parent }).partition;
  const key = new aws.kms.Key(
    `${name}-alarms-key`,
    {
      description: `${name}: encrypts the alarm SNS topic; CloudWatch may use it to publish alarms`,
      enableKeyRotation: true,
      deletionWindowInDays: 30,
      policy: pulumi.all([partition, identity.accountId]).apply(([p, account]) => alarmTopicKeyPolicy(p, account)),
    },
    { parent },
  );
  // Fixed name (alias names are unique per account and region): a replacement frees it first.
  new aws.kms.Alias(`${name}-alarms-key-alias`, { name: `alias/${name}-alarms`, targetKeyId: key.keyId }, { parent, deleteBeforeReplace: true });
  const topic = new aws.sns.Topic(`${name}-alarms`, { kmsMasterKeyId: key.arn }, { parent });
  const common = (spec: AlarmSpec) => ({
    alarmDescription: spec.description,
    comparisonOperator: spec.comparison,
    threshold: spec.threshold,
    evaluationPeriods: spec.evaluationPeriods,
    treatMissingData: "notBreaching",
    alarmActions: [topic.arn],
    okActions: [topic.arn],
  });
  const alarms = specs.map((spec) => {
    if (spec.subject === "redis") {
      return new aws.cloudwatch.MetricAlarm(
        `${name}-${spec.id}`,
        {
          ...common(spec),
          metricQueries: pulumi.output(targets.redisMemberIds).apply((ids) => redisMemberQueries(spec, ids)),
        },
        { parent },
      );
    }
    const source = metricSource(spec, targets);
    return new aws.cloudwatch.MetricAlarm(
      `${name}-${spec.id}`,
      {
        ...common(spec),
        namespace: source.namespace,
        metricName: spec.metric,
        dimensions: source.dimensions,
        statistic: spec.statistic,
        period: spec.periodSeconds,
      },
      { parent },
    );
  });
  return { topic, key, alarms };
}
