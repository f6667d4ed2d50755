import * as aws from "@pulumi/aws";
import * as pulumi from "@pulumi/pulumi";
import { QUEUE_METRIC_NAMESPACE_DEFAULT } from "../../functions/queue-metric/contract";
import { alarmSpecs } from "../../sizing/alarms";
import { APP_PORT } from "../app-endpoint";
import { allowTcpFrom } from "../ingress";
import type { PlatformArgs } from "../platform";
import { ROLE_CONTAINERS, roleWiring } from "../roles";
import { createAlb } from "./alb";
import { createAlarms, redisAlarmNodeId } from "../alarms";
import { createCluster } from "./cluster";
import { dashboardBody, dashboardUrl } from "../dashboard";
import { createExecutionRole, createTaskRole } from "./iam";
import { createQueueMetricFunction } from "./queue-metric";
import { createAppScaling, createWorkerQueueScaling } from "./scaling";
import { RoleService } from "./service";

export type FargateSplitArgs = PlatformArgs;

/** Log retention of task logs, days. */
const LOG_RETENTION_DAYS = 30;

/**
 * ActivePieces on ECS Fargate: app tasks on on-demand FARGATE behind an ALB, worker tasks on
 * FARGATE_SPOT (with an optional on-demand base), both in private subnets without public IPs.
 */
export class FargateSplit extends pulumi.ComponentResource {
  /** URL of the load balancer (the frontend URL should point at it). */
  readonly url: pulumi.Output<string>;
  readonly albDnsName: pulumi.Output<string>;
  readonly clusterName: pulumi.Output<string>;
  readonly appServiceName: pulumi.Output<string>;
  readonly workerServiceName: pulumi.Output<string>;
  readonly dashboardUrl: pulumi.Output<string>;
  readonly alarmTopicArn: pulumi.Output<string>;

