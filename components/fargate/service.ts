import * as aws from "@pulumi/aws";
import * as pulumi from "@pulumi/pulumi";
import type { Architecture, RolePlan } from "../../sizing/types";
import { APP_PORT } from "../app-endpoint";
import type { RoleContainer } from "../roles";

/**
 * What a service reads of a role: ActivePieces' RolePlan has it, and a workload profile's role
 * (sizing/profile-types.ts) is rendered into it by components/profile/fargate.ts.
 */
export type ServiceRole = Pick<RolePlan, "cpu" | "memory" | "desired" | "capacity" | "stopTimeoutSeconds" | "health"> & {
  /** Container name, log stream prefix. */
  readonly role: string;
};

export interface RoleServiceArgs {
  /** Sizes, counts, capacity strategy and stop timeout of this role, from the plan. */
  readonly role: ServiceRole;
  /** The container port (target group, Service Connect, port mapping); ActivePieces' AP_PORT when omitted. */
  readonly port?: number;
  readonly container: RoleContainer;
  readonly image: string;
  readonly architecture: Architecture;
  readonly region: string;
  readonly clusterArn: pulumi.Input<string>;
  readonly clusterName: pulumi.Input<string>;
  readonly subnetIds: pulumi.Input<string[]>;
  readonly securityGroupIds: pulumi.Input<string>[];
  readonly executionRoleArn: pulumi.Input<string>;
  /** Omitted for roles that call no AWS API. */
  readonly taskRoleArn?: pulumi.Input<string>;
  readonly logGroupName: pulumi.Input<string>;
  /** Present for the role served by the load balancer. */
  readonly targetGroupArn?: pulumi.Input<string>;
  /** Whether an autoscaling target owns desiredCount after creation. */
  readonly autoscaled: boolean;
  /** ECS Service Connect: the namespace, and for the role others call, the name it serves under. */
  readonly serviceConnect: { readonly namespaceArn: pulumi.Input<string>; readonly serve?: string };
}

/** Name of the app's port mapping, which Service Connect refers to. */
const PORT_NAME = "http";

/**
 * Fargate platform version of every service. FARGATE_SPOT runs ARM64 Linux tasks from 1.4.0 on
 * (https://docs.aws.amazon.com/AmazonECS/latest/APIReference/API_CapacityProviderStrategyItem.html);
 * pinned rather than LATEST so a platform change is a reviewed diff, not a silent one.
 */
export const FARGATE_PLATFORM_VERSION = "1.4.0";

/** What an ECS service must wait for before it is created. */
export interface ServiceDependencyInputs<T> {
  /** The cluster's ClusterCapacityProviders: a strategy may only name providers already associated. */
  readonly capacityProviders: T;
  /** The image architecture check (components/image-check.ts): no task starts on an image without the planned architecture. */
  readonly imageCheck: T;
  /** Listeners of the load balancer, so the target group is attached before tasks register. */
  readonly listeners: readonly T[];
  /** Services this one reaches over Service Connect, which must exist when its tasks start. */
  readonly after?: readonly T[];
}

/**
 * The `dependsOn` list of a role's service, as a pure function so the ordering edges can be
 * tested without resource options: capacity providers, the image check, the listeners, then
 * the services it calls.
 */
export function serviceDependencies<T>(d: ServiceDependencyInputs<T>): T[] {
  return [d.capacityProviders, d.imageCheck, ...d.listeners, ...(d.after ?? [])];
}

/**
 * One ECS service for one role. App and worker are the same code with different data:
 * capacity provider strategy (never `launchType`, which ECS rejects alongside it), sizes,
 * stop timeout and whether a load balancer fronts it.
 */
export class RoleService extends pulumi.ComponentResource {
  /** ECS service name. */
  readonly serviceName: pulumi.Output<string>;
  /** Task definition ARN (with revision). */
  readonly taskDefinitionArn: pulumi.Output<string>;

