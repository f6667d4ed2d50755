import * as aws from "@pulumi/aws";
import * as pulumi from "@pulumi/pulumi";
import { QUEUE_METRIC_NAMESPACE_DEFAULT } from "../../functions/queue-metric/contract";
import type { FargatePlan } from "../../sizing/types";
import { APP_PORT } from "../app-endpoint";
import { allowTcpFrom } from "../ingress";
import type { PlatformArgs, PlatformOutputs } from "../platform";
import { roleContainer, roleWiring } from "../roles";
import { APP_INTERNAL_NAME } from "../../sizing/internal-url";
import { openContractEdges } from "../edges";
import { createAlb } from "./alb";
import { createObservability } from "../observability";
import { createCluster } from "./cluster";
import { createExecutionRole, createTaskRole } from "./iam";
import { createQueueMetricFunction } from "./queue-metric";
import { createAppScaling, createWorkerQueueScaling } from "./scaling";
import { RoleService, serviceDependencies } from "./service";
import { ImageArchitectureCheck } from "../image-check";
import { createRotationRestart, rolesReading } from "../rotation-restart";

export type FargateSplitArgs = PlatformArgs<FargatePlan>;

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
  /** The stack outputs of this platform (stack.ts spreads them). */
  readonly outputs: PlatformOutputs;

  constructor(name: string, args: FargateSplitArgs, opts?: pulumi.ComponentResourceOptions) {
    super("activepieces:fargate:FargateSplit", name, {}, opts);
    const { plan, network, secrets, database, queue, storage } = args;

    const { cluster, capacityProviders } = createCluster(name, this);
    // Fails `pulumi up` (never preview) when the image tag lacks the planned architecture; services wait for it.
    const imageCheck = new ImageArchitectureCheck(`${name}-image-check`, { image: plan.image, architecture: plan.architecture }, { parent: this });

    // One security group per role; ingress is opened below only for the edges its contract names.
    const sgs = {
      app: new aws.ec2.SecurityGroup(
        `${name}-app-sg`,
        {
          vpcId: network.vpcId,
          description: "ActivePieces app tasks",
          egress: [{ protocol: "-1", fromPort: 0, toPort: 0, cidrBlocks: ["0.0.0.0/0"], description: "Postgres, Redis, AWS APIs, flow targets" }],
        },
        { parent: this },
      ),
      worker: new aws.ec2.SecurityGroup(
        `${name}-worker-sg`,
        {
          vpcId: network.vpcId,
          description: "ActivePieces worker tasks: no ingress",
          egress: [{ protocol: "-1", fromPort: 0, toPort: 0, cidrBlocks: ["0.0.0.0/0"], description: "the app, flow targets" }],
        },
        { parent: this },
      ),
    };

    const alb = createAlb(
      name,
      {
        plan: plan.loadBalancer,
        vpcId: network.vpcId,
        vpcCidr: network.vpcCidr,
        publicSubnetIds: network.publicSubnetIds,
        privateSubnetIds: network.privateSubnetIds,
        region: plan.region,
        protect: plan.protectData,
      },
      this,
    );
    allowTcpFrom(
      `${name}-app-from-alb`,
      { securityGroupId: sgs.app.id, sourceSecurityGroupId: alb.securityGroup.id, port: APP_PORT, description: "ALB to app" },
      { parent: this },
    );

    // Workers reach the app over ECS Service Connect, inside the VPC (sizing/internal-url.ts).
    const namespace = new aws.servicediscovery.HttpNamespace(
      `${name}-ns`,
      {
        name: `${name}.internal`,
        description: "ECS Service Connect: workers to the app",
      },
      { parent: this },
    );

    const wiring = roleWiring({ database, queue, secrets, storage });
    openContractEdges(name, plan, { sgs, database, queue }, this);

    const services = {} as Record<"app" | "worker", RoleService>;
    for (const roleName of ["app", "worker"] as const) {
      const role = plan[roleName];
      const contract = plan.release.contract.roles[roleName];
      const container = roleContainer(plan, roleName, wiring);
      const logGroup = new aws.cloudwatch.LogGroup(
        `${name}-${roleName}-logs`,
        {
          name: `/ecs/${name}/${roleName}`,
          retentionInDays: LOG_RETENTION_DAYS,
        },
        { parent: this, deleteBeforeReplace: true },
      ); // fixed name: a replacement must free it first
      const executionRole = createExecutionRole(
        `${name}-${roleName}`,
        container.secrets.map((s) => s.valueFrom),
        this,
      );
      // Only roles whose contract reaches S3 get a task role (signed URLs let workers fetch files without credentials).
      const usesS3 = contract.connects.some((e) => e.target === "s3");
      const taskRole = usesS3 ? createTaskRole(`${name}-${roleName}`, { storage: storage.accessPolicyArn }, this) : undefined;
      services[roleName] = new RoleService(
        `${name}-${roleName}`,
        {
          role,
          container,
          image: plan.image,
          architecture: plan.architecture,
          region: plan.region,
          clusterArn: cluster.arn,
          clusterName: cluster.name,
          subnetIds: network.privateSubnetIds,
          securityGroupIds: [sgs[roleName].id],
          executionRoleArn: executionRole.arn,
          taskRoleArn: taskRole?.arn,
          logGroupName: logGroup.name,
          targetGroupArn: roleName === "app" ? alb.targetGroup.arn : undefined,
          autoscaled: roleName === "app" || plan.workerScaling.mode === "queue",
          serviceConnect: roleName === "app" ? { namespaceArn: namespace.arn, serve: APP_INTERNAL_NAME } : { namespaceArn: namespace.arn },
        },
        {
          parent: this,
          // Service Connect clients resolve only endpoints that existed when their tasks started:
          // the app (server) first, then the workers (client).
          // https://docs.aws.amazon.com/AmazonECS/latest/developerguide/service-connect-concepts-deploy.html
          // Capacity providers first: a strategy may only name providers already on the cluster.
          dependsOn: serviceDependencies<pulumi.Resource>({
            capacityProviders,
            imageCheck,
            listeners: alb.listeners,
            after: roleName === "app" ? [] : [services.app],
          }),
        },
      );
    }

    createAppScaling(
      `${name}-app-scaling`,
      {
        role: plan.app,
        scaling: plan.appScaling,
        clusterName: cluster.name,
        serviceName: services.app.serviceName,
        requestCountLabel: pulumi.interpolate`${alb.loadBalancer.arnSuffix}/${alb.targetGroup.arnSuffix}`,
      },
      this,
    );

    let queueMetricNamespace: string | undefined;
    if (plan.workerScaling.mode === "queue") {
      queueMetricNamespace = `${QUEUE_METRIC_NAMESPACE_DEFAULT}/${name}`;
      const metric = createQueueMetricFunction(
        `${name}-queue-metric`,
        {
          vpcId: network.vpcId,
          subnetIds: network.privateSubnetIds,
          redisHost: queue.primaryEndpoint,
          redisPort: queue.port,
          redisAuthArn: secrets.redisAuthArn,
          clusterName: cluster.name,
          clusterArn: cluster.arn,
          workerServiceName: services.worker.serviceName,
          metricNamespace: queueMetricNamespace,
        },
        this,
      );
      queue.allowFrom(`${name}-redis-from-metric`, metric.securityGroup.id, { parent: this });
      createWorkerQueueScaling(
        `${name}-worker-scaling`,
        plan.worker,
        plan.workerScaling,
        cluster.name,
        services.worker.serviceName,
        queueMetricNamespace,
        this,
      );
    }

    createRotationRestart(
      `${name}-db-rotation`,
      {
        secretArn: database.masterUserSecretArn,
        vpcId: network.vpcId,
        subnetIds: network.privateSubnetIds,
        target: {
          platform: "fargate",
          clusterArn: cluster.arn,
          clusterName: cluster.name,
          services: rolesReading(plan.release.contract, "databasePassword").map((r) => services[r]),
        },
      },
      this,
    );

    const observability = createObservability(
      name,
      {
        plan,
        database,
        queue,
        ecs: {
          clusterName: cluster.name,
          appServiceName: services.app.serviceName,
          workerServiceName: services.worker.serviceName,
          loadBalancerArnSuffix: alb.loadBalancer.arnSuffix,
          targetGroupArnSuffix: alb.targetGroup.arnSuffix,
          queueMetricNamespace,
        },
      },
      this,
    );

    this.url = alb.url;
    this.albDnsName = alb.loadBalancer.dnsName;
    this.clusterName = cluster.name;
    this.appServiceName = services.app.serviceName;
    this.workerServiceName = services.worker.serviceName;
    this.dashboardUrl = observability.dashboardUrl;
    this.alarmTopicArn = observability.alarmTopicArn;
    this.outputs = {
      url: this.url,
      clusterName: this.clusterName,
      appServiceName: this.appServiceName,
      workerServiceName: this.workerServiceName,
      dashboardUrl: this.dashboardUrl,
      alarmTopicArn: this.alarmTopicArn,
    };
    this.registerOutputs({ ...this.outputs, albDnsName: this.albDnsName });
  }
}
