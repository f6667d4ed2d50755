import { QUEUE_METRIC_ENV, QUEUE_METRIC_NAMESPACE_DEFAULT } from "./contract";

/** What the function needs to know, read once from its environment (see contract.ts). */
export interface QueueMetricConfig {
  readonly redisHost: string;
  readonly redisPort: number;
  readonly redisTls: boolean;
  /** Secrets Manager ARN of the Redis auth token; undefined connects without AUTH. */
  readonly redisAuthSecretArn?: string;
  readonly ecsCluster: string;
  readonly ecsService: string;
  readonly metricNamespace: string;
  /** When set, the backlog is the length of this Redis list (QUEUE_METRIC_ENV.listKey). */
  readonly listKey?: string;
}

/** Every problem with the environment at once, one line each: variable, value given, what is allowed. */
export class QueueMetricConfigError extends Error {
  constructor(readonly problems: readonly string[]) {
    super(`invalid queue-metric environment:\n${problems.map((p) => `  - ${p}`).join("\n")}`);
    this.name = "QueueMetricConfigError";
  }
}

function shown(v: string | undefined): string {
  return v === undefined ? "nothing" : JSON.stringify(v);
}

/**
 * Reads the environment the Fargate component sets. TLS is on unless REDIS_TLS is exactly "false":
 * ElastiCache only accepts an auth token over TLS, and a typo must not send it in clear text.
 */
export function loadConfig(env: Readonly<Record<string, string | undefined>>): QueueMetricConfig {
  const problems: string[] = [];
  const E = QUEUE_METRIC_ENV;
  const required = (name: string): string => {
    const v = env[name]?.trim();
    if (!v) problems.push(`${name}: required, a non-empty string (got ${shown(env[name])})`);
    return v ?? "";
  };

  const redisHost = required(E.redisHost);
  const ecsCluster = required(E.ecsCluster);
  const ecsService = required(E.ecsService);

  const portText = env[E.redisPort]?.trim() || "6379";
  const redisPort = Number(portText);
  if (!/^\d+$/.test(portText) || redisPort < 1 || redisPort > 65535) {
    problems.push(`${E.redisPort}: an integer port 1..65535 (got ${shown(env[E.redisPort])})`);
  }

  const tlsText = env[E.redisTls]?.trim() ?? "true";
  if (tlsText !== "true" && tlsText !== "false") {
    problems.push(`${E.redisTls}: "true" or "false" (got ${shown(env[E.redisTls])})`);
  }

  const arn = env[E.redisAuthSecretArn]?.trim() || undefined;
  if (arn !== undefined && !/^arn:aws[a-z-]*:secretsmanager:[a-z0-9-]+:\d{12}:secret:.+$/.test(arn)) {
    problems.push(`${E.redisAuthSecretArn}: a Secrets Manager secret ARN (got ${shown(arn)})`);
  }

  if (problems.length > 0) throw new QueueMetricConfigError(problems);
  return {
    redisHost,
    redisPort,
    redisTls: tlsText !== "false",
    redisAuthSecretArn: arn,
    ecsCluster,
    ecsService,
    metricNamespace: env[E.metricNamespace]?.trim() || QUEUE_METRIC_NAMESPACE_DEFAULT,
    ...(env[E.listKey]?.trim() ? { listKey: env[E.listKey]!.trim() } : {}),
  };
}
