import * as aws from "@pulumi/aws";
import * as pulumi from "@pulumi/pulumi";
import { beforeAll, describe, expect, it } from "vitest";
import { alarmTopicKeyPolicy, createAlarms, redisMemberQueries } from "../../components/alarms";
import { dashboardBody } from "../../components/dashboard";
import { alarmMetricCount, alarmSpecs, dataTierAlarmSpecs } from "../../sizing/alarms";
import { capture, type Capture } from "../../offline/capture";
import { ACCOUNT } from "../../offline/mocks";
import { planFor } from "../stack";

const MEMBERS = ["ap-test-redis-rg-1a2b3c4-001", "ap-test-redis-rg-1a2b3c4-002"];
const ALARM = "aws:cloudwatch/metricAlarm:MetricAlarm";

describe("createAlarms (data tier, every member of the replication group)", () => {
  let cap: Capture;
  const opts = new Map<string, pulumi.CustomResourceOptions>();
  beforeAll(async () => {
    const plan = planFor("prod");
    cap = await capture(() => {
      pulumi.runtime.registerStackTransformation((a) => {
        opts.set(a.name, a.opts);
        return undefined;
      });
      const provider = new aws.Provider("aws", { region: "us-east-1" });
      const parent = new pulumi.ComponentResource("test:index:Parent", "p", {}, { providers: [provider] });
      createAlarms("ap-test", dataTierAlarmSpecs(plan), { dbInstanceIdentifier: "ap-test-postgres", redisMemberIds: pulumi.output(MEMBERS) }, parent);
    });
  });

  it("encrypts the topic with its own rotated key, never the AWS-managed alias/aws/sns CloudWatch cannot use", () => {
    const key = cap.one("aws:kms/key:Key");
    expect(key.inputs.enableKeyRotation).toBe(true);
    const topic = cap.one("aws:sns/topic:Topic");
    expect(topic.inputs.kmsMasterKeyId).toBe(key.outputs.arn);
    expect(topic.inputs.kmsMasterKeyId).not.toBe("alias/aws/sns");
    const alias = cap.one("aws:kms/alias:Alias");
    expect(alias.inputs).toEqual({ name: "alias/ap-test-alarms", targetKeyId: key.outputs.keyId });
    expect(opts.get(alias.name)).toMatchObject({ deleteBeforeReplace: true });
  });

  it("lets the account administer the key and CloudWatch (from this account) decrypt and generate data keys", () => {
    const policy = JSON.parse(cap.one("aws:kms/key:Key").inputs.policy as string);
    expect(policy).toEqual({
      Version: "2012-10-17",
      Statement: [
        { Sid: "AccountAdministersKey", Effect: "Allow", Principal: { AWS: `arn:aws:iam::${ACCOUNT}:root` }, Action: "kms:*", Resource: "*" },
        {
          Sid: "CloudWatchAlarmsPublish",
          Effect: "Allow",
          Principal: { Service: "cloudwatch.amazonaws.com" },
          Action: ["kms:Decrypt", "kms:GenerateDataKey*"],
          Resource: "*",
          Condition: { StringEquals: { "aws:SourceAccount": ACCOUNT } },
        },
      ],
    });
  });

  it("alarms on the highest Redis member, not on member -001 (which stops being the primary after a failover)", () => {
    const redis = cap.ofType(ALARM).find((a) => a.name.endsWith("-redis-memory-high"))!;
    expect(redis.inputs).not.toHaveProperty("dimensions");
    expect(redis.inputs).not.toHaveProperty("metricName");
    expect(redis.inputs.metricQueries).toEqual([
      {
        id: "m0",
        returnData: false,
        metric: {
          namespace: "AWS/ElastiCache",
          metricName: "DatabaseMemoryUsagePercentage",
          dimensions: { CacheClusterId: MEMBERS[0] },
          period: 300,
          stat: "Maximum",
        },
      },
      {
        id: "m1",
        returnData: false,
        metric: {
          namespace: "AWS/ElastiCache",
          metricName: "DatabaseMemoryUsagePercentage",
          dimensions: { CacheClusterId: MEMBERS[1] },
          period: 300,
          stat: "Maximum",
        },
      },
      { id: "worst", expression: "MAX([m0, m1])", label: "DatabaseMemoryUsagePercentage (highest member)", returnData: true },
    ]);
    expect(redis.inputs).toMatchObject({ comparisonOperator: "GreaterThanThreshold", threshold: 80, evaluationPeriods: 2 });
    const topic = cap.one("aws:sns/topic:Topic").outputs.arn;
    expect(redis.inputs.alarmActions).toEqual([topic]);
  });

  it("keeps single-metric alarms for the database", () => {
    const cpu = cap.ofType(ALARM).find((a) => a.name.endsWith("-db-cpu-high"))!;
    expect(cpu.inputs).toMatchObject({
      namespace: "AWS/RDS",
      metricName: "CPUUtilization",
      dimensions: { DBInstanceIdentifier: "ap-test-postgres" },
      period: 300,
    });
  });
});

describe("redisMemberQueries", () => {
  const spec = dataTierAlarmSpecs(planFor("prod")).find((s) => s.subject === "redis")!;
  it("takes MIN for a low-side alarm and refuses an empty member list", () => {
    const low = { ...spec, comparison: "LessThanThreshold" as const };
    expect(redisMemberQueries(low, ["a-001"]).at(-1)).toMatchObject({ expression: "MIN([m0])" });
    expect(() => redisMemberQueries(spec, [])).toThrow(/no member clusters/);
  });
});

describe("alarmTopicKeyPolicy", () => {
  it("uses the partition of the stack", () => {
    expect(JSON.parse(alarmTopicKeyPolicy("aws-us-gov", "111122223333")).Statement[0].Principal).toEqual({ AWS: "arn:aws-us-gov:iam::111122223333:root" });
  });
});

describe("dashboard Redis widget", () => {
  it("plots every member", () => {
    const body = JSON.parse(dashboardBody({ region: "us-east-1", dbInstanceIdentifier: "db", redisMemberIds: MEMBERS }));
    const redis = body.widgets.find((w: { properties: { title: string } }) => w.properties.title === "Redis");
    expect(redis.properties.metrics.map((m: string[]) => `${m[1]}@${m[3]}`)).toEqual([
      `DatabaseMemoryUsagePercentage@${MEMBERS[0]}`,
      `DatabaseMemoryUsagePercentage@${MEMBERS[1]}`,
      `EngineCPUUtilization@${MEMBERS[0]}`,
      `EngineCPUUtilization@${MEMBERS[1]}`,
    ]);
  });
});

describe("alarmMetricCount", () => {
  it("bills a metric-math alarm per metric it reads: the Redis alarm once per member", () => {
    const prod = planFor("prod");
    expect(prod.redis.replicas).toBe(1);
    expect(alarmMetricCount(prod)).toBe(alarmSpecs(prod).length + 1);
    const staging = planFor("staging");
    expect(alarmMetricCount(staging)).toBe(alarmSpecs(staging).length + staging.redis.replicas);
  });
});
