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
  const listenerPort = plan.https ? 443 : 80;
  const ports = plan.https ? [80, 443] : [80];
  const securityGroup = new aws.ec2.SecurityGroup(
    `${name}-alb-sg`,
    {
      vpcId: args.vpcId,
      description: `ActivePieces ALB (${plan.scheme})`,
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
      egress: [{ protocol: "tcp", fromPort: APP_PORT, toPort: APP_PORT, cidrBlocks: [args.vpcCidr], description: "to app tasks in the VPC" }],
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
          defaultActions: [{ type: "forward", targetGroupArn: targetGroup.arn }],
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
          defaultActions: [{ type: "forward", targetGroupArn: targetGroup.arn }],
        },
        { parent },
      ),
    );
  }
  const url = loadBalancer.dnsName.apply((host) => loadBalancerUrl(plan, host));
  return { securityGroup, loadBalancer, targetGroup, listeners, accessLogBucket: accessLogs.bucket, url };
}
