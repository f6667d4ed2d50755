import * as aws from "@pulumi/aws";
import * as pulumi from "@pulumi/pulumi";
import { databaseAlarmSpecs, redisAlarmSpecs } from "../../sizing/alarms";
import type { ProfileRolePlan, WorkloadPlan } from "../../sizing/profile-types";
import { createAlarms } from "../alarms";
import { dashboardUrl } from "../dashboard";

export interface ProfileServiceRef {
  readonly role: ProfileRolePlan;
  readonly serviceName: pulumi.Input<string>;
  /** Public roles: the target group behind the load balancer. */
  readonly targetGroupArnSuffix?: pulumi.Input<string>;
}

export interface ProfileObservabilityArgs {
  readonly plan: WorkloadPlan;
  readonly clusterName: pulumi.Input<string>;
  readonly services: readonly ProfileServiceRef[];
  readonly loadBalancerArnSuffix?: pulumi.Input<string>;
  readonly dbInstanceIdentifier?: pulumi.Input<string>;
  readonly redisMemberIds?: pulumi.Input<string[]>;
}

/** Per-role alarm thresholds: the ActivePieces app tier's (sizing/alarms.ts). */
const CPU_HIGH_PERCENT = 85;
const TARGET_5XX_PER_MINUTE = 10;

/**
 * Alarms and a dashboard for a profile on Fargate. The data tier's alarms are sizing/alarms.ts's
 * (through components/alarms.ts, which also makes the encrypted SNS topic); the service alarms are
 * one set per role, since the ActivePieces specs name exactly two services: CPU high, at the
 * scaling maximum (autoscaled roles), unhealthy targets (public roles), and target 5xx on the ALB.
 */
export function createProfileObservability(name: string, args: ProfileObservabilityArgs, parent: pulumi.Resource) {
  const { plan } = args;
  const specs = [
    ...(plan.data.postgres && args.dbInstanceIdentifier ? databaseAlarmSpecs(plan.data.postgres) : []),
    ...(args.redisMemberIds ? redisAlarmSpecs() : []),
  ];
  const { topic } = createAlarms(name, specs, { dbInstanceIdentifier: args.dbInstanceIdentifier ?? "", redisMemberIds: args.redisMemberIds ?? [] }, parent);
  const notify = { treatMissingData: "notBreaching", alarmActions: [topic.arn], okActions: [topic.arn] };

  for (const s of args.services) {
    const r = s.role;
    const ecs = { ClusterName: args.clusterName, ServiceName: s.serviceName };
    new aws.cloudwatch.MetricAlarm(
      `${name}-${r.name}-cpu-high`,
      {
        ...notify,
        alarmDescription: `${r.name} CPU above ${CPU_HIGH_PERCENT}% for 15 minutes`,
        namespace: "AWS/ECS",
        metricName: "CPUUtilization",
        dimensions: ecs,
        statistic: "Average",
        comparisonOperator: "GreaterThanThreshold",
        threshold: CPU_HIGH_PERCENT,
        period: 300,
        evaluationPeriods: 3,
      },
      { parent },
    );
    if (r.scaling.mode !== "static") {
      new aws.cloudwatch.MetricAlarm(
        `${name}-${r.name}-at-max-capacity`,
        {
          ...notify,
          alarmDescription: `${r.name} tasks at the scaling maximum (${r.max}) for 15 minutes`,
          namespace: "ECS/ContainerInsights",
          metricName: "RunningTaskCount",
          dimensions: ecs,
          statistic: "Minimum",
          comparisonOperator: "GreaterThanOrEqualToThreshold",
          threshold: r.max,
          period: 300,
          evaluationPeriods: 3,
        },
        { parent },
      );
    }
    if (s.targetGroupArnSuffix && args.loadBalancerArnSuffix) {
      new aws.cloudwatch.MetricAlarm(
        `${name}-${r.name}-unhealthy-hosts`,
        {
          ...notify,
          alarmDescription: `a ${r.name} target failed its ${r.health.path} check for 3 minutes`,
          namespace: "AWS/ApplicationELB",
          metricName: "UnHealthyHostCount",
          dimensions: { LoadBalancer: args.loadBalancerArnSuffix, TargetGroup: s.targetGroupArnSuffix },
          statistic: "Maximum",
          comparisonOperator: "GreaterThanThreshold",
          threshold: 0,
          period: 60,
          evaluationPeriods: 3,
        },
        { parent },
      );
    }
  }
  if (args.loadBalancerArnSuffix) {
    new aws.cloudwatch.MetricAlarm(
      `${name}-5xx`,
      {
        ...notify,
        alarmDescription: `more than ${TARGET_5XX_PER_MINUTE} target 5xx responses a minute for 5 minutes`,
        namespace: "AWS/ApplicationELB",
        metricName: "HTTPCode_Target_5XX_Count",
        dimensions: { LoadBalancer: args.loadBalancerArnSuffix },
        statistic: "Sum",
        comparisonOperator: "GreaterThanThreshold",
        threshold: TARGET_5XX_PER_MINUTE,
        period: 60,
        evaluationPeriods: 5,
      },
      { parent },
    );
  }

  const dashboardName = `${name}-${plan.profile}`;
  new aws.cloudwatch.Dashboard(
    `${name}-dashboard`,
    {
      dashboardName,
      dashboardBody: pulumi
        .all([
          args.clusterName,
          pulumi.all(args.services.map((s) => s.serviceName)),
          args.loadBalancerArnSuffix ?? "",
          args.dbInstanceIdentifier ?? "",
          args.redisMemberIds ?? [],
        ])
        .apply(([cluster, services, lb, db, redis]) =>
          profileDashboardBody({
            region: plan.region,
            clusterName: cluster,
            services: services.map((s, i) => ({ role: args.services[i]!.role.name, serviceName: s })),
            loadBalancerArnSuffix: lb,
            dbInstanceIdentifier: db,
            redisMemberIds: redis,
          }),
        ),
    },
    { parent },
  );
  return { alarmTopicArn: topic.arn, dashboardUrl: pulumi.output(dashboardUrl(plan.region, dashboardName)) };
}