  constructor(name: string, args: FargateSplitArgs, opts?: pulumi.ComponentResourceOptions) {
    super("activepieces:fargate:FargateSplit", name, {}, opts);
    const { plan, network, secrets, database, queue, storage } = args;

    const { cluster } = createCluster(name, this);

    const appSg = new aws.ec2.SecurityGroup(`${name}-app-sg`, {
      vpcId: network.vpcId,
      description: "ActivePieces app tasks",
      egress: [{ protocol: "-1", fromPort: 0, toPort: 0, cidrBlocks: ["0.0.0.0/0"], description: "Postgres, Redis, AWS APIs, flow targets" }],
    }, { parent: this });
    const workerSg = new aws.ec2.SecurityGroup(`${name}-worker-sg`, {
      vpcId: network.vpcId,
      description: "ActivePieces worker tasks: no ingress",
      egress: [{ protocol: "-1", fromPort: 0, toPort: 0, cidrBlocks: ["0.0.0.0/0"], description: "app websocket, flow targets" }],
    }, { parent: this });

    const alb = createAlb(name, {
      plan: plan.loadBalancer,
      vpcId: network.vpcId,
      vpcCidr: network.vpcCidr,
      publicSubnetIds: network.publicSubnetIds,
      privateSubnetIds: network.privateSubnetIds,
      deregistrationDelaySeconds: Math.min(30, plan.app.stopTimeoutSeconds),
    }, this);
    allowTcpFrom(`${name}-app-from-alb`, { securityGroupId: appSg.id, sourceSecurityGroupId: alb.securityGroup.id, port: APP_PORT,
      description: "ALB to app" }, { parent: this });
    database.allowFrom(`${name}-db-from-app`, appSg.id, { parent: this });
    queue.allowFrom(`${name}-redis-from-app`, appSg.id, { parent: this });

    const wiring = roleWiring({ database, queue, secrets, storage });

    const services = {} as Record<"app" | "worker", RoleService>;
    for (const roleName of ["app", "worker"] as const) {
      const role = plan[roleName];
      const container = ROLE_CONTAINERS[roleName](plan, wiring);
      const logGroup = new aws.cloudwatch.LogGroup(`${name}-${roleName}-logs`, {
        name: `/ecs/${name}/${roleName}`,
        retentionInDays: LOG_RETENTION_DAYS,
      }, { parent: this });
      const executionRole = createExecutionRole(`${name}-${roleName}`, container.secrets.map((s) => s.valueFrom), this);
      // Only the app touches S3 (signed URLs let workers fetch files without credentials).
      const taskRole = roleName === "app" ? createTaskRole(`${name}-app`, [storage.accessPolicyArn], this) : undefined;
      services[roleName] = new RoleService(`${name}-${roleName}`, {
        role,
        container,
        image: plan.image,
        architecture: plan.architecture,
        region: plan.region,
        clusterArn: cluster.arn,
        clusterName: cluster.name,
        subnetIds: network.privateSubnetIds,
        securityGroupIds: [roleName === "app" ? appSg.id : workerSg.id],
        executionRoleArn: executionRole.arn,
        taskRoleArn: taskRole?.arn,
        logGroupName: logGroup.name,
        targetGroupArn: roleName === "app" ? alb.targetGroup.arn : undefined,
        autoscaled: roleName === "app" || plan.workerScaling.mode === "queue",
      }, { parent: this, dependsOn: alb.listeners });
    }

    createAppScaling(`${name}-app-scaling`, {
      role: plan.app,
      scaling: plan.appScaling,
      clusterName: cluster.name,
      serviceName: services.app.serviceName,
      requestCountLabel: pulumi.interpolate`${alb.loadBalancer.arnSuffix}/${alb.targetGroup.arnSuffix}`,
    }, this);

    let queueMetricNamespace: string | undefined;
    if (plan.workerScaling.mode === "queue") {
      queueMetricNamespace = `${QUEUE_METRIC_NAMESPACE_DEFAULT}/${name}`;
      const metric = createQueueMetricFunction(`${name}-queue-metric`, {
        vpcId: network.vpcId,
        subnetIds: network.privateSubnetIds,
        redisHost: queue.primaryEndpoint,
        redisPort: queue.port,
        redisAuthArn: secrets.redisAuthArn,
        clusterName: cluster.name,
        clusterArn: cluster.arn,
        workerServiceName: services.worker.serviceName,
        metricNamespace: queueMetricNamespace,
      }, this);
      queue.allowFrom(`${name}-redis-from-metric`, metric.securityGroup.id, { parent: this });
      createWorkerQueueScaling(`${name}-worker-scaling`, plan.worker, plan.workerScaling, cluster.name,
        services.worker.serviceName, queueMetricNamespace, this);
    }

    const redisNodeId = redisAlarmNodeId(queue.replicationGroupId);
    const { topic } = createAlarms(name, alarmSpecs(plan), {
      ecs: {
        clusterName: cluster.name,
        appServiceName: services.app.serviceName,
        workerServiceName: services.worker.serviceName,
        loadBalancerArnSuffix: alb.loadBalancer.arnSuffix,
        targetGroupArnSuffix: alb.targetGroup.arnSuffix,
      },
      dbInstanceIdentifier: database.instanceIdentifier,
      redisNodeId,
    }, this);

    const dashboardName = `${name}-activepieces`;
    new aws.cloudwatch.Dashboard(`${name}-dashboard`, {
      dashboardName,
      dashboardBody: pulumi.all([
        cluster.name, services.app.serviceName, services.worker.serviceName, alb.loadBalancer.arnSuffix,
        alb.targetGroup.arnSuffix, database.instanceIdentifier, redisNodeId,
      ]).apply(([clusterName, appServiceName, workerServiceName, lb, tg, db, redis]) => dashboardBody({
        region: plan.region, dbInstanceIdentifier: db, redisNodeId: redis,
        ecs: {
          clusterName, appServiceName, workerServiceName, loadBalancerArnSuffix: lb, targetGroupArnSuffix: tg,
          appCpuTarget: plan.appScaling.cpuTarget, appMax: plan.app.max, workerMax: plan.worker.max, queueMetricNamespace,
        },
      })),
    }, { parent: this });

    this.url = alb.url;
    this.albDnsName = alb.loadBalancer.dnsName;
    this.clusterName = cluster.name;
    this.appServiceName = services.app.serviceName;
    this.workerServiceName = services.worker.serviceName;
    this.dashboardUrl = pulumi.output(dashboardUrl(plan.region, dashboardName));
    this.alarmTopicArn = topic.arn;
    this.registerOutputs({
      url: this.url, albDnsName: this.albDnsName, clusterName: this.clusterName, appServiceName: this.appServiceName,
      workerServiceName: this.workerServiceName, dashboardUrl: this.dashboardUrl, alarmTopicArn: this.alarmTopicArn,
    });
  }
}
