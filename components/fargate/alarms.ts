import * as aws from "@pulumi/aws";
import * as pulumi from "@pulumi/pulumi";
import type { AlarmSpec } from "../../sizing/alarms";

/** Identifiers the alarms' dimensions need. */
export interface AlarmTargets {
  readonly clusterName: pulumi.Input<string>;
  readonly appServiceName: pulumi.Input<string>;
  readonly workerServiceName: pulumi.Input<string>;
  readonly loadBalancerArnSuffix: pulumi.Input<string>;
  readonly targetGroupArnSuffix: pulumi.Input<string>;
  readonly dbInstanceIdentifier: pulumi.Input<string>;
  /** ElastiCache node id of the primary (`<group>-001`). */
  readonly redisNodeId: pulumi.Input<string>;
}

type Dimensions = Record<string, pulumi.Input<string>>;

/** CloudWatch namespace and dimensions for an alarm subject (ECS task counts come from Container Insights). */
export function metricSource(spec: AlarmSpec, t: AlarmTargets): { namespace: string; dimensions: Dimensions } {
  switch (spec.subject) {
    case "appService":
    case "workerService": {
      const serviceName = spec.subject === "appService" ? t.appServiceName : t.workerServiceName;
      const namespace = spec.metric === "RunningTaskCount" ? "ECS/ContainerInsights" : "AWS/ECS";
      return { namespace, dimensions: { ClusterName: t.clusterName, ServiceName: serviceName } };
    }
    case "loadBalancer":
      return { namespace: "AWS/ApplicationELB", dimensions: { LoadBalancer: t.loadBalancerArnSuffix } };
    case "targetGroup":
      return { namespace: "AWS/ApplicationELB", dimensions: { LoadBalancer: t.loadBalancerArnSuffix, TargetGroup: t.targetGroupArnSuffix } };
    case "database":
      return { namespace: "AWS/RDS", dimensions: { DBInstanceIdentifier: t.dbInstanceIdentifier } };
    case "redis":
      return { namespace: "AWS/ElastiCache", dimensions: { CacheClusterId: t.redisNodeId } };
    case "queue":
      throw new Error(`alarm ${spec.id}: queue alarms are created with the queue metric function`);
  }
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
