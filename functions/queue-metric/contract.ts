/**
 * The interface between the queue-metric function and the infrastructure that deploys it:
 * environment variable names it reads and the CloudWatch metric it publishes. The Fargate
 * scaling policy and alarms import these, so the two sides cannot drift.
 */
export const QUEUE_METRIC_ENV = {
  redisHost: "REDIS_HOST",
  redisPort: "REDIS_PORT",
  /** "true" to connect with TLS (rediss). */
  redisTls: "REDIS_TLS",
  /** Secrets Manager ARN of the Redis auth token (plain string secret). */
  redisAuthSecretArn: "REDIS_AUTH_SECRET_ARN",
  ecsCluster: "ECS_CLUSTER",
  ecsService: "ECS_SERVICE",
  metricNamespace: "METRIC_NAMESPACE",
  /**
   * Optional: a Redis list whose length is the backlog (workload profiles' `queue` scaling on a
   * named key), instead of ActivePieces' BullMQ backlog keys (queue/keys.ts). Not `..._KEY`: the
   * policy pack reads a variable named KEY as a possible secret.
   */
  listKey: "QUEUE_LIST_NAME",
} as const;

export const QUEUE_METRIC_NAMESPACE_DEFAULT = "ActivePieces/Queue";
/**
 * Jobs that need a worker slot: waiting (prioritized lanes 1-5 + the `:wait` list) plus running
 * (`:active`); queue/keys.ts BACKLOG_KEYS, docs/queue-backlog.md.
 */
export const METRIC_BACKLOG = "Backlog";
/** Backlog divided by running workers (max(1, running)): the target-tracking metric. */
export const METRIC_BACKLOG_PER_WORKER = "BacklogPerWorker";
/** Dimension identifying the worker service the metric belongs to. */
export const METRIC_DIMENSION = "Service";
/** How often the function runs (EventBridge schedule). */
export const QUEUE_METRIC_SCHEDULE = "rate(1 minute)";
