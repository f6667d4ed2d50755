/**
 * Time of the offline policy check over generated stack exports of 1,000, 5,000 and 20,000
 * resources: repeated ActivePieces-shaped groups (cluster, task definitions, services, scaling,
 * Postgres, Redis, S3, security groups, listeners) padded with IAM, log and alarm resources, with a
 * few violations sprinkled in. Target: <= 1 s at 5,000 resources and <= 4.5x that at 20,000.
 * Then the start-up of the policy CLI (`npm run policy` runs cli/run-policy-check.cjs) on an empty
 * export against loading @pulumi/policy alone, each in a fresh process, interleaved so both see the
 * same machine load. Target: median ratio <= 1.5.
 *
 *   npx tsx bench/policy.ts [runs] [start-up runs]
 */
import { spawnSync } from "node:child_process";
import { mkdtempSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import * as path from "node:path";
import { checkStackExport, type StackExportResource, type StackExportV3 } from "../policies/engine/check";
import { PULUMI_VERSION } from "../policies/engine/sdk-pulumi";

const runs = Number(process.argv[2] ?? 3);
const ACCOUNT = "123456789012";
const REGION = "us-east-1";
const STACK = "bench";
const PROVIDER = `urn:pulumi:${STACK}::bench::pulumi:providers:aws::default_7_48_0`;
const STACK_URN = `urn:pulumi:${STACK}::bench::pulumi:pulumi:Stack::bench-${STACK}`;

function res(type: string, name: string, inputs: Record<string, unknown>, extra: Record<string, unknown> = {}): StackExportResource {
  return {
    urn: `urn:pulumi:${STACK}::bench::${type}::${name}`,
    custom: true,
    id: `${name}-id`,
    type,
    inputs,
    outputs: { ...inputs, region: REGION, ...extra },
    parent: STACK_URN,
    provider: `${PROVIDER}::provider-id`,
  };
}

function container(role: string, g: number, env: Record<string, string>, secrets: Record<string, string>): string {
  return JSON.stringify([
    {
      name: role,
      image: "ghcr.io/activepieces/activepieces:0.79.0",
      essential: true,
      environment: Object.entries(env).map(([name, value]) => ({ name, value })),
      secrets: Object.entries(secrets).map(([name, valueFrom]) => ({ name, valueFrom })),
      logConfiguration: { logDriver: "awslogs", options: { "awslogs-group": `/ecs/g${g}/${role}`, "awslogs-region": REGION, "awslogs-stream-prefix": role } },
    },
  ]);
}

/** One ActivePieces deployment: 25 resources. Every 7th group carries a violation. */
function group(g: number): StackExportResource[] {
  const p = `g${g}`;
  const db = `${p}-db.abc.${REGION}.rds.amazonaws.com`;
  const sm = (n: string) => `arn:aws:secretsmanager:${REGION}:${ACCOUNT}:secret:${p}-${n}-AbC123`;
  const td = (role: string, cpu: string, mem: string, def: string) =>
    res(
      "aws:ecs/taskDefinition:TaskDefinition",
      `${p}-${role}`,
      {
        family: `${p}-${role}`,
        cpu,
        memory: mem,
        networkMode: "awsvpc",
        requiresCompatibilities: ["FARGATE"],
        containerDefinitions: def,
      },
      { arn: `arn:aws:ecs:${REGION}:${ACCOUNT}:task-definition/${p}-${role}:1`, revision: 1 },
    );
  const appEnv: Record<string, string> = {
    AP_CONTAINER_TYPE: "APP",
    AP_POSTGRES_HOST: db,
    AP_POSTGRES_POOL_SIZE: "10",
    AP_EXECUTION_MODE: "SANDBOX_CODE_ONLY",
  };
  if (g % 7 === 3) appEnv.DB_PASSWORD = "plaintext";
  const svc = (role: string, desired: number) =>
    res("aws:ecs/service:Service", `${p}-${role}-svc`, {
      name: `${p}-${role}`,
      cluster: `arn:aws:ecs:${REGION}:${ACCOUNT}:cluster/${p}`,
      taskDefinition: `arn:aws:ecs:${REGION}:${ACCOUNT}:task-definition/${p}-${role}:1`,
      desiredCount: desired,
    });
  return [
    res("aws:ecs/cluster:Cluster", p, { name: p }, { arn: `arn:aws:ecs:${REGION}:${ACCOUNT}:cluster/${p}` }),
    td("app", "1024", "2048", container("app", g, appEnv, { AP_ENCRYPTION_KEY: sm("enc"), AP_JWT_SECRET: sm("jwt"), AP_POSTGRES_PASSWORD: sm("db") })),
    td(
      "worker",
      "512",
      g % 7 === 5 ? "3000" : "1024",
      container("worker", g, { AP_CONTAINER_TYPE: "WORKER", AP_WORKER_CONCURRENCY: "1" }, { AP_WORKER_TOKEN: sm("token") }),
    ),
    svc("app", 2),
    svc("worker", 10),
    res("aws:appautoscaling/target:Target", `${p}-app-target`, {
      serviceNamespace: "ecs",
      scalableDimension: "ecs:service:DesiredCount",
      resourceId: `service/${p}/${p}-app`,
      minCapacity: 2,
      maxCapacity: 4,
    }),
    res("aws:rds/parameterGroup:ParameterGroup", `${p}-pg`, { name: `${p}-pg`, family: "postgres16", parameters: [{ name: "rds.force_ssl", value: "1" }] }),
    res(
      "aws:rds/instance:Instance",
      `${p}-db`,
      {
        engine: "postgres",
        instanceClass: "db.t4g.small",
        manageMasterUserPassword: true,
        storageEncrypted: true,
        publiclyAccessible: g % 7 === 1,
        backupRetentionPeriod: 7,
        parameterGroupName: `${p}-pg`,
      },
      { address: db },
    ),
    res("aws:elasticache/parameterGroup:ParameterGroup", `${p}-redis-pg`, {
      name: `${p}-redis-pg`,
      family: "redis7",
      parameters: [{ name: "maxmemory-policy", value: "noeviction" }],
    }),
    res("aws:elasticache/replicationGroup:ReplicationGroup", `${p}-redis`, {
      transitEncryptionEnabled: true,
      atRestEncryptionEnabled: true,
      parameterGroupName: `${p}-redis-pg`,
    }),
    res("aws:s3/bucket:Bucket", `${p}-files`, { bucket: `${p}-files` }, { bucketRegion: REGION }),
    res("aws:s3/bucketPublicAccessBlock:BucketPublicAccessBlock", `${p}-pab`, {
      bucket: `${p}-files`,
      blockPublicAcls: true,
      blockPublicPolicy: true,
      ignorePublicAcls: true,
      restrictPublicBuckets: true,
    }),
    res("aws:s3/bucketServerSideEncryptionConfiguration:BucketServerSideEncryptionConfiguration", `${p}-sse`, {
      bucket: `${p}-files`,
      rules: [{ applyServerSideEncryptionByDefault: { sseAlgorithm: "AES256" } }],
    }),
    res("aws:ec2/securityGroup:SecurityGroup", `${p}-db-sg`, {
      vpcId: "vpc-1",
      ingress: [{ protocol: "tcp", fromPort: 5432, toPort: 5432, securityGroups: ["sg-app"] }],
    }),
    res("aws:vpc/securityGroupIngressRule:SecurityGroupIngressRule", `${p}-redis-in`, {
      securityGroupId: "sg-redis",
      referencedSecurityGroupId: "sg-app",
      ipProtocol: "tcp",
      fromPort: 6379,
      toPort: 6379,
    }),
    res("aws:lb/listener:Listener", `${p}-https`, { port: 443, protocol: "HTTPS", defaultActions: [{ type: "forward", targetGroupArn: "arn:tg" }] }),
    ...["exec", "task"].flatMap((r) => [
      res("aws:iam/role:Role", `${p}-${r}-role`, {
        assumeRolePolicy: JSON.stringify({
          Version: "2012-10-17",
          Statement: [{ Effect: "Allow", Principal: { Service: "ecs-tasks.amazonaws.com" }, Action: "sts:AssumeRole" }],
        }),
      }),
      res("aws:iam/rolePolicyAttachment:RolePolicyAttachment", `${p}-${r}-attach`, {
        role: `${p}-${r}-role`,
        policyArn: "arn:aws:iam::aws:policy/service-role/AmazonECSTaskExecutionRolePolicy",
      }),
    ]),
    res("aws:cloudwatch/logGroup:LogGroup", `${p}-app-logs`, { name: `/ecs/${p}/app`, retentionInDays: 30 }),
    res("aws:cloudwatch/logGroup:LogGroup", `${p}-worker-logs`, { name: `/ecs/${p}/worker`, retentionInDays: 30 }),
    res("aws:cloudwatch/metricAlarm:MetricAlarm", `${p}-cpu`, {
      comparisonOperator: "GreaterThanThreshold",
      evaluationPeriods: 3,
      metricName: "CPUUtilization",
      namespace: "AWS/ECS",
      period: 60,
      statistic: "Average",
      threshold: 80,
    }),
    res("aws:cloudwatch/metricAlarm:MetricAlarm", `${p}-db-conn`, {
      comparisonOperator: "GreaterThanThreshold",
      evaluationPeriods: 3,
      metricName: "DatabaseConnections",
      namespace: "AWS/RDS",
      period: 60,
      statistic: "Maximum",
      threshold: 150,
    }),
    res("aws:secretsmanager/secret:Secret", `${p}-enc`, { name: `${p}-enc` }),
  ];
}

function generate(size: number): StackExportV3 {
  const resources: StackExportResource[] = [
    { urn: STACK_URN, custom: false, type: "pulumi:pulumi:Stack", outputs: {} },
    { urn: PROVIDER, custom: true, id: "provider-id", type: "pulumi:providers:aws", inputs: { region: REGION }, outputs: { region: REGION } },
  ];
  for (let g = 0; resources.length < size; g++) resources.push(...group(g));
  return { version: 3, deployment: { manifest: { time: new Date(0).toISOString(), magic: "", version: PULUMI_VERSION }, resources: resources.slice(0, size) } };
}

async function main(): Promise<void> {
  await checkStackExport(generate(500)); // load modules and warm the JIT
  const results: Record<number, number> = {};
  for (const size of [1000, 5000, 20000]) {
    const doc = generate(size);
    const times: number[] = [];
    let violations = 0;
    for (let i = 0; i < runs; i++) {
      const start = process.hrtime.bigint();
      violations = (await checkStackExport(doc)).violations.length;
      times.push(Number(process.hrtime.bigint() - start) / 1e6);
    }
    const best = Math.min(...times);
    results[size] = best;
    console.log(
      `${String(size).padStart(6)} resources  best ${best.toFixed(0).padStart(5)} ms  (runs: ${times.map((t) => t.toFixed(0)).join(", ")}; ${violations} violations)`,
    );
  }
  const ratio = results[20000]! / results[5000]!;
  console.log(
    `target: 5,000 <= 1000 ms: ${results[5000]! <= 1000 ? "met" : "MISSED"}; 20,000 / 5,000 = ${ratio.toFixed(2)}x (<= 4.5x): ${ratio <= 4.5 ? "met" : "MISSED"}`,
  );
  startup(Number(process.argv[3] ?? 7));
}

function median(xs: readonly number[]): number {
  const s = [...xs].sort((a, b) => a - b);
  return s.length % 2 === 1 ? s[(s.length - 1) / 2]! : (s[s.length / 2 - 1]! + s[s.length / 2]!) / 2;
}

/** Wall time of one fresh process, in ms; throws when it fails. */
function timed(args: readonly string[], cwd: string): number {
  const start = process.hrtime.bigint();
  const r = spawnSync(process.execPath, args, { cwd, encoding: "utf8" });
  const ms = Number(process.hrtime.bigint() - start) / 1e6;
  if (r.status !== 0) throw new Error(`node ${args.join(" ")} exited ${r.status}: ${r.stderr}`);
  return ms;
}

function startup(runs: number): void {
  const root = path.join(__dirname, "..");
  const empty = path.join(mkdtempSync(path.join(tmpdir(), "policy-bench-")), "empty.json");
  writeFileSync(empty, JSON.stringify({ version: 3, deployment: { resources: [] } }));
  const commands = {
    "node -e \"require('@pulumi/policy')\"": ["-e", "require('@pulumi/policy')"],
    "policy CLI (cli/run-policy-check.cjs) on an empty export": [path.join("cli", "run-policy-check.cjs"), "check", "--file", empty],
  };
  // One untimed run each: the CLI builds its bundle on a first run after a source change.
  for (const args of Object.values(commands)) timed(args, root);
  const times = new Map<string, number[]>(Object.keys(commands).map((k) => [k, []]));
  for (let i = 0; i < runs; i++) {
    for (const [name, args] of Object.entries(commands)) times.get(name)!.push(timed(args, root));
  }
  const [base, cli] = [...times.values()].map(median) as [number, number];
  for (const [name, xs] of times)
    console.log(`${name.padEnd(58)} median ${median(xs).toFixed(0).padStart(5)} ms  (runs: ${xs.map((t) => t.toFixed(0)).join(", ")})`);
  const ratio = cli / base;
  console.log(`start-up ratio: ${ratio.toFixed(2)}x (<= 1.5x): ${ratio <= 1.5 ? "met" : "MISSED"}`);
}

void main();
