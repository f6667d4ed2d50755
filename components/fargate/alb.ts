import * as aws from "@pulumi/aws";
import * as pulumi from "@pulumi/pulumi";
import type { LoadBalancerPlan } from "../../sizing/types";
import { ACCESS_LOG_PREFIX, createAccessLogBucket } from "../alb-logs";
import { APP_PORT, albSettings, loadBalancerUrl } from "../app-endpoint";

export interface AlbArgs {
  readonly plan: LoadBalancerPlan;
  readonly vpcId: pulumi.Input<string>;
  readonly vpcCidr: pulumi.Input<string>;
  readonly publicSubnetIds: pulumi.Input<string[]>;
  readonly privateSubnetIds: pulumi.Input<string[]>;
  /** The stack's region: the access log bucket must be in the load balancer's region. */
  readonly region: string;
  /** Prod (`protectData`): deletion protection on the load balancer; the log bucket survives a destroy. */
  readonly protect: boolean;
  /** Security group description; ActivePieces' when omitted. */
  readonly description?: string;
  /** Ports of the targets in the VPC the load balancer may reach; ActivePieces' AP_PORT when omitted. */
  readonly targetPorts?: readonly number[];
}

export interface AlbResources {
  readonly securityGroup: aws.ec2.SecurityGroup;
  readonly loadBalancer: aws.lb.LoadBalancer;
  readonly targetGroup: aws.lb.TargetGroup;
  readonly listeners: aws.lb.Listener[];
  /** Bucket of the access logs. */
  readonly accessLogBucket: aws.s3.Bucket;
  /** Base URL of the load balancer (https when a certificate is set). */
  readonly url: pulumi.Output<string>;
}

/**
 * The app's load balancer: internet-facing in public subnets or internal in private subnets,
 * reachable only from the configured CIDRs/prefix lists, HTTPS with an HTTP->HTTPS redirect
 * when a certificate is given, HTTP only otherwise (the plan carries a warning).
 */
export function createAlb(name: string, args: AlbArgs, parent: pulumi.Resource): AlbResources {
  const { plan } = args;
  // Idle timeout, health check, deregistration delay and TLS policy: shared with the EKS Ingress.
  const endpoint = albSettings(plan);
  const { securityGroup, loadBalancer, accessLogBucket } = albFrontEnd(name, args, parent);

  const targetGroup = new aws.lb.TargetGroup(
    `${name}-app-tg`,
    {
      vpcId: args.vpcId,
      port: APP_PORT,
      protocol: "HTTP",
      targetType: "ip",
      ...endpoint.targetGroup,
    },
    { parent },
  );

  const listeners = albListeners(name, plan, loadBalancer, { type: "forward", targetGroupArn: targetGroup.arn }, parent);
  const url = loadBalancer.dnsName.apply((host) => loadBalancerUrl(plan, host));
  return { securityGroup, loadBalancer, targetGroup, listeners, accessLogBucket, url };
}

/** The load balancer's security group, access log bucket and the load balancer itself. */
function albFrontEnd(name: string, args: AlbArgs, parent: pulumi.Resource) {
  const { plan } = args;
  const endpoint = albSettings(plan);
  const ports = plan.https ? [80, 443] : [80];
  const targetPorts = [...new Set(args.targetPorts ?? [APP_PORT])];
  const securityGroup = new aws.ec2.SecurityGroup(
    `${name}-alb-sg`,
    {
      vpcId: args.vpcId,
      description: args.description ?? `ActivePieces ALB (${plan.scheme})`,
      ingress: ports.flatMap((port) => [
        ...(plan.allowedCidrs.length > 0
          ? [
              {
                protocol: "tcp",
                fromPort: port,
                toPort: port,
                cidrBlocks: plan.allowedCidrs.filter((c) => !c.includes(":")),
                ipv6CidrBlocks: plan.allowedCidrs.filter((c) => c.includes(":")),
                description: "allowed clients",
              },
            ]
          : []),
        ...(plan.allowedPrefixListIds.length > 0
          ? [{ protocol: "tcp", fromPort: port, toPort: port, prefixListIds: [...plan.allowedPrefixListIds], description: "allowed prefix lists" }]
          : []),
      ]),
      egress: targetPorts.map((port) =>
        args.targetPorts
          ? { protocol: "tcp", fromPort: port, toPort: port, cidrBlocks: [args.vpcCidr], description: `to tasks on ${port} in the VPC` }
          : { protocol: "tcp", fromPort: port, toPort: port, cidrBlocks: [args.vpcCidr], description: "to app tasks in the VPC" },
      ),
    },
    { parent },
  );

  const accessLogs = createAccessLogBucket(name, { region: args.region, protect: args.protect }, parent);
  const loadBalancer = new aws.lb.LoadBalancer(
    `${name}-alb`,
    {
      loadBalancerType: "application",
      internal: plan.scheme === "internal",
      subnets: plan.scheme === "internal" ? args.privateSubnetIds : args.publicSubnetIds,
      securityGroups: [securityGroup.id],
      ...endpoint.loadBalancer,
      accessLogs: { bucket: accessLogs.bucket.bucket, prefix: ACCESS_LOG_PREFIX, enabled: true },
      // Prod: deleting the load balancer takes an explicit change first (as with the database).
      enableDeletionProtection: args.protect,
    },
    {
      parent,
      // Enabling access logs makes ELB write a test object: the bucket policy must be in place.
      dependsOn: accessLogs.ready,
    },
  );

  return { securityGroup, loadBalancer, accessLogBucket: accessLogs.bucket };
}

