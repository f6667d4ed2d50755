import { type CloudWatchClient, PutMetricDataCommand } from "@aws-sdk/client-cloudwatch";
import { DescribeServicesCommand, type ECSClient } from "@aws-sdk/client-ecs";
import { GetSecretValueCommand, type SecretsManagerClient } from "@aws-sdk/client-secrets-manager";
import { BACKLOG_KEYS, BACKLOG_PARTS } from "../../queue/keys";
import type { QueueMetricConfig } from "./config";
import { METRIC_BACKLOG, METRIC_BACKLOG_PER_WORKER, METRIC_DIMENSION } from "./contract";
import type { Logger } from "./log";
import { messageOf, readBacklogOnce, readListLengthOnce, type BacklogReading, type RedisFactory } from "./redis";

/** Everything `measure` touches, injected so tests stub AWS with aws-sdk-client-mock and Redis with a factory. */
export interface MeasureDeps {
  readonly config: QueueMetricConfig;
  readonly secretsManager: SecretsManagerClient;
  readonly ecs: ECSClient;
  readonly cloudWatch: CloudWatchClient;
  readonly createRedis: RedisFactory;
  readonly log: Logger;
  /** Kept by the handler across warm invocations so the token is not fetched every minute. */
  readonly tokenCache?: TokenCache;
  readonly now?: () => Date;
}

export interface TokenCache {
  token?: string;
  fetchedAtMs?: number;
}

/** A cached token is re-read after this long, and at once after an auth failure (rotation). */
export const TOKEN_TTL_MS = 15 * 60_000;

/**
 * One measurement. `backlog` (published) = `prioritized` + `wait` + `active`: every job that needs a
 * worker slot, waiting or running; the parts and `parked` are returned and logged so an operator
 * sees why the number is what it is (docs/queue-backlog.md).
 */
export interface Measurement extends BacklogReading {
  /** Running worker tasks (ECS runningCount). */
  readonly running: number;
  /** backlog / max(1, running): the target-tracking metric. */
  readonly backlogPerWorker: number;
}

/** The backlog keys, in the log lines so an operator can read them with redis-cli. */
const LOGGED_KEYS = BACKLOG_PARTS.map((p) => BACKLOG_KEYS[p].key);

export type MeasureStage = "secret" | "redis" | "ecs" | "cloudwatch";

export type MeasureResult = ({ readonly published: true } & Measurement) | { readonly published: false; readonly stage: MeasureStage; readonly error: string };

class StageError extends Error {
  constructor(
    readonly stage: MeasureStage,
    message: string,
  ) {
    super(message);
  }
}

async function authToken(deps: MeasureDeps, nowMs: number): Promise<string | undefined> {
  const arn = deps.config.redisAuthSecretArn;
  if (arn === undefined) return undefined;
  const cache = deps.tokenCache;
  if (cache?.token !== undefined && cache.fetchedAtMs !== undefined && nowMs - cache.fetchedAtMs < TOKEN_TTL_MS) return cache.token;
  let token: string | undefined;
  try {
    token = (await deps.secretsManager.send(new GetSecretValueCommand({ SecretId: arn }))).SecretString;
  } catch (err) {
    throw new StageError("secret", `GetSecretValue ${arn} failed: ${messageOf(err)}`);
  }
  if (token === undefined || token === "") throw new StageError("secret", `secret ${arn} has no SecretString (a plain-text auth token is expected)`);
  if (cache) {
    cache.token = token;
    cache.fetchedAtMs = nowMs;
  }
  return token;
}

async function runningWorkers(deps: MeasureDeps): Promise<number> {
  const { ecsCluster: cluster, ecsService: service } = deps.config;
  try {
    const out = await deps.ecs.send(new DescribeServicesCommand({ cluster, services: [service] }));
    const svc = out.services?.find((s) => s.serviceName === service || s.serviceArn?.endsWith(`/${service}`));
    if (!svc || typeof svc.runningCount !== "number") {
      const why = out.failures?.map((f) => `${f.arn ?? service}: ${f.reason ?? "unknown"}`).join("; ") || "not in the response";
      throw new Error(`service ${service} in cluster ${cluster}: ${why}`);
    }
    return svc.runningCount;
  } catch (err) {
    throw new StageError("ecs", `DescribeServices failed: ${messageOf(err)}`);
  }
}

/**
 * One measurement: backlog (waiting + running jobs) from Redis, running workers from ECS, both
 * metrics to CloudWatch.
 * Any failure publishes nothing at all: a missing data point leaves target tracking where it was
 * (https://docs.aws.amazon.com/autoscaling/application/userguide/target-tracking-scaling-policy-overview.html,
 * "insufficient data"), while a zero would scale the workers in during an outage.
 */
export async function measure(deps: MeasureDeps): Promise<MeasureResult> {
  const now = deps.now?.() ?? new Date();
  const { config, log } = deps;
  try {
    const password = await authToken(deps, now.getTime());
    const [reading, running] = await Promise.all([
      (config.listKey === undefined
        ? readBacklogOnce(deps.createRedis, { host: config.redisHost, port: config.redisPort, tls: config.redisTls, password })
        : readListLengthOnce(deps.createRedis, { host: config.redisHost, port: config.redisPort, tls: config.redisTls, password }, config.listKey)
      ).catch((err: unknown) => {
        if (deps.tokenCache && /WRONGPASS|NOAUTH/.test(messageOf(err))) deps.tokenCache.token = undefined;
        throw new StageError("redis", messageOf(err));
      }),
      runningWorkers(deps),
    ]);
    const m: Measurement = { ...reading, running, backlogPerWorker: reading.backlog / Math.max(1, running) };
    const dimensions = [{ Name: METRIC_DIMENSION, Value: config.ecsService }];
    try {
      await deps.cloudWatch.send(
        new PutMetricDataCommand({
          Namespace: config.metricNamespace,
          MetricData: [
            { MetricName: METRIC_BACKLOG, Dimensions: dimensions, Timestamp: now, Value: m.backlog, Unit: "Count" },
            { MetricName: METRIC_BACKLOG_PER_WORKER, Dimensions: dimensions, Timestamp: now, Value: m.backlogPerWorker, Unit: "Count" },
          ],
        }),
      );
    } catch (err) {
      throw new StageError("cloudwatch", `PutMetricData failed: ${messageOf(err)}`);
    }
    log.info({ msg: "queue metric published", keys: LOGGED_KEYS, namespace: config.metricNamespace, service: config.ecsService, ...m });
    return { published: true, ...m };
  } catch (err) {
    const stage: MeasureStage = err instanceof StageError ? err.stage : "redis";
    const error = messageOf(err);
    log.error({ msg: "queue metric not published", stage, error, keys: LOGGED_KEYS, service: config.ecsService });
    return { published: false, stage, error };
  }
}
