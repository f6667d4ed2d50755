/**
 * The Lambda entry point (bundled by components/fargate/queue-metric.ts, run every minute).
 * Thin: read the environment, build the clients once per container, call `measure`.
 * A measurement that publishes nothing is logged by `measure` and then thrown, so it also shows
 * in the function's `Errors` metric.
 */
import { CloudWatchClient } from "@aws-sdk/client-cloudwatch";
import { ECSClient } from "@aws-sdk/client-ecs";
import { SecretsManagerClient } from "@aws-sdk/client-secrets-manager";
import { loadConfig } from "./config";
import { jsonLogger, type Logger } from "./log";
import { measure, type MeasureDeps, type Measurement, type TokenCache } from "./measure";
import { ioredisFactory, messageOf } from "./redis";

export type HandlerOverrides = Partial<Omit<MeasureDeps, "config" | "tokenCache">> & {
  readonly env?: Readonly<Record<string, string | undefined>>;
};

/** Builds a handler; the default export uses the real clients and `process.env`. */
export function createHandler(overrides: HandlerOverrides = {}): () => Promise<Measurement> {
  const tokenCache: TokenCache = {};
  let clients: Pick<MeasureDeps, "secretsManager" | "ecs" | "cloudWatch"> | undefined;
  const log: Logger = overrides.log ?? jsonLogger;
  return async () => {
    let config;
    try {
      config = loadConfig(overrides.env ?? process.env);
    } catch (err) {
      log.error({ msg: "queue metric not published", stage: "config", error: messageOf(err) });
      throw err;
    }
    clients ??= {
      secretsManager: overrides.secretsManager ?? new SecretsManagerClient({}),
      ecs: overrides.ecs ?? new ECSClient({}),
      cloudWatch: overrides.cloudWatch ?? new CloudWatchClient({}),
    };
    const result = await measure({
      ...clients,
      config,
      tokenCache,
      log,
      createRedis: overrides.createRedis ?? ioredisFactory(),
      now: overrides.now,
    });
    if (!result.published) throw new Error(`queue metric not published (${result.stage}): ${result.error}`);
    const { published: _published, ...measurement } = result;
    return measurement;
  };
}

export const handler = createHandler();
