import * as aws from "@pulumi/aws";
import * as pulumi from "@pulumi/pulumi";
import type { ProfileRolePlan } from "../../sizing/profile-types";
import { createRoutedAlb, type AlbRoute, type RoutedAlbResources } from "../fargate/alb";
import { createCluster } from "../fargate/cluster";
import { createExecutionRole, createTaskRole } from "../fargate/iam";
import { createQueueMetricFunction } from "../fargate/queue-metric";
import { createAppScaling, createCpuScaling, createWorkerQueueScaling } from "../fargate/scaling";
import { RoleService, serviceDependencies } from "../fargate/service";
import { ImageArchitectureCheck } from "../image-check";
import { allowTcpFrom } from "../ingress";
import type { PlatformOutputs } from "../platform";
import type { ProfilePlatformArgs } from "./args";
import { createProfileObservability } from "./fargate-observability";
import { checkFargateProfile } from "./fargate-order";
import { albPathPattern, profileQueueMetricNamespace, serviceOutputKey, serviceRole } from "./fargate-roles";
import { profileWiring } from "./wiring";

/** Log retention of task logs, days (as FargateSplit). */
const LOG_RETENTION_DAYS = 30;

/**
 * A workload profile (a service that is not ActivePieces) on ECS Fargate, built from the same
 * blocks as FargateSplit: one cluster with FARGATE and FARGATE_SPOT, one service per role in
 * private subnets, each with its own security group, log group, execution role (reading only that
 * role's secrets) and, when it reaches S3, a task role for exactly its buckets. Public roles sit
 * behind one ALB, one target group and listener rule each; internal roles are Service Connect
 * servers reachable only from the roles whose contract calls them.
 */
export class FargateProfile extends pulumi.ComponentResource {
  readonly outputs: PlatformOutputs;

