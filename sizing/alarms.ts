import type { DatabasePlan, Plan } from "./types";

/**
 * The alarms a deployment gets, as data: the Fargate and EKS components create them and the
 * cost model counts them. Thresholds follow the app-tier scaling pattern (alert when scaling has
 * run out of room, on sustained CPU despite scaling, on unhealthy targets and 5xx) plus the data tier.
 */
export interface AlarmSpec {
  /** Short id, unique within a stack. */
  readonly id: string;
  readonly description: string;
  /** What the alarm watches; the component maps it to a CloudWatch namespace/metric/dimensions. */
  readonly subject: "appService" | "workerService" | "loadBalancer" | "targetGroup" | "database" | "redis" | "queue";
  readonly metric: string;
  readonly statistic: "Average" | "Maximum" | "Minimum" | "Sum";
  readonly comparison: "GreaterThanOrEqualToThreshold" | "GreaterThanThreshold" | "LessThanThreshold";
  readonly threshold: number;
  readonly periodSeconds: number;
  readonly evaluationPeriods: number;
}

const GiB = 1024 ** 3;

/** The managed data tier's alarms, the same on every platform. */
export function dataTierAlarmSpecs(plan: Pick<Plan, "database">): AlarmSpec[] {
  return [...databaseAlarmSpecs(plan.database), ...redisAlarmSpecs()];
}

/** The PostgreSQL instance's alarms (a workload profile has them only when it asks for PostgreSQL). */
export function databaseAlarmSpecs(database: DatabasePlan): AlarmSpec[] {
  return [
    {
      id: "db-cpu-high",
      description: "database CPU above 80% for 15 minutes",
      subject: "database",
      metric: "CPUUtilization",
      statistic: "Average",
      comparison: "GreaterThanThreshold",
      threshold: 80,
      periodSeconds: 300,
      evaluationPeriods: 3,
    },
    {
      id: "db-storage-low",
      description: "database free storage below 10% of the allocated storage",
      subject: "database",
      metric: "FreeStorageSpace",
      statistic: "Minimum",
      comparison: "LessThanThreshold",
      threshold: Math.round(database.allocatedStorageGb * 0.1 * GiB),
      periodSeconds: 300,
      evaluationPeriods: 2,
    },
    {
      id: "db-connections-high",
      description: `database connections above the pool budget (${database.poolBudget} of max_connections ${database.maxConnections})`,
      subject: "database",
      metric: "DatabaseConnections",
      statistic: "Maximum",
      comparison: "GreaterThanThreshold",
      threshold: database.poolBudget,
      periodSeconds: 300,
      evaluationPeriods: 2,
    },
  ];
}

/** The Redis replication group's alarms. */
export function redisAlarmSpecs(): AlarmSpec[] {
  return [
    {
      id: "redis-memory-high",
      description: "Redis memory above 80%: with noeviction, a full Redis rejects new jobs",
      subject: "redis",
      metric: "DatabaseMemoryUsagePercentage",
      statistic: "Maximum",
      comparison: "GreaterThanThreshold",
      threshold: 80,
      periodSeconds: 300,
      evaluationPeriods: 2,
    },
  ];
}

/**
 * Alarms of a deployment on a platform (default: the plan's). On EKS, CloudWatch watches the
 * managed data tier; pods and nodes are watched through Kubernetes (HPA, KEDA, PDBs).
 */
export function alarmSpecs(plan: Plan, platform: Plan["platform"] = plan.platform): AlarmSpec[] {
  if (platform === "eks") return dataTierAlarmSpecs(plan);
  const alarms: AlarmSpec[] = [
    {
      id: "app-at-max-capacity",
      description: `app tasks at the autoscaling maximum (${plan.app.max}) for 15 minutes: raise app.max`,
      subject: "appService",
      metric: "RunningTaskCount",
      statistic: "Minimum",
      comparison: "GreaterThanOrEqualToThreshold",
      threshold: plan.app.max,
      periodSeconds: 300,
      evaluationPeriods: 3,
    },
    {
      id: "app-cpu-high",
      description: `app CPU above 85% for 15 minutes despite scaling (target ${plan.appScaling.cpuTarget}%)`,
      subject: "appService",
      metric: "CPUUtilization",
      statistic: "Average",
      comparison: "GreaterThanThreshold",
      threshold: 85,
      periodSeconds: 300,
      evaluationPeriods: 3,
    },
    {
      id: "worker-cpu-high",
      description: "worker CPU above 90% for 15 minutes: flows are CPU-starved",
      subject: "workerService",
      metric: "CPUUtilization",
      statistic: "Average",
      comparison: "GreaterThanThreshold",
      threshold: 90,
      periodSeconds: 300,
      evaluationPeriods: 3,
    },
    {
      id: "app-unhealthy-hosts",
      description: "an app target failed its /api/v1/health check for 3 minutes",
      subject: "targetGroup",
      metric: "UnHealthyHostCount",
      statistic: "Maximum",
      comparison: "GreaterThanThreshold",
      threshold: 0,
      periodSeconds: 60,
      evaluationPeriods: 3,
    },
    {
      id: "app-5xx",
      description: "more than 10 target 5xx responses a minute for 5 minutes",
      subject: "loadBalancer",
      metric: "HTTPCode_Target_5XX_Count",
      statistic: "Sum",
      comparison: "GreaterThanThreshold",
      threshold: 10,
      periodSeconds: 60,
      evaluationPeriods: 5,
    },
  ];
  if (plan.workerScaling.mode === "queue") {
    alarms.push({
      id: "worker-at-max-capacity",
      description: `worker tasks at the autoscaling maximum (${plan.worker.max}) for 15 minutes with a backlog: raise worker.scaling.max`,
      subject: "workerService",
      metric: "RunningTaskCount",
      statistic: "Minimum",
      comparison: "GreaterThanOrEqualToThreshold",
      threshold: plan.worker.max,
      periodSeconds: 300,
      evaluationPeriods: 3,
    });
  } else {
    alarms.push({
      id: "worker-below-peak",
      description: `fewer worker tasks running than the ${plan.worker.desired} sized for peak (Spot capacity shortage) for 10 minutes`,
      subject: "workerService",
      metric: "RunningTaskCount",
      statistic: "Maximum",
      comparison: "LessThanThreshold",
      threshold: plan.worker.desired,
      periodSeconds: 300,
      evaluationPeriods: 2,
    });
  }
  return [...alarms, ...dataTierAlarmSpecs(plan)];
}

/**
 * Alarm metrics CloudWatch bills for the deployment's alarms (0.10 USD per alarm metric): one per
 * alarm, except that a metric-math alarm is billed for each metric it reads, so the Redis alarms,
 * which take the worst of every replication-group member, count once per member.
 * https://aws.amazon.com/cloudwatch/pricing/
 */
export function alarmMetricCount(plan: Plan, platform: Plan["platform"] = plan.platform): number {
  const members = 1 + plan.redis.replicas;
  return alarmSpecs(plan, platform).reduce((n, s) => n + (s.subject === "redis" ? members : 1), 0);
}
