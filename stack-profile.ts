import * as aws from "@pulumi/aws";
import * as pulumi from "@pulumi/pulumi";
import { Database } from "./components/database";
import { Network } from "./components/network";
import { EksProfile } from "./components/profile/eks";
import { FargateProfile } from "./components/profile/fargate";
import { Queue } from "./components/queue";
import { RedisAuth } from "./components/redis-auth";
import { Storage } from "./components/storage";
import type { WorkloadPlan } from "./sizing/profile-types";

/** Stack outputs of a profile stack: what an operator needs, never a secret value. */
export interface ProfileStackOutputs {
  readonly platform: string;
  readonly url: pulumi.Output<string>;
  readonly frontendUrl: string;
  /** Bucket name per bucket key of the profile. */
  readonly bucketNames: pulumi.Output<Record<string, string>>;
  /** Present when the profile asks for PostgreSQL. */
  readonly databaseAddress?: pulumi.Output<string>;
  /** The secrets the stack generated (the Redis AUTH token when the profile asks for Redis). */
  readonly secretArns: pulumi.Output<string[]>;
  readonly [key: string]: unknown;
}

/**
 * Wires the components for a workload profile, as stack.ts does for ActivePieces: one explicit AWS
 * provider pinned to the plan's region and tagged with the profile's name, the network, then only
 * the data tier the profile asks for (PostgreSQL, Redis with its AUTH token, one bucket per key),
 * then the platform.
 */
export function buildProfileStack(plan: WorkloadPlan, stack: string): ProfileStackOutputs {
  const provider = new aws.Provider("aws", {
    region: plan.region,
    defaultTags: { tags: { app: plan.profile, stack: stack, environment: plan.environment } },
  });
  const opts: pulumi.ComponentResourceOptions = { providers: [provider] };
  const prefix = `${plan.profile}-${stack}`;

  const network = new Network(`${prefix}-network`, { plan: plan.network, region: plan.region }, opts);
  const tier = { vpcId: network.vpcId, subnetIds: network.privateSubnetIds };

  const database = plan.data.postgres
    ? new Database(`${prefix}-db`, { plan: plan.data.postgres, namePrefix: prefix, ...tier, protect: plan.protectData }, opts)
    : undefined;
  const redisAuth = plan.data.redis
    ? new RedisAuth(`${prefix}-secrets`, { namePrefix: `${plan.profile}/${stack}`, protect: plan.protectData }, opts)
    : undefined;
  const queue =
    plan.data.redis && redisAuth
      ? new Queue(`${prefix}-redis`, { plan: plan.data.redis, namePrefix: prefix, ...tier, authToken: redisAuth.token }, opts)
      : undefined;
  // One private bucket per key; the key is in every name, so two buckets never collide.
  const buckets: Record<string, Storage> = Object.fromEntries(
    plan.data.buckets.map((key) => [
      key,
      new Storage(`${prefix}-${key}`, { namePrefix: `${prefix}-${key}`, region: plan.region, protect: plan.protectData }, opts),
    ]),
  );

  const args = { plan, network, database, queue, redisAuthSecretArn: redisAuth?.arn, buckets };
  const platform = plan.platform === "eks" ? new EksProfile(prefix, args, opts) : new FargateProfile(prefix, args, opts);

  return {
    platform: plan.platform,
    frontendUrl: plan.frontendUrl,
    bucketNames: pulumi.all(Object.fromEntries(Object.entries(buckets).map(([key, s]) => [key, s.bucketName]))),
    ...(database ? { databaseAddress: database.address } : {}),
    secretArns: pulumi.all(redisAuth ? [redisAuth.arn] : []),
    ...platform.outputs,
  };
}
