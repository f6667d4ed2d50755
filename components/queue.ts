import * as aws from "@pulumi/aws";
import * as pulumi from "@pulumi/pulumi";
import type { RedisPlan } from "../sizing/types";
import { allowTcpFrom } from "./ingress";

export interface QueueArgs {
  readonly plan: RedisPlan;
  readonly namePrefix: string;
  readonly vpcId: pulumi.Input<string>;
  /** Private subnets; with replicas, at least two AZs for Multi-AZ failover. */
  readonly subnetIds: pulumi.Input<string[]>;
  /** Redis AUTH token (secret Output from AppSecrets); requires TLS in transit. */
  readonly authToken: pulumi.Input<string>;
}

export const REDIS_PORT = 6379;

/**
 * ElastiCache parameter group family for a Redis engine version: 7.x -> "redis7", 6.x -> "redis6.x".
 * https://docs.aws.amazon.com/AmazonElastiCache/latest/dg/ParameterGroups.Engine.html
 */
export function redisFamily(engineVersion: string): string {
  const major = /^(\d+)\.\d+$/.exec(engineVersion)?.[1];
  if (major === "6") return "redis6.x";
  if (major !== undefined && Number(major) >= 7) return `redis${major}`;
  throw new Error(`redis.engineVersion: "${engineVersion}" is not supported; allowed 6.x or 7.x and later`);
}

/**
 * ElastiCache Redis for BullMQ, cluster mode off (ActivePieces speaks standalone/sentinel only;
 * cluster mode gives CROSSSLOT errors). TLS in transit and AUTH are required, data is encrypted at
 * rest, and `maxmemory-policy` is `noeviction`: the ElastiCache default `volatile-lru` silently drops
 * BullMQ keys under memory pressure (https://docs.bullmq.io/guide/going-to-production#max-memory-policy).
 * With replicas, a replica in another AZ takes over automatically.
 * Its security group has no ingress: callers open 6379 to their own security group with `allowFrom`.
 */
export class Queue extends pulumi.ComponentResource {
  /** Primary endpoint host name (the writer). */
  readonly primaryEndpoint: pulumi.Output<string>;
  /** Redis port (6379). */
  readonly port: pulumi.Output<number>;
  /** Replication group id. */
  readonly replicationGroupId: pulumi.Output<string>;
  /** Security group of the cache; ingress only through `allowFrom`. */
  readonly securityGroupId: pulumi.Output<string>;
  /** Cache cluster ids of the members (CloudWatch dimension CacheClusterId). */
  readonly memberClusterIds: pulumi.Output<string[]>;

  constructor(name: string, args: QueueArgs, opts?: pulumi.ComponentResourceOptions) {
    super("activepieces:queue:Queue", name, {}, opts);
    const { plan } = args;
    const replicated = plan.replicas > 0;

    const securityGroup = new aws.ec2.SecurityGroup(
      `${name}-sg`,
      {
        vpcId: args.vpcId,
        description: "ActivePieces Redis: ingress only from allowed security groups",
        tags: { Name: `${name}-sg` },
      },
      { parent: this },
    );

    const subnetGroup = new aws.elasticache.SubnetGroup(
      `${name}-subnets`,
      {
        subnetIds: args.subnetIds,
        description: "ActivePieces Redis private subnets",
      },
      { parent: this },
    );

    const parameterGroup = new aws.elasticache.ParameterGroup(
      `${name}-params`,
      {
        family: redisFamily(plan.engineVersion),
        description: "ActivePieces Redis: noeviction for BullMQ",
        parameters: [{ name: "maxmemory-policy", value: plan.maxmemoryPolicy }],
      },
      { parent: this },
    );

    const group = new aws.elasticache.ReplicationGroup(
      `${name}-rg`,
      {
        description: `ActivePieces queue (${args.namePrefix})`,
        engine: "redis",
        engineVersion: plan.engineVersion,
        nodeType: plan.nodeType,
        clusterMode: "disabled",
        numCacheClusters: 1 + plan.replicas,
        automaticFailoverEnabled: replicated,
        multiAzEnabled: replicated,
        port: REDIS_PORT,
        transitEncryptionEnabled: true,
        atRestEncryptionEnabled: true,
        authToken: args.authToken,
        parameterGroupName: parameterGroup.name,
        subnetGroupName: subnetGroup.name,
        securityGroupIds: [securityGroup.id],
        autoMinorVersionUpgrade: true,
        maintenanceWindow: "sun:05:30-sun:06:30",
        // Staging: node type, version and parameter changes apply during `pulumi up`. Prod: they
        // wait for the maintenance window and `up` reports success before they are live (a node
        // type change applied immediately would fail over in business hours).
        applyImmediately: plan.applyImmediately,
      },
      { parent: this },
    );

    this.primaryEndpoint = group.primaryEndpointAddress;
    this.port = group.port.apply((p) => p ?? REDIS_PORT);
    this.replicationGroupId = group.id;
    this.securityGroupId = securityGroup.id;
    this.memberClusterIds = group.memberClusters;

    this.registerOutputs({
      primaryEndpoint: this.primaryEndpoint,
      port: this.port,
      replicationGroupId: this.replicationGroupId,
      securityGroupId: this.securityGroupId,
      memberClusterIds: this.memberClusterIds,
    });
  }

  /** Opens 6379 on the cache to one security group (the app's or the queue-metric function's). */
  allowFrom(name: string, sourceSecurityGroupId: pulumi.Input<string>, opts?: pulumi.CustomResourceOptions): aws.vpc.SecurityGroupIngressRule {
    return allowTcpFrom(
      name,
      { securityGroupId: this.securityGroupId, sourceSecurityGroupId, port: REDIS_PORT, description: "Redis from an allowed security group" },
      { parent: this, ...opts },
    );
  }
}
