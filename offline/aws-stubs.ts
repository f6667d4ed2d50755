/**
 * AWS clients for the queue-metric tests, stubbed with aws-sdk-client-mock: a Secrets Manager
 * holding the Redis auth token, an ECS service with a running count, and a CloudWatch that
 * records PutMetricData.
 */
import { CloudWatchClient, PutMetricDataCommand } from "@aws-sdk/client-cloudwatch";
import { DescribeServicesCommand, ECSClient } from "@aws-sdk/client-ecs";
import { GetSecretValueCommand, SecretsManagerClient } from "@aws-sdk/client-secrets-manager";
import { mockClient } from "aws-sdk-client-mock";
import type { QueueMetricConfig } from "../functions/queue-metric/config";
import type { Logger } from "../functions/queue-metric/log";

export const SECRET_ARN = "arn:aws:secretsmanager:us-east-1:123456789012:secret:prod-redis-auth-AbCdEf";
export const CLUSTER = "prod-activepieces";
export const SERVICE = "prod-worker";
export const NAMESPACE = "ActivePieces/Queue/prod";

const clientConfig = { region: "us-east-1", credentials: { accessKeyId: "AKIDTEST", secretAccessKey: "test" } };

export function awsStubs(opts: { token: string; running: number }) {
  const secretsManager = new SecretsManagerClient(clientConfig);
  const ecs = new ECSClient(clientConfig);
  const cloudWatch = new CloudWatchClient(clientConfig);
  const sm = mockClient(secretsManager);
  const ecsMock = mockClient(ecs);
  const cw = mockClient(cloudWatch);
  sm.on(GetSecretValueCommand, { SecretId: SECRET_ARN }).resolves({ ARN: SECRET_ARN, SecretString: opts.token });
  ecsMock.on(DescribeServicesCommand, { cluster: CLUSTER, services: [SERVICE] }).resolves({
    services: [
      {
        serviceName: SERVICE,
        serviceArn: `arn:aws:ecs:us-east-1:123456789012:service/${CLUSTER}/${SERVICE}`,
        status: "ACTIVE",
        runningCount: opts.running,
        desiredCount: opts.running,
        pendingCount: 0,
      },
    ],
    failures: [],
  });
  cw.on(PutMetricDataCommand).resolves({});
  return { secretsManager, ecs, cloudWatch, sm, ecsMock, cw };
}

export function baseConfig(over: Partial<QueueMetricConfig> = {}): QueueMetricConfig {
  return {
    redisHost: "127.0.0.1",
    redisPort: 6379,
    redisTls: true,
    redisAuthSecretArn: SECRET_ARN,
    ecsCluster: CLUSTER,
    ecsService: SERVICE,
    metricNamespace: NAMESPACE,
    ...over,
  };
}

/** Keeps every log line, so tests assert what an operator would see. */
export function recordingLogger(): Logger & { lines: Array<{ level: "info" | "error" } & Record<string, unknown>> } {
  const lines: Array<{ level: "info" | "error" } & Record<string, unknown>> = [];
  return {
    lines,
    info: (f) => lines.push({ level: "info", ...f }),
    error: (f) => lines.push({ level: "error", ...f }),
  };
}

/** The PutMetricData input the function must send for a measurement. */
export function expectedPut(backlog: number, perWorker: number, timestamp: Date) {
  const Dimensions = [{ Name: "Service", Value: SERVICE }];
  return {
    Namespace: NAMESPACE,
    MetricData: [
      { MetricName: "Backlog", Dimensions, Timestamp: timestamp, Value: backlog, Unit: "Count" },
      { MetricName: "BacklogPerWorker", Dimensions, Timestamp: timestamp, Value: perWorker, Unit: "Count" },
    ],
  };
}
