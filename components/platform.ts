import type { Plan } from "../sizing/types";
import type { Database } from "./database";
import type { Network } from "./network";
import type { Queue } from "./queue";
import type { AppSecrets } from "./secrets";
import type { Storage } from "./storage";

/** What a platform component (FargateSplit, EksSplit) builds on: the plan and the shared tiers. */
export interface PlatformArgs {
  readonly plan: Plan;
  readonly network: Network;
  readonly secrets: AppSecrets;
  readonly database: Database;
  readonly queue: Queue;
  readonly storage: Storage;
}