/** The dashboard body from plain identifiers (empty strings / lists leave a widget out). */
export function profileDashboardBody(r: {
  region: string;
  clusterName: string;
  services: readonly { role: string; serviceName: string }[];
  loadBalancerArnSuffix: string;
  dbInstanceIdentifier: string;
  redisMemberIds: readonly string[];
}): string {
  type Metric = (string | Record<string, unknown>)[];
  const ecs = (ns: string, metric: string, service: string, stat: string): Metric => [
    ns,
    metric,
    "ClusterName",
    r.clusterName,
    "ServiceName",
    service,
    { stat },
  ];
  const widgets: { title: string; metrics: Metric[] }[] = [
    { title: "Running tasks", metrics: r.services.map((s) => ecs("ECS/ContainerInsights", "RunningTaskCount", s.serviceName, "Maximum")) },
    { title: "CPU %", metrics: r.services.map((s) => ecs("AWS/ECS", "CPUUtilization", s.serviceName, "Average")) },
  ];
  if (r.loadBalancerArnSuffix) {
    widgets.push({
      title: "Requests and 5xx",
      metrics: [
        ["AWS/ApplicationELB", "RequestCount", "LoadBalancer", r.loadBalancerArnSuffix, { stat: "Sum" }],
        ["AWS/ApplicationELB", "HTTPCode_Target_5XX_Count", "LoadBalancer", r.loadBalancerArnSuffix, { stat: "Sum" }],
      ],
    });
  }
  if (r.dbInstanceIdentifier) {
    widgets.push({ title: "Database", metrics: [["AWS/RDS", "CPUUtilization", "DBInstanceIdentifier", r.dbInstanceIdentifier]] });
  }
  if (r.redisMemberIds.length > 0) {
    widgets.push({
      title: "Redis",
      metrics: r.redisMemberIds.map((id): Metric => ["AWS/ElastiCache", "DatabaseMemoryUsagePercentage", "CacheClusterId", id, { stat: "Maximum" }]),
    });
  }
  return JSON.stringify({
    widgets: widgets.map((w, i) => ({
      type: "metric",
      x: (i % 2) * 12,
      y: Math.floor(i / 2) * 6,
      width: 12,
      height: 6,
      properties: { title: w.title, metrics: w.metrics, view: "timeSeries", stat: "Average", period: 60, region: r.region },
    })),
  });
}
