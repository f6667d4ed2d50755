import * as aws from "@pulumi/aws";
import * as pulumi from "@pulumi/pulumi";
import { Database } from "./components/database";
import { EksSplit } from "./components/eks";
import { FargateSplit } from "./components/fargate";
import { Network } from "./components/network";
import { Queue } from "./components/queue";
import { AppSecrets } from "./components/secrets";
import { Storage } from "./components/storage";
import type { Plan } from "./sizing/types";

/** Stack outputs: what an operator needs, never a secret value. */
export interface StackOutputs {
  readonly platform: string;
  readonly url: pulumi.Output<string>;
  readonly frontendUrl: string;
  readonly bucketName: pulumi.Output<string>;
  readonly databaseAddress: pulumi.Output<string>;
  readonly secretArns: pulumi.Output<string[]>;
  readonly [key: string]: unknown;
}

/**
 * Wires the components for one stack from its plan: one explicit AWS provider pinned to the plan's
 * region (no ambient region), the shared data and secrets tiers, then the platform.
 */
export function buildStack(plan: Plan, stack: string): StackOutputs {
  const provider = new aws.Provider("aws", {
    region: plan.region,
    defaultTags: { tags: { app: "activepieces", stack: stack, environment: plan.environment } },
  });
  const opts: pulumi.ComponentResourceOptions = { providers: [provider] };
  const prefix = `ap-${stack}`;

  const network = new Network(`${prefix}-network`, { plan: plan.network, region: plan.region }, opts);
  const secrets = new AppSecrets(`${prefix}-secrets`, { namePrefix: `activepieces/${stack}`, protect: plan.protectData, existing: plan.existingSecrets }, opts);
  const database = new Database(
    `${prefix}-db`,
    {
      plan: plan.database,
      namePrefix: prefix,
      vpcId: network.vpcId,
      subnetIds: network.privateSubnetIds,
      protect: plan.protectData,
    },
    opts,
  );
  const queue = new Queue(
    `${prefix}-redis`,
    {
      plan: plan.redis,
      namePrefix: prefix,
      vpcId: network.vpcId,
      subnetIds: network.privateSubnetIds,
      authToken: secrets.redisAuthToken,
    },
    opts,
  );
  const storage = new Storage(`${prefix}-files`, { namePrefix: prefix, region: plan.region, protect: plan.protectData }, opts);

  const shared = {
    platform: plan.platform,
    frontendUrl: plan.frontendUrl,
    bucketName: storage.bucketName,
    databaseAddress: database.address,
    secretArns: pulumi.all(secrets.secretArns),
  };
  const tiers = { network, secrets, database, queue, storage };
  // Each platform exposes its outputs in one shape; the names stay what operators and docs use.
  const platform = plan.platform === "eks" ? new EksSplit(prefix, { ...tiers, plan }, opts) : new FargateSplit(prefix, { ...tiers, plan }, opts);
  return { ...shared, ...platform.outputs };
}
