import { describe, expect, it } from "vitest";
import { QueueMetricConfigError, loadConfig } from "../../functions/queue-metric/config";
import { QUEUE_METRIC_ENV as E } from "../../functions/queue-metric/contract";

const ARN = "arn:aws:secretsmanager:eu-west-1:123456789012:secret:staging-redis-auth-Q1w2E3";
const good = {
  [E.redisHost]: "master.staging-redis.x1y2z3.euw1.cache.amazonaws.com",
  [E.redisPort]: "6379",
  [E.redisTls]: "true",
  [E.redisAuthSecretArn]: ARN,
  [E.ecsCluster]: "staging-activepieces",
  [E.ecsService]: "staging-worker",
  [E.metricNamespace]: "ActivePieces/Queue/staging",
};

describe("queue-metric environment", () => {
  it("reads the variables the Fargate component sets", () => {
    expect(loadConfig(good)).toEqual({
      redisHost: "master.staging-redis.x1y2z3.euw1.cache.amazonaws.com",
      redisPort: 6379,
      redisTls: true,
      redisAuthSecretArn: ARN,
      ecsCluster: "staging-activepieces",
      ecsService: "staging-worker",
      metricNamespace: "ActivePieces/Queue/staging",
    });
  });

  it("keeps TLS on when REDIS_TLS is unset, and defaults port and namespace", () => {
    const { [E.redisTls]: _tls, [E.redisPort]: _port, [E.metricNamespace]: _ns, ...rest } = good;
    expect(loadConfig(rest)).toMatchObject({ redisTls: true, redisPort: 6379, metricNamespace: "ActivePieces/Queue" });
  });

  it('turns TLS off only for exactly "false"', () => {
    expect(loadConfig({ ...good, [E.redisTls]: "false" }).redisTls).toBe(false);
    expect(() => loadConfig({ ...good, [E.redisTls]: "no" })).toThrow(`${E.redisTls}: "true" or "false" (got "no")`);
    expect(() => loadConfig({ ...good, [E.redisTls]: "TRUE" })).toThrow(QueueMetricConfigError);
  });

  it("lists every problem at once, with the value given", () => {
    let caught: unknown;
    try {
      loadConfig({ [E.redisPort]: "70000", [E.redisAuthSecretArn]: "prod-redis-auth" });
    } catch (err) {
      caught = err;
    }
    expect(caught).toBeInstanceOf(QueueMetricConfigError);
    expect((caught as QueueMetricConfigError).problems).toEqual([
      `${E.redisHost}: required, a non-empty string (got nothing)`,
      `${E.ecsCluster}: required, a non-empty string (got nothing)`,
      `${E.ecsService}: required, a non-empty string (got nothing)`,
      `${E.redisPort}: an integer port 1..65535 (got "70000")`,
      `${E.redisAuthSecretArn}: a Secrets Manager secret ARN (got "prod-redis-auth")`,
    ]);
  });
});
