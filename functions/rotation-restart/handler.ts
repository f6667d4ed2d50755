/**
 * The Lambda entry point (bundled by components/rotation-restart.ts, invoked by EventBridge when
 * the database secret rotates). Thin: read the environment, build the clients once per container,
 * call `restartOnRotation`, which logs and rethrows every failure so the invocation is retried.
 */
import { ECSClient } from "@aws-sdk/client-ecs";
import { jsonLogger, type Logger } from "../queue-metric/log";
import { credentialsFromEnv, describeClusterVia } from "./aws";
import { loadConfig } from "./config";
import { restartOnRotation, type RestartDeps, type RestartResult } from "./restart";

export type HandlerOverrides = Partial<Omit<RestartDeps, "config">> & {
  readonly env?: Readonly<Record<string, string | undefined>>;
};

/** Builds a handler; the default export uses the real clients and `process.env`. */
export function createHandler(overrides: HandlerOverrides = {}): (event: unknown) => Promise<RestartResult> {
  const log: Logger = overrides.log ?? jsonLogger;
  let ecs: ECSClient | undefined;
  return async (event) => {
    const env = overrides.env ?? process.env;
    let config;
    try {
      config = loadConfig(env);
    } catch (err) {
      log.error({ msg: "rotation restart failed", stage: "config", error: err instanceof Error ? err.message : String(err) });
      throw err;
    }
    const credentials = overrides.credentials ?? credentialsFromEnv(env);
    if (config.platform === "fargate") ecs = overrides.ecs ?? (ecs ??= new ECSClient({}));
    return restartOnRotation(event, {
      ...overrides,
      config,
      log,
      ecs,
      credentials,
      describeCluster: overrides.describeCluster ?? describeClusterVia({ region: config.region, credentials }),
    });
  };
}

export const handler = createHandler();