  constructor(name: string, args: RoleServiceArgs, opts?: pulumi.ComponentResourceOptions) {
    super("activepieces:fargate:RoleService", name, {}, opts);
    const { role } = args;
    const port = args.port ?? APP_PORT;

    const containerDefinitions = pulumi
      .all([
        args.container.environment.apply((env) => env.map((e) => [e.name, e.value] as const)),
        pulumi.output(args.container.secrets.map((s) => pulumi.all([s.name, s.valueFrom]))),
        args.logGroupName,
      ])
      .apply(([env, secrets, logGroup]) => JSON.stringify([containerDefinition(args, env, secrets, logGroup)]));

    const taskDefinition = new aws.ecs.TaskDefinition(
      `${name}-task`,
      {
        family: name,
        cpu: String(role.cpu),
        memory: String(role.memory),
        networkMode: "awsvpc",
        requiresCompatibilities: ["FARGATE"],
        runtimePlatform: {
          cpuArchitecture: args.architecture === "arm64" ? "ARM64" : "X86_64",
          operatingSystemFamily: "LINUX",
        },
        executionRoleArn: args.executionRoleArn,
        taskRoleArn: args.taskRoleArn,
        containerDefinitions,
      },
      { parent: this },
    );

    const service = new aws.ecs.Service(
      `${name}-service`,
      {
        name,
        cluster: args.clusterArn,
        taskDefinition: taskDefinition.arn,
        desiredCount: role.desired,
        platformVersion: FARGATE_PLATFORM_VERSION,
        capacityProviderStrategies: role.capacity.map((c) => ({ capacityProvider: c.capacityProvider, base: c.base, weight: c.weight })),
        networkConfiguration: {
          subnets: args.subnetIds,
          securityGroups: args.securityGroupIds,
          assignPublicIp: false,
        },
        deploymentCircuitBreaker: { enable: true, rollback: true },
        deploymentMinimumHealthyPercent: 100,
        deploymentMaximumPercent: 200,
        loadBalancers: args.targetGroupArn ? [{ targetGroupArn: args.targetGroupArn, containerName: role.role, containerPort: port }] : undefined,
        // The app answers /api/v1/health only after migrations and Redis/Postgres connect.
        healthCheckGracePeriodSeconds: args.targetGroupArn ? 120 : undefined,
        serviceConnectConfiguration: {
          enabled: true,
          namespace: args.serviceConnect.namespaceArn,
          // No appProtocol: the proxy forwards TCP, so the workers' websocket and long-poll are not
          // cut by the HTTP per-request timeout (15 s by default).
          // https://docs.aws.amazon.com/AmazonECS/latest/developerguide/service-connect-concepts.html
          services: args.serviceConnect.serve
            ? [{ portName: PORT_NAME, discoveryName: args.serviceConnect.serve, clientAlias: [{ port, dnsName: args.serviceConnect.serve }] }]
            : undefined,
        },
        propagateTags: "SERVICE",
        enableEcsManagedTags: true,
        waitForSteadyState: false,
      },
      {
        parent: this,
        // A component's dependsOn does not reach its children: the service itself waits for what
        // the component was told to wait for (capacity providers, image check, listeners, callees).
        dependsOn: opts?.dependsOn,
        // Autoscaling owns the count once the service exists; a later `pulumi up` must not reset it.
        ignoreChanges: args.autoscaled ? ["desiredCount"] : [],
        // The service name is fixed (alarms, dashboards and the rotation restart name it): a
        // replacement (new cluster, say) must delete the old service before creating the new one.
        deleteBeforeReplace: true,
      },
    );

    this.serviceName = service.name;
    this.taskDefinitionArn = taskDefinition.arn;
    this.registerOutputs({ serviceName: this.serviceName, taskDefinitionArn: this.taskDefinitionArn });
  }
}

/** The container definition ECS receives; exported for tests of the rendered JSON. */
export function containerDefinition(
  args: Pick<RoleServiceArgs, "role" | "image" | "region" | "port"> & { readonly serviceConnect?: RoleServiceArgs["serviceConnect"] },
  env: readonly (readonly [string, string])[],
  secrets: readonly (readonly [string, string])[],
  logGroup: string,
): Record<string, unknown> {
  const { role } = args;
  return {
    name: role.role,
    image: args.image,
    essential: true,
    // Workers get the Fargate maximum (120 s) to finish or checkpoint a flow before SIGKILL.
    stopTimeout: role.stopTimeoutSeconds,
    environment: env.map(([name, value]) => ({ name, value })),
    secrets: secrets.map(([name, valueFrom]) => ({ name, valueFrom })),
    // Every role listens on its port (AP_PORT for ActivePieces) for its health endpoint; only a served role names it for Service Connect.
    portMappings: [{ containerPort: args.port ?? APP_PORT, protocol: "tcp", ...(args.serviceConnect?.serve ? { name: PORT_NAME } : {}) }],
    healthCheck: containerHealthCheck(role.health),
    readonlyRootFilesystem: false,
    logConfiguration: {
      logDriver: "awslogs",
      options: {
        "awslogs-group": logGroup,
        "awslogs-region": args.region,
        "awslogs-stream-prefix": role.role,
      },
    },
  };
}

/**
 * The container health check from the role's contract. A readiness endpoint (the app; the 0.79
 * worker, 503 until its socket and queue consumer are up) gets a start period long enough for
 * migrations; a liveness endpoint (0.80+ workers, always 200 while the process runs) only catches
 * a process that stopped answering. The image has node but no curl, so node's fetch probes it.
 */
export function containerHealthCheck(health: RolePlan["health"]): Record<string, unknown> {
  const url = `http://127.0.0.1:${health.port}${health.path}`;
  return {
    command: ["CMD", "node", "-e", `fetch(${JSON.stringify(url)}).then((r)=>process.exit(r.ok?0:1),()=>process.exit(1))`],
    interval: 30,
    timeout: 5,
    retries: 3,
    startPeriod: health.meaning === "readiness" ? 180 : 30,
  };
}
