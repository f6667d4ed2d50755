import { METRIC_BACKLOG, METRIC_BACKLOG_PER_WORKER, METRIC_DIMENSION } from "../../functions/queue-metric/contract";

/**
 * The CloudWatch dashboard body, rendered from plain identifiers so it can be tested (and
 * snapshotted) without Pulumi. Widgets follow the app-tier pattern: task counts against their
 * bounds, CPU against the scaling target, requests and 5xx, and the data tier.
 */
export interface DashboardRefs {
  readonly region: string;
  readonly clusterName: string;
  readonly appServiceName: string;
  readonly workerServiceName: string;
  readonly loadBalancerArnSuffix: string;
  readonly targetGroupArnSuffix: string;
  readonly dbInstanceIdentifier: string;
  readonly redisNodeId: string;
  readonly appCpuTarget: number;
  readonly appMax: number;
  readonly workerMax: number;
  /** Namespace of the backlog metrics, when queue scaling is on. */
  readonly queueMetricNamespace?: string;
}


type Metric = (string | Record<string, unknown>)[];

function widget(title: string, metrics: Metric[], x: number, y: number, extra: Record<string, unknown> = {}) {
  return { type: "metric", x, y, width: 12, height: 6, properties: { title, metrics, view: "timeSeries", stat: "Average", period: 60, ...extra } };
}

export function dashboardBody(r: DashboardRefs): string {
  const ecs = (ns: string, metric: string, service: string, stat = "Average"): Metric =>
    [ns, metric, "ClusterName", r.clusterName, "ServiceName", service, { stat }];
  const widgets = [
    widget("Running tasks", [
      ecs("ECS/ContainerInsights", "RunningTaskCount", r.appServiceName, "Maximum"),
      ecs("ECS/ContainerInsights", "RunningTaskCount", r.workerServiceName, "Maximum"),
    ], 0, 0, { region: r.region, annotations: { horizontal: [{ label: "app max", value: r.appMax }, { label: "worker max", value: r.workerMax }] } }),
    widget("CPU %", [
      ecs("AWS/ECS", "CPUUtilization", r.appServiceName),
      ecs("AWS/ECS", "CPUUtilization", r.workerServiceName),
    ], 12, 0, { region: r.region, annotations: { horizontal: [{ label: "app target", value: r.appCpuTarget }] } }),
    widget("Requests and 5xx", [
      ["AWS/ApplicationELB", "RequestCount", "LoadBalancer", r.loadBalancerArnSuffix, { stat: "Sum" }],
      ["AWS/ApplicationELB", "HTTPCode_Target_5XX_Count", "LoadBalancer", r.loadBalancerArnSuffix, { stat: "Sum" }],
      ["AWS/ApplicationELB", "UnHealthyHostCount", "LoadBalancer", r.loadBalancerArnSuffix, "TargetGroup", r.targetGroupArnSuffix, { stat: "Maximum" }],
    ], 0, 6, { region: r.region }),
    widget("Database", [
      ["AWS/RDS", "CPUUtilization", "DBInstanceIdentifier", r.dbInstanceIdentifier],
      ["AWS/RDS", "DatabaseConnections", "DBInstanceIdentifier", r.dbInstanceIdentifier, { stat: "Maximum" }],
    ], 12, 6, { region: r.region }),
    widget("Redis", [
      ["AWS/ElastiCache", "DatabaseMemoryUsagePercentage", "CacheClusterId", r.redisNodeId, { stat: "Maximum" }],
      ["AWS/ElastiCache", "EngineCPUUtilization", "CacheClusterId", r.redisNodeId],
    ], 0, 12, { region: r.region }),
  ];
  if (r.queueMetricNamespace) {
    widgets.push(widget("Queue backlog", [
      [r.queueMetricNamespace, METRIC_BACKLOG, METRIC_DIMENSION, r.workerServiceName, { stat: "Maximum" }],
      [r.queueMetricNamespace, METRIC_BACKLOG_PER_WORKER, METRIC_DIMENSION, r.workerServiceName],
    ], 12, 12, { region: r.region }));
  }
  return JSON.stringify({ widgets });
}
