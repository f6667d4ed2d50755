import * as aws from "@pulumi/aws";
import * as pulumi from "@pulumi/pulumi";
import { alarmSpecs } from "../sizing/alarms";
import type { Plan } from "../sizing/types";
import { createAlarms, type EcsAlarmTargets } from "./alarms";
import { dashboardBody, dashboardUrl, type EcsDashboardRefs } from "./dashboard";
import type { Database } from "./database";
import type { Queue } from "./queue";

export interface ObservabilityArgs {
  readonly plan: Plan;
  readonly database: Pick<Database, "instanceIdentifier">;
  readonly queue: Pick<Queue, "memberClusterIds">;
  /**
   * Fargate: the ECS services and load balancer the app-tier alarms and widgets watch, and the
   * backlog metrics' namespace under queue scaling. EKS pods and nodes are watched through
   * Kubernetes, so there CloudWatch shows the managed data tier only.
   */
  readonly ecs?: EcsAlarmTargets & { readonly queueMetricNamespace?: string };
}

export interface Observability {
  /** SNS topic the alarms notify. */
  readonly alarmTopicArn: pulumi.Output<string>;
  readonly dashboardUrl: pulumi.Output<string>;
}

/**
 * The alarms (sizing/alarms.ts specs, one SNS topic) and the CloudWatch dashboard of a stack,
 * the same wiring on both platforms: only the ECS targets differ.
 */
export function createObservability(name: string, args: ObservabilityArgs, parent: pulumi.Resource): Observability {
  const { plan, database, ecs } = args;
  // Every member, not `-001`: the alarm and the widgets follow the primary through a failover.
  const redisMemberIds = args.queue.memberClusterIds;
  const { topic } = createAlarms(
    name,
    alarmSpecs(plan),
    {
      ...(ecs ? { ecs } : {}),
      dbInstanceIdentifier: database.instanceIdentifier,
      redisMemberIds,
    },
    parent,
  );

  const ecsRefs: pulumi.Output<EcsDashboardRefs> | undefined =
    ecs &&
    pulumi
      .all([ecs.clusterName, ecs.appServiceName, ecs.workerServiceName, ecs.loadBalancerArnSuffix, ecs.targetGroupArnSuffix])
      .apply(([clusterName, appServiceName, workerServiceName, lb, tg]) => ({
        clusterName,
        appServiceName,
        workerServiceName,
        loadBalancerArnSuffix: lb,
        targetGroupArnSuffix: tg,
        appCpuTarget: plan.appScaling.cpuTarget,
        appMax: plan.app.max,
        workerMax: plan.worker.max,
        queueMetricNamespace: ecs.queueMetricNamespace,
      }));
  const dashboardName = `${name}-activepieces`;
  new aws.cloudwatch.Dashboard(
    `${name}-dashboard`,
    {
      dashboardName,
      dashboardBody: pulumi.all([ecsRefs, database.instanceIdentifier, redisMemberIds]).apply(([refs, db, redis]) =>
        dashboardBody({
          region: plan.region,
          dbInstanceIdentifier: db,
          redisMemberIds: redis,
          ...(refs ? { ecs: refs } : {}),
        }),
      ),
    },
    { parent },
  );
  return { alarmTopicArn: topic.arn, dashboardUrl: pulumi.output(dashboardUrl(plan.region, dashboardName)) };
}
