import * as aws from "@pulumi/aws";
import * as pulumi from "@pulumi/pulumi";
import type { AppScalingPlan, RolePlan, WorkerScalingPlan } from "../../sizing/types";
import { METRIC_BACKLOG_PER_WORKER, METRIC_DIMENSION } from "../../functions/queue-metric/contract";

/** What scaling reads of a role: its bounds (an ActivePieces RolePlan or a profile role). */
export type ScalingBounds = Pick<RolePlan, "min" | "max">;

export interface AppScalingArgs {
  readonly role: ScalingBounds;
  readonly scaling: AppScalingPlan;
  readonly clusterName: pulumi.Input<string>;
  readonly serviceName: pulumi.Input<string>;
  /** `<lb arnSuffix>/<target group arnSuffix>`, the ALBRequestCountPerTarget resource label. */
  readonly requestCountLabel: pulumi.Input<string>;
}

function scalableTarget(name: string, role: ScalingBounds, clusterName: pulumi.Input<string>, serviceName: pulumi.Input<string>, parent: pulumi.Resource) {
  return new aws.appautoscaling.Target(
    `${name}-target`,
    {
      serviceNamespace: "ecs",
      scalableDimension: "ecs:service:DesiredCount",
      resourceId: pulumi.interpolate`service/${clusterName}/${serviceName}`,
      minCapacity: role.min,
      maxCapacity: role.max,
    },
    { parent },
  );
}

/**
 * App scaling: target tracking on CPU AND on ALB requests per target. Application Auto Scaling
 * runs both and applies whichever asks for more tasks, which gives the "requests OR CPU" rule;
 * scale-in happens only when both agree.
 * https://docs.aws.amazon.com/autoscaling/application/userguide/application-auto-scaling-target-tracking.html
 */
export function createAppScaling(name: string, args: AppScalingArgs, parent: pulumi.Resource) {
  const target = scalableTarget(name, args.role, args.clusterName, args.serviceName, parent);
  const common = trackingCommon(target);
  const cpu = cpuPolicy(name, target, args.scaling, parent);
  const requests = new aws.appautoscaling.Policy(
    `${name}-requests`,
    {
      ...common,
      targetTrackingScalingPolicyConfiguration: {
        targetValue: args.scaling.requestsPerTarget,
        predefinedMetricSpecification: {
          predefinedMetricType: "ALBRequestCountPerTarget",
          resourceLabel: args.requestCountLabel,
        },
        scaleOutCooldown: args.scaling.scaleOutCooldownSeconds,
        scaleInCooldown: args.scaling.scaleInCooldownSeconds,
      },
    },
    { parent },
  );
  return { target, cpu, requests };
}

function trackingCommon(target: aws.appautoscaling.Target) {
  return {
    policyType: "TargetTrackingScaling",
    resourceId: target.resourceId,
    scalableDimension: target.scalableDimension,
    serviceNamespace: target.serviceNamespace,
  };
}

function cpuPolicy(name: string, target: aws.appautoscaling.Target, scaling: Omit<AppScalingPlan, "requestsPerTarget">, parent: pulumi.Resource) {
  return new aws.appautoscaling.Policy(
    `${name}-cpu`,
    {
      ...trackingCommon(target),
      targetTrackingScalingPolicyConfiguration: {
        targetValue: scaling.cpuTarget,
        predefinedMetricSpecification: { predefinedMetricType: "ECSServiceAverageCPUUtilization" },
        scaleOutCooldown: scaling.scaleOutCooldownSeconds,
        scaleInCooldown: scaling.scaleInCooldownSeconds,
      },
    },
    { parent },
  );
}

export interface CpuScalingArgs {
  readonly role: ScalingBounds;
  readonly scaling: Omit<AppScalingPlan, "requestsPerTarget">;
  readonly clusterName: pulumi.Input<string>;
  readonly serviceName: pulumi.Input<string>;
}

/** Target tracking on the service's average CPU alone (a role with no load balancer in front). */
export function createCpuScaling(name: string, args: CpuScalingArgs, parent: pulumi.Resource) {
  const target = scalableTarget(name, args.role, args.clusterName, args.serviceName, parent);
  return { target, cpu: cpuPolicy(name, target, args.scaling, parent) };
}

/**
 * Worker scaling on queue depth: target tracking keeps the published backlog per running worker
 * at the configured value. Static mode creates nothing: the service runs the peak count.
 */
export function createWorkerQueueScaling(
  name: string,
  role: ScalingBounds,
  scaling: Extract<WorkerScalingPlan, { mode: "queue" }>,
  clusterName: pulumi.Input<string>,
  serviceName: pulumi.Input<string>,
  metricNamespace: string,
  parent: pulumi.Resource,
) {
  const target = scalableTarget(name, role, clusterName, serviceName, parent);
  const policy = new aws.appautoscaling.Policy(
    `${name}-backlog`,
    {
      policyType: "TargetTrackingScaling",
      resourceId: target.resourceId,
      scalableDimension: target.scalableDimension,
      serviceNamespace: target.serviceNamespace,
      targetTrackingScalingPolicyConfiguration: {
        targetValue: scaling.backlogPerWorker,
        customizedMetricSpecification: {
          namespace: metricNamespace,
          metricName: METRIC_BACKLOG_PER_WORKER,
          dimensions: [{ name: METRIC_DIMENSION, value: serviceName }],
          statistic: "Average",
        },
        scaleOutCooldown: scaling.scaleOutCooldownSeconds,
        scaleInCooldown: scaling.scaleInCooldownSeconds,
      },
    },
    { parent },
  );
  return { target, policy };
}
