import type * as pulumi from "@pulumi/pulumi";
import type { Plan } from "../sizing/types";
import type { Database } from "./database";
import type { Network } from "./network";
import type { Queue } from "./queue";
import type { AppSecrets } from "./secrets";
import type { Storage } from "./storage";

/** What a platform component (FargateSplit, EksSplit) builds on: its plan variant and the shared tiers. */
export interface PlatformArgs<P extends Plan = Plan> {
  readonly plan: P;
  readonly network: Network;
  readonly secrets: AppSecrets;
  readonly database: Database;
  readonly queue: Queue;
  readonly storage: Storage;
}

/**
 * The stack outputs a platform contributes, in one shape: stack.ts spreads them after the shared
 * ones. `url` is always there; the rest name the platform's own resources.
 */
export interface PlatformOutputs {
  readonly url: pulumi.Output<string>;
  readonly [key: string]: pulumi.Output<string> | string;
}
