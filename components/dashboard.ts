import { METRIC_BACKLOG, METRIC_BACKLOG_PER_WORKER, METRIC_DIMENSION } from "../functions/queue-metric/contract";

/**
 * The CloudWatch dashboard body, rendered from plain identifiers so it can be tested (and
 * snapshotted) without Pulumi. On Fargate, widgets follow the app-tier pattern (task counts against
 * their bounds, CPU against the scaling target, requests and 5xx); every platform gets the data tier.
 */
export interface EcsDashboardRefs {
  readonly clusterName: string;
  readonly appServiceName: string;
  readonly workerServiceName: string;
  readonly loadBalancerArnSuffix: string;
  readonly targetGroupArnSuffix: string;
  readonly appCpuTarget: number;
  readonly appMax: number;
  readonly workerMax: number;
  /** Namespace of the backlog metrics, when queue scaling is on. */
  readonly queueMetricNamespace?: string;
}

export interface DashboardRefs {
  readonly region: string;
  readonly dbInstanceIdentifier: string;
  /** Every member of the replication group, so the widgets still show the primary after a failover. */
  readonly redisMemberIds: readonly string[];
  /** The ECS services and load balancer, on Fargate. */
  readonly ecs?: EcsDashboardRefs;
}

type Metric = (string | Record<string, unknown>)[];
type Widget = { title: string; metrics: Metric[]; extra?: Record<string, unknown> };

function redisMembers(r: DashboardRefs): readonly string[] {
  const members = r.redisMemberIds;
  if (members.length === 0) throw new Error("dashboard: pass redisMemberIds (the replication group's member cluster ids)");
  return members;
}

export function dashboardBody(r: DashboardRefs): string {
  const e = r.ecs;
  const widgets: Widget[] = [];
  if (e) {
    const ecs = (ns: string, metric: string, service: string, stat = "Average"): Metric => [
      ns,
      metric,
      "ClusterName",
      e.clusterName,
      "ServiceName",
      service,
      { stat },
    ];
    widgets.push(
      {
        title: "Running tasks",
        metrics: [
          ecs("ECS/ContainerInsights", "RunningTaskCount", e.appServiceName, "Maximum"),
          ecs("ECS/ContainerInsights", "RunningTaskCount", e.workerServiceName, "Maximum"),
        ],
        extra: {
          annotations: {
            horizontal: [
              { label: "app max", value: e.appMax },
              { label: "worker max", value: e.workerMax },
            ],
          },
        },
      },
      {
        title: "CPU %",
        metrics: [ecs("AWS/ECS", "CPUUtilization", e.appServiceName), ecs("AWS/ECS", "CPUUtilization", e.workerServiceName)],
        extra: { annotations: { horizontal: [{ label: "app target", value: e.appCpuTarget }] } },
      },
      {
        title: "Requests and 5xx",
        metrics: [
          ["AWS/ApplicationELB", "RequestCount", "LoadBalancer", e.loadBalancerArnSuffix, { stat: "Sum" }],
          ["AWS/ApplicationELB", "HTTPCode_Target_5XX_Count", "LoadBalancer", e.loadBalancerArnSuffix, { stat: "Sum" }],
          ["AWS/ApplicationELB", "UnHealthyHostCount", "LoadBalancer", e.loadBalancerArnSuffix, "TargetGroup", e.targetGroupArnSuffix, { stat: "Maximum" }],
        ],
      },
    );
  }
  widgets.push(
    {
      title: "Database",
      metrics: [
        ["AWS/RDS", "CPUUtilization", "DBInstanceIdentifier", r.dbInstanceIdentifier],
        ["AWS/RDS", "DatabaseConnections", "DBInstanceIdentifier", r.dbInstanceIdentifier, { stat: "Maximum" }],
      ],
    },
    {
      title: "Redis",
      metrics: [
        ...redisMembers(r).map((id): Metric => ["AWS/ElastiCache", "DatabaseMemoryUsagePercentage", "CacheClusterId", id, { stat: "Maximum" }]),
        ...redisMembers(r).map((id): Metric => ["AWS/ElastiCache", "EngineCPUUtilization", "CacheClusterId", id]),
      ],
    },
  );
  if (e?.queueMetricNamespace) {
    widgets.push({
      title: "Queue backlog",
      metrics: [
        [e.queueMetricNamespace, METRIC_BACKLOG, METRIC_DIMENSION, e.workerServiceName, { stat: "Maximum" }],
        [e.queueMetricNamespace, METRIC_BACKLOG_PER_WORKER, METRIC_DIMENSION, e.workerServiceName],
      ],
    });
  }
  // Two 12-unit-wide widgets per row of the 24-unit grid.
  return JSON.stringify({
    widgets: widgets.map((w, i) => ({
      type: "metric",
      x: (i % 2) * 12,
      y: Math.floor(i / 2) * 6,
      width: 12,
      height: 6,
      properties: { title: w.title, metrics: w.metrics, view: "timeSeries", stat: "Average", period: 60, region: r.region, ...w.extra },
    })),
  });
}

/** Console link of a dashboard. */
export function dashboardUrl(region: string, dashboardName: string): string {
  return `https://${region}.console.aws.amazon.com/cloudwatch/home?region=${region}#dashboards:name=${dashboardName}`;
}