type ListenerAction = aws.types.input.lb.ListenerDefaultAction;

/**
 * The listeners: HTTPS with `defaultAction` and an HTTP->HTTPS redirect when the plan has a
 * certificate, HTTP with `defaultAction` otherwise. The first listener is the one that serves.
 */
function albListeners(name: string, plan: LoadBalancerPlan, loadBalancer: aws.lb.LoadBalancer, defaultAction: ListenerAction, parent: pulumi.Resource) {
  const endpoint = albSettings(plan);
  const listenerPort = plan.https ? 443 : 80;
  const listeners: aws.lb.Listener[] = [];
  if (plan.https) {
    listeners.push(
      new aws.lb.Listener(
        `${name}-https`,
        {
          loadBalancerArn: loadBalancer.arn,
          port: 443,
          protocol: "HTTPS",
          sslPolicy: endpoint.sslPolicy,
          certificateArn: plan.certificateArn,
          defaultActions: [defaultAction],
        },
        { parent },
      ),
    );
    listeners.push(
      new aws.lb.Listener(
        `${name}-http-redirect`,
        {
          loadBalancerArn: loadBalancer.arn,
          port: 80,
          protocol: "HTTP",
          defaultActions: [{ type: "redirect", redirect: { protocol: "HTTPS", port: "443", statusCode: "HTTP_301" } }],
        },
        { parent },
      ),
    );
  } else {
    // HTTP only: the plan carries the warning and index.ts prints it before anything registers.
    listeners.push(
      new aws.lb.Listener(
        `${name}-http`,
        {
          loadBalancerArn: loadBalancer.arn,
          port: listenerPort,
          protocol: "HTTP",
          defaultActions: [defaultAction],
        },
        { parent },
      ),
    );
  }
  return listeners;
}

/** One public role behind a routed load balancer: its target group and listener rule. */
export interface AlbRoute {
  /** Names the target group and the rule (`<name>-<key>-tg`, `<name>-<key>-rule`). */
  readonly key: string;
  readonly port: number;
  readonly healthCheckPath: string;
  /** ALB path pattern (`/*`, `/api/*`). */
  readonly pathPattern: string;
  readonly host?: string;
  readonly priority: number;
}

export interface RoutedAlbResources {
  readonly securityGroup: aws.ec2.SecurityGroup;
  readonly loadBalancer: aws.lb.LoadBalancer;
  readonly listeners: aws.lb.Listener[];
  /** The target group of each route, by key. */
  readonly targetGroups: Readonly<Record<string, aws.lb.TargetGroup>>;
  /** The listener rule of each route, by key; a service must wait for its rule (the target group is attached by it). */
  readonly rules: Readonly<Record<string, aws.lb.ListenerRule>>;
  readonly accessLogBucket: aws.s3.Bucket;
  readonly url: pulumi.Output<string>;
}

/**
 * A load balancer for several services: the same front end and listeners as createAlb, one target
 * group per route (its own port and health check path, the plan's other health check settings) and
 * one listener rule per route on the serving listener (path pattern, optional host header, the
 * route's priority). A request no rule matches gets a fixed 404.
 */
export function createRoutedAlb(
  name: string,
  args: Omit<AlbArgs, "targetPorts"> & { readonly routes: readonly AlbRoute[] },
  parent: pulumi.Resource,
): RoutedAlbResources {
  const { plan, routes } = args;
  if (routes.length === 0) throw new Error(`${name}: a routed load balancer needs at least one route`);
  const endpoint = albSettings(plan);
  const { securityGroup, loadBalancer, accessLogBucket } = albFrontEnd(name, { ...args, targetPorts: routes.map((r) => r.port) }, parent);
  const listeners = albListeners(
    name,
    plan,
    loadBalancer,
    { type: "fixed-response", fixedResponse: { contentType: "text/plain", statusCode: "404", messageBody: "Not Found" } },
    parent,
  );
  const serving = listeners[0]!;
  const targetGroups: Record<string, aws.lb.TargetGroup> = {};
  const rules: Record<string, aws.lb.ListenerRule> = {};
  for (const route of routes) {
    targetGroups[route.key] = new aws.lb.TargetGroup(
      `${name}-${route.key}-tg`,
      {
        vpcId: args.vpcId,
        port: route.port,
        protocol: "HTTP",
        targetType: "ip",
        ...endpoint.targetGroup,
        healthCheck: { ...endpoint.targetGroup.healthCheck, path: route.healthCheckPath },
      },
      { parent },
    );
    rules[route.key] = new aws.lb.ListenerRule(
      `${name}-${route.key}-rule`,
      {
        listenerArn: serving.arn,
        priority: route.priority,
        actions: [{ type: "forward", targetGroupArn: targetGroups[route.key]!.arn }],
        conditions: [{ pathPattern: { values: [route.pathPattern] } }, ...(route.host ? [{ hostHeader: { values: [route.host] } }] : [])],
      },
      { parent },
    );
  }
  const url = loadBalancer.dnsName.apply((host) => loadBalancerUrl(plan, host));
  return { securityGroup, loadBalancer, listeners, targetGroups, rules, accessLogBucket, url };
}
