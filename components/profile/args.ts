import type * as pulumi from "@pulumi/pulumi";
import type { WorkloadPlan } from "../../sizing/profile-types";
import type { Database } from "../database";
import type { Network } from "../network";
import type { Queue } from "../queue";
import type { Storage } from "../storage";

/**
 * What a profile platform component (FargateProfile, EksProfile) builds on: the workload plan and
 * the data tier the profile asked for (each optional), wired by stack-profile.ts.
 */
export interface ProfilePlatformArgs {
  readonly plan: WorkloadPlan;
  readonly network: Network;
  /** Present when plan.data.postgres is set. */
  readonly database?: Database;
  /** Present when plan.data.redis is set; the auth token secret's ARN for roles that connect to it. */
  readonly queue?: Queue;
  readonly redisAuthSecretArn?: pulumi.Input<string>;
  /** One bucket per key of plan.data.buckets. */
  readonly buckets: Readonly<Record<string, Storage>>;
}