  constructor(name: string, args: ProfilePlatformArgs, opts?: pulumi.ComponentResourceOptions) {
    const roles = checkFargateProfile(args);
    super("activepieces:profile:FargateProfile", name, {}, opts);
    const { plan, network } = args;
    const servers = new Set(plan.roles.flatMap((r) => r.connects.flatMap((e) => (e.target === "role" ? [e.role] : []))));
    const serves = (r: ProfileRolePlan) => r.exposure.kind === "internal" || servers.has(r.name);

    const { cluster, capacityProviders } = createCluster(name, this);
    // One check per distinct image (named after the first role running it); services wait for theirs.
    const imageChecks = new Map<string, ImageArchitectureCheck>();
    for (const r of plan.roles) {
      if (!imageChecks.has(r.image)) {
        imageChecks.set(
          r.image,
          new ImageArchitectureCheck(`${name}-${r.name}-image-check`, { image: r.image, architecture: plan.architecture }, { parent: this }),
        );
      }
    }

    // One security group per role, egress as the ActivePieces roles have it; ingress only below.
    const sgs: Record<string, aws.ec2.SecurityGroup> = {};
    for (const r of plan.roles) {
      sgs[r.name] = new aws.ec2.SecurityGroup(
        `${name}-${r.name}-sg`,
        {
          vpcId: network.vpcId,
          description: `${plan.profile} ${r.name} tasks`,
          egress: [{ protocol: "-1", fromPort: 0, toPort: 0, cidrBlocks: ["0.0.0.0/0"], description: "data tier, AWS APIs, external services" }],
        },
        { parent: this },
      );
    }

    const publicRoles = plan.roles.flatMap((r) => (r.exposure.kind === "public" ? [{ role: r, exposure: r.exposure }] : []));
    let alb: RoutedAlbResources | undefined;
    if (publicRoles.length > 0) {
      const routes: AlbRoute[] = publicRoles.map(({ role, exposure }) => ({
        key: role.name,
        port: role.port,
        healthCheckPath: role.health.path,
        pathPattern: albPathPattern(exposure.path),
        ...(exposure.host ? { host: exposure.host } : {}),
        priority: exposure.priority,
      }));
      alb = createRoutedAlb(
        name,
        {
          plan: plan.loadBalancer,
          vpcId: network.vpcId,
          vpcCidr: network.vpcCidr,
          publicSubnetIds: network.publicSubnetIds,
          privateSubnetIds: network.privateSubnetIds,
          region: plan.region,
          protect: plan.protectData,
          description: `${plan.profile} ALB (${plan.loadBalancer.scheme})`,
          routes,
        },
        this,
      );
      for (const { role } of publicRoles) {
        allowTcpFrom(
          `${name}-${role.name}-from-alb`,
          { securityGroupId: sgs[role.name]!.id, sourceSecurityGroupId: alb.securityGroup.id, port: role.port, description: `ALB to ${role.name}` },
          { parent: this },
        );
      }
    }

    const namespace = new aws.servicediscovery.HttpNamespace(
      `${name}-ns`,
      { name: `${name}.internal`, description: `ECS Service Connect: ${plan.profile} roles to internal roles` },
      { parent: this },
    );

    // Network edges: exactly those each role's contract names.
    for (const r of plan.roles) {
      const source = sgs[r.name]!.id;
      for (const e of r.connects) {
        if (e.target === "postgres") {
          args.database?.allowFrom(`${name}-db-from-${r.name}`, source, { parent: this });
        } else if (e.target === "redis") {
          args.queue?.allowFrom(`${name}-redis-from-${r.name}`, source, { parent: this });
        } else if (e.target === "role") {
          allowTcpFrom(
            `${name}-${e.role}-from-${r.name}`,
            { securityGroupId: sgs[e.role]!.id, sourceSecurityGroupId: source, port: e.port, description: `${r.name} to ${e.role} (Service Connect)` },
            { parent: this },
          );
        }
      }
    }

    const services: Record<string, RoleService> = {};
    for (const r of roles) {
      const container = profileWiring(plan, r, args);
      const logGroup = new aws.cloudwatch.LogGroup(
        `${name}-${r.name}-logs`,
        { name: `/ecs/${name}/${r.name}`, retentionInDays: LOG_RETENTION_DAYS },
        { parent: this, deleteBeforeReplace: true },
      ); // fixed name: a replacement must free it first
      const executionRole = createExecutionRole(
        `${name}-${r.name}`,
        container.secrets.map((s) => s.valueFrom),
        this,
      );
      const bucketKeys = [...new Set(r.connects.flatMap((e) => (e.target === "s3" ? [e.bucket] : [])))];
      const taskRole =
        bucketKeys.length > 0
          ? createTaskRole(`${name}-${r.name}`, Object.fromEntries(bucketKeys.map((k) => [`s3-${k}`, args.buckets[k]!.accessPolicyArn])), this)
          : undefined;
      const callees = r.connects.flatMap((e) => (e.target === "role" ? [services[e.role]!] : []));
      const route = alb?.rules[r.name];
      services[r.name] = new RoleService(
        `${name}-${r.name}`,
        {
          role: serviceRole(r),
          port: r.port,
          container,
          image: r.image,
          architecture: plan.architecture,
          region: plan.region,
          clusterArn: cluster.arn,
          clusterName: cluster.name,
          subnetIds: network.privateSubnetIds,
          securityGroupIds: [sgs[r.name]!.id],
          executionRoleArn: executionRole.arn,
          taskRoleArn: taskRole?.arn,
          logGroupName: logGroup.name,
          targetGroupArn: alb?.targetGroups[r.name]?.arn,
          autoscaled: r.scaling.mode !== "static",
          serviceConnect: serves(r) ? { namespaceArn: namespace.arn, serve: r.name } : { namespaceArn: namespace.arn },
        },
        {
          parent: this,
          // As FargateSplit: capacity providers, the image check and the listeners (and this role's
          // rule, which attaches its target group) first; Service Connect servers before their clients.
          dependsOn: serviceDependencies<pulumi.Resource>({
            capacityProviders,
            imageCheck: imageChecks.get(r.image)!,
            listeners: [...(alb?.listeners ?? []), ...(route ? [route] : [])],
            after: callees,
          }),
        },
      );
    }

    const queueMetricNamespace = profileQueueMetricNamespace(name);
    for (const r of plan.roles) {
      const scalingName = `${name}-${r.name}-scaling`;
      const serviceName = services[r.name]!.serviceName;
      const s = r.scaling;
      switch (s.mode) {
        case "static":
          break;
        case "cpu":
          createCpuScaling(scalingName, { role: r, scaling: s, clusterName: cluster.name, serviceName }, this);
          break;
        case "requests-or-cpu": {
          const tg = alb?.targetGroups[r.name];
          if (!alb || !tg) throw new Error(`role "${r.name}" scales on requests per target but is not behind the load balancer`); // checkFargateProfile refused it already
          createAppScaling(
            scalingName,
            {
              role: r,
              scaling: s,
              clusterName: cluster.name,
              serviceName,
              requestCountLabel: pulumi.interpolate`${alb.loadBalancer.arnSuffix}/${tg.arnSuffix}`,
            },
            this,
          );
          break;
        }
        case "queue": {
          // checkFargateProfile refused a queue role without Redis; the function reads the list's length.
          const queue = args.queue!;
          const metric = createQueueMetricFunction(
            `${name}-${r.name}-queue-metric`,
            {
              vpcId: network.vpcId,
              subnetIds: network.privateSubnetIds,
              redisHost: queue.primaryEndpoint,
              redisPort: queue.port,
              redisAuthArn: args.redisAuthSecretArn!,
              clusterName: cluster.name,
              clusterArn: cluster.arn,
              workerServiceName: serviceName,
              metricNamespace: queueMetricNamespace,
              listKey: s.key,
            },
            this,
          );
          queue.allowFrom(`${name}-redis-from-${r.name}-metric`, metric.securityGroup.id, { parent: this });
          createWorkerQueueScaling(
            scalingName,
            r,
            {
              mode: "queue",
              backlogPerWorker: s.backlogPerTask,
              scaleOutCooldownSeconds: s.scaleOutCooldownSeconds,
              scaleInCooldownSeconds: s.scaleInCooldownSeconds,
            },
            cluster.name,
            serviceName,
            queueMetricNamespace,
            this,
          );
          break;
        }
        case "prometheus": // refused by checkFargateProfile
          throw new Error(`role "${r.name}": prometheus scaling runs on EKS only`);
      }
    }

    const observability = createProfileObservability(
      name,
      {
        plan,
        clusterName: cluster.name,
        services: plan.roles.map((r) => ({ role: r, serviceName: services[r.name]!.serviceName, targetGroupArnSuffix: alb?.targetGroups[r.name]?.arnSuffix })),
        loadBalancerArnSuffix: alb?.loadBalancer.arnSuffix,
        ...(args.database ? { dbInstanceIdentifier: args.database.instanceIdentifier } : {}),
        ...(args.queue ? { redisMemberIds: args.queue.memberClusterIds } : {}),
      },
      this,
    );

    const url = alb ? alb.url : pulumi.output("");
    this.outputs = {
      url,
      clusterName: cluster.name,
      dashboardUrl: observability.dashboardUrl,
      alarmTopicArn: observability.alarmTopicArn,
      ...Object.fromEntries(plan.roles.map((r) => [`${serviceOutputKey(r.name)}ServiceName`, services[r.name]!.serviceName])),
    };
    this.registerOutputs({ ...this.outputs, ...(alb ? { albDnsName: alb.loadBalancer.dnsName } : {}) });
  }
}
