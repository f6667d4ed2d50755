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
  /** ElastiCache node id of the primary (`<group>-001`). */
  readonly redisNodeId: pulumi.Input<string>;
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
      return { namespace: "AWS/ElastiCache", dimensions: { CacheClusterId: t.redisNodeId } };
    case "queue":
      throw new Error(`alarm ${spec.id}: queue alarms are created with the queue metric function`);
  }
}

/**
 * The node the Redis alarms watch: the first member of the replication group, which is the
 * primary at creation (ElastiCache names members `<group>-001`, `-002`, ...).
 */
export function redisAlarmNodeId(replicationGroupId: pulumi.Input<string>): pulumi.Output<string> {
  return pulumi.interpolate`${replicationGroupId}-001`;
}

/** One CloudWatch alarm per spec, all notifying one SNS topic that operators subscribe to. */
export function createAlarms(name: string, specs: readonly AlarmSpec[], targets: AlarmTargets, parent: pulumi.Resource) {
  const topic = new aws.sns.Topic(`${name}-alarms`, { kmsMasterKeyId: "alias/aws/sns" }, { parent });
  const alarms = specs.map((spec) => {
    const source = metricSource(spec, targets);
    return new aws.cloudwatch.MetricAlarm(`${name}-${spec.id}`, {
      alarmDescription: spec.description,
      namespace: source.namespace,
      metricName: spec.metric,
      dimensions: source.dimensions,
      statistic: spec.statistic,
      comparisonOperator: spec.comparison,
      threshold: spec.threshold,
      period: spec.periodSeconds,
      evaluationPeriods: spec.evaluationPeriods,
      treatMissingData: "notBreaching",
      alarmActions: [topic.arn],
      okActions: [topic.arn],
    }, { parent });
  });
  return { topic, alarms };
}
