import { X509Certificate } from "node:crypto";
import * as aws from "@pulumi/aws";
import * as pulumi from "@pulumi/pulumi";
import { beforeAll, describe, expect, it } from "vitest";
import { accessLogPolicyDocument, ELB_LOG_DELIVERY_SERVICE, logDeliveryPrincipal } from "../../components/alb-logs";
import { FARGATE_PLATFORM_VERSION, serviceDependencies } from "../../components/fargate/service";
import { ImageArchitectureCheck } from "../../components/image-check";
import { METRIC_BACKLOG_PER_WORKER, QUEUE_METRIC_ENV } from "../../functions/queue-metric/contract";
import type { Plan } from "../../sizing/types";
import { buildStack } from "../../stack";
import { capture, type Capture } from "../../offline/capture";
import { ACCOUNT } from "../../offline/mocks";
import { captureStack, containers, planFor } from "../stack";

/** Captures the stack and the resource options of every resource (components included), by name. */
async function captureWithOptions(p: Plan): Promise<{ cap: Capture; opts: Map<string, pulumi.ResourceOptions> }> {
  const opts = new Map<string, pulumi.ResourceOptions>();
  const cap = await capture(
    () => {
      pulumi.runtime.registerStackTransformation((a) => {
        opts.set(a.name, a.opts);
        return undefined;
      });
      return buildStack(p, "test");
    },
    { stack: "test" },
  );
  return { cap, opts };
}

const SECRET_ARN = /^arn:aws:secretsmanager:us-east-1:123456789012:secret:[^:]+(:password::)?$/;
type Env = { name: string; value: string }[];
type Secrets = { name: string; valueFrom: string }[];

describe("FargateSplit (prod)", () => {
  let cap: Capture;
  beforeAll(async () => {
    cap = await captureStack(planFor("prod"));
  });

  describe("ECS cluster", () => {
    it("has Container Insights on and both Fargate capacity providers", () => {
      expect(cap.one("aws:ecs/cluster:Cluster").inputs.settings).toEqual([{ name: "containerInsights", value: "enabled" }]);
      expect(cap.one("aws:ecs/clusterCapacityProviders:ClusterCapacityProviders").inputs.capacityProviders).toEqual(["FARGATE", "FARGATE_SPOT"]);
    });
  });

  describe("app service", () => {
    it("runs on on-demand FARGATE only, never with launchType", () => {
      const svc = cap.one("aws:ecs/service:Service", "-app-service");
      expect(svc.inputs.capacityProviderStrategies).toEqual([{ capacityProvider: "FARGATE", base: 0, weight: 1 }]);
      expect(svc.inputs.launchType).toBeUndefined();
      expect(svc.inputs.desiredCount).toBe(5);
    });

    it("runs in private subnets without public IPs, behind the ALB on port 80, with rollback", () => {
      const svc = cap.one("aws:ecs/service:Service", "-app-service");
      const vpc = cap.one("awsx:ec2:Vpc");
      expect(svc.inputs.networkConfiguration).toMatchObject({ assignPublicIp: false, subnets: vpc.outputs.privateSubnetIds });
      expect(svc.inputs.deploymentCircuitBreaker).toEqual({ enable: true, rollback: true });
      expect((svc.inputs.loadBalancers as { containerPort: number }[])[0]!.containerPort).toBe(80);
    });

    it("passes every secret as a Secrets Manager valueFrom and none in environment", () => {
      const [c] = containers(cap, "-app-task");
      const env = c!.environment as Env;
      const secrets = c!.secrets as Secrets;
      expect(secrets.map((s) => s.name).sort()).toEqual(["AP_ENCRYPTION_KEY", "AP_JWT_SECRET", "AP_POSTGRES_PASSWORD", "AP_REDIS_PASSWORD"]);
      for (const s of secrets) expect(s.valueFrom).toMatch(SECRET_ARN);
      expect(secrets.find((s) => s.name === "AP_POSTGRES_PASSWORD")!.valueFrom).toMatch(/:password::$/);
      expect(env.map((e) => e.name).filter((n) => /PASSWORD|SECRET|TOKEN|_KEY$/.test(n))).toEqual([]);
    });

    it("connects to Postgres and Redis over TLS, with the planned pool and heap", () => {
      const env = Object.fromEntries((containers(cap, "-app-task")[0]!.environment as Env).map((e) => [e.name, e.value]));
      expect(env).toMatchObject({
        AP_CONTAINER_TYPE: "APP",
        AP_POSTGRES_USE_SSL: "true",
        AP_REDIS_USE_SSL: "true",
        AP_REDIS_TYPE: "STANDALONE",
        AP_POSTGRES_POOL_SIZE: "10",
        NODE_OPTIONS: "--max-old-space-size=1472",
        AP_FILE_STORAGE_LOCATION: "S3",
        AP_S3_USE_IRSA: "true",
        AP_S3_USE_SIGNED_URLS: "true",
        AP_S3_REGION: "us-east-1",
        AP_FRONTEND_URL: "https://flows.example.com",
        AP_CLIENT_REAL_IP_HEADER: "x-forwarded-for",
        // 0.83 reads the engine heap in KB, on the app, which sends it to workers.
        AP_SANDBOX_MEMORY_LIMIT: String(448 * 1024),
      });
      // The Amazon RDS CAs of the stack's region, which Node's store lacks: without them TLS to RDS fails.
      expect(env.AP_POSTGRES_SSL_CA).toContain("-----BEGIN CERTIFICATE-----");
      expect(new X509Certificate(env.AP_POSTGRES_SSL_CA!).subject).toContain("Amazon RDS us-east-1 Root CA");
    });

    it("checks its readiness endpoint in the container and stays under the 64 KiB task definition limit", () => {
      const [c] = containers(cap, "-app-task");
      expect(c!.healthCheck).toMatchObject({
        command: ["CMD", "node", "-e", expect.stringContaining('"http://127.0.0.1:80/api/v1/health"')],
        startPeriod: 180,
      });
      const td = cap.one("aws:ecs/taskDefinition:TaskDefinition", "-app-task");
      expect(Buffer.byteLength(td.inputs.containerDefinitions as string)).toBeLessThan(64 * 1024);
    });

    it("serves the app to workers over ECS Service Connect under its internal name", () => {
      const svc = cap.one("aws:ecs/service:Service", "-app-service");
      const ns = cap.one("aws:servicediscovery/httpNamespace:HttpNamespace");
      expect(svc.inputs.serviceConnectConfiguration).toEqual({
        enabled: true,
        namespace: ns.outputs.arn,
        services: [{ portName: "http", discoveryName: "activepieces-app", clientAlias: [{ port: 80, dnsName: "activepieces-app" }] }],
      });
      expect(containers(cap, "-app-task")[0]!.portMappings).toEqual([{ containerPort: 80, protocol: "tcp", name: "http" }]);
    });
  });

  describe("worker service", () => {
    it("runs on FARGATE_SPOT with the full 120 s stop timeout and no load balancer", () => {
      const svc = cap.one("aws:ecs/service:Service", "-worker-service");
      expect(svc.inputs.capacityProviderStrategies).toEqual([{ capacityProvider: "FARGATE_SPOT", base: 0, weight: 1 }]);
      expect(svc.inputs.launchType).toBeUndefined();
      expect(svc.inputs.loadBalancers).toBeUndefined();
      expect(svc.inputs.desiredCount).toBe(50);
      const [c] = containers(cap, "-worker-task");
      expect(c!.stopTimeout).toBe(120);
      // 0.83's worker health endpoint always answers 200: a liveness check with a short start period.
      expect(c!.healthCheck).toMatchObject({ command: ["CMD", "node", "-e", expect.stringContaining('"http://127.0.0.1:80/v1/health"')], startPeriod: 30 });
      expect(c!.portMappings).toEqual([{ containerPort: 80, protocol: "tcp" }]);
    });

    it("reaches the app as a Service Connect client, never through the public URL", () => {
      const svc = cap.one("aws:ecs/service:Service", "-worker-service");
      const ns = cap.one("aws:servicediscovery/httpNamespace:HttpNamespace");
      expect(svc.inputs.serviceConnectConfiguration).toEqual({ enabled: true, namespace: ns.outputs.arn });
      const env = Object.fromEntries((containers(cap, "-worker-task")[0]!.environment as Env).map((e) => [e.name, e.value]));
      expect(env.AP_FRONTEND_URL).toBe("http://activepieces-app:80");
    });

    it("gets only its worker token as a secret, concurrency 1, and an arm64 0.5 vCPU / 1 GB task", () => {
      const [c] = containers(cap, "-worker-task");
      expect(c!.secrets).toEqual([{ name: "AP_WORKER_TOKEN", valueFrom: expect.stringMatching(SECRET_ARN) }]);
      const env = Object.fromEntries((c!.environment as Env).map((e) => [e.name, e.value]));
      expect(env).toMatchObject({ AP_CONTAINER_TYPE: "WORKER", AP_WORKER_CONCURRENCY: "1", NODE_OPTIONS: "--max-old-space-size=256" });
      expect(Object.keys(env).filter((k) => k.startsWith("AP_POSTGRES") || k.startsWith("AP_REDIS") || k.startsWith("AP_S3"))).toEqual([]);
      const td = cap.one("aws:ecs/taskDefinition:TaskDefinition", "-worker-task");
      expect(td.inputs).toMatchObject({
        cpu: "512",
        memory: "1024",
        requiresCompatibilities: ["FARGATE"],
        networkMode: "awsvpc",
        runtimePlatform: { cpuArchitecture: "ARM64", operatingSystemFamily: "LINUX" },
      });
    });

    it("has an execution role that can read only the worker token", () => {
      const policy = JSON.parse(cap.one("aws:iam/rolePolicy:RolePolicy", "-worker-exec-secrets").inputs.policy as string);
      const [c] = containers(cap, "-worker-task");
      expect(policy.Statement).toEqual([
        { Sid: "ReadOwnSecrets", Effect: "Allow", Action: ["secretsmanager:GetSecretValue"], Resource: [(c!.secrets as Secrets)[0]!.valueFrom] },
      ]);
    });

    it("is static for peak: no autoscaling target", () => {
      expect(cap.ofType("aws:appautoscaling/target:Target").map((t) => t.name)).toEqual([expect.stringMatching(/-app-scaling-target$/)]);
    });
  });

  describe("app autoscaling", () => {
    it("tracks CPU 70% and ALB requests per target, 60 s out / 300 s in", () => {
      const target = cap.one("aws:appautoscaling/target:Target");
      expect(target.inputs).toMatchObject({ minCapacity: 5, maxCapacity: 10, scalableDimension: "ecs:service:DesiredCount" });
      const cpu = cap.one("aws:appautoscaling/policy:Policy", "-cpu").inputs.targetTrackingScalingPolicyConfiguration;
      expect(cpu).toMatchObject({
        targetValue: 70,
        scaleOutCooldown: 60,
        scaleInCooldown: 300,
        predefinedMetricSpecification: { predefinedMetricType: "ECSServiceAverageCPUUtilization" },
      });
      const req = cap.one("aws:appautoscaling/policy:Policy", "-requests").inputs.targetTrackingScalingPolicyConfiguration as {
        targetValue: number;
        predefinedMetricSpecification: { predefinedMetricType: string; resourceLabel: string };
      };
      expect(req.targetValue).toBe(1000);
      expect(req.predefinedMetricSpecification.predefinedMetricType).toBe("ALBRequestCountPerTarget");
      const lb = cap.one("aws:lb/loadBalancer:LoadBalancer").outputs.arnSuffix;
      const tg = cap.one("aws:lb/targetGroup:TargetGroup").outputs.arnSuffix;
      expect(req.predefinedMetricSpecification.resourceLabel).toBe(`${lb}/${tg}`);
    });
  });

  describe("load balancer", () => {
    it("serves HTTPS with a modern TLS policy and redirects HTTP", () => {
      const https = cap.one("aws:lb/listener:Listener", "-https");
      expect(https.inputs).toMatchObject({ port: 443, protocol: "HTTPS", sslPolicy: "ELBSecurityPolicy-TLS13-1-2-2021-06" });
      expect(cap.one("aws:lb/listener:Listener", "-http-redirect").inputs.defaultActions).toEqual([
        { type: "redirect", redirect: { protocol: "HTTPS", port: "443", statusCode: "HTTP_301" } },
      ]);
      expect(cap.one("aws:lb/loadBalancer:LoadBalancer").inputs).toMatchObject({ internal: false, dropInvalidHeaderFields: true });
    });

    it("health-checks the app on /api/v1/health", () => {
      expect(cap.one("aws:lb/targetGroup:TargetGroup").inputs.healthCheck).toMatchObject({ path: "/api/v1/health", matcher: "200" });
    });

    it("lets only the ALB reach the app tasks", () => {
      const rule = cap.one("aws:vpc/securityGroupIngressRule:SecurityGroupIngressRule", "-app-from-alb");
      expect(rule.inputs).toMatchObject({ fromPort: 80, toPort: 80, ipProtocol: "tcp" });
      expect(rule.inputs.cidrIpv4).toBeUndefined();
      expect(rule.inputs.referencedSecurityGroupId).toMatch(/^sg-/);
    });
  });

  describe("alarms and dashboard", () => {
    it("alarms on capacity, CPU, unhealthy hosts, 5xx, database and Redis", () => {
      const names = cap
        .ofType("aws:cloudwatch/metricAlarm:MetricAlarm")
        .map((a) => a.name.replace(/^ap-test-/, ""))
        .sort();
      expect(names).toEqual([
        "app-5xx",
        "app-at-max-capacity",
        "app-cpu-high",
        "app-unhealthy-hosts",
        "db-connections-high",
        "db-cpu-high",
        "db-storage-low",
        "redis-memory-high",
        "worker-below-peak",
        "worker-cpu-high",
      ]);
      const atMax = cap.one("aws:cloudwatch/metricAlarm:MetricAlarm", "-app-at-max-capacity").inputs;
      expect(atMax).toMatchObject({ namespace: "ECS/ContainerInsights", metricName: "RunningTaskCount", threshold: 10 });
    });

    it("renders a dashboard with the app CPU target", () => {
      const body = JSON.parse(cap.one("aws:cloudwatch/dashboard:Dashboard").inputs.dashboardBody as string);
      expect(body).toMatchSnapshot();
    });
  });
});

describe("FargateSplit deploy-time ordering and replacement (prod)", () => {
  let cap: Capture;
  let opts: Map<string, pulumi.ResourceOptions>;
  beforeAll(async () => {
    ({ cap, opts } = await captureWithOptions(planFor("prod")));
  });
  const dependsOn = (name: string) => (opts.get(name)?.dependsOn ?? []) as pulumi.Resource[];

  it("creates each service only after the cluster's capacity providers and the image check", () => {
    for (const role of ["app", "worker"]) {
      const deps = dependsOn(`ap-test-${role}`);
      expect(deps.filter((d) => d instanceof aws.ecs.ClusterCapacityProviders)).toHaveLength(1);
      expect(deps.filter((d) => d instanceof ImageArchitectureCheck)).toHaveLength(1);
      expect(deps.filter((d) => d instanceof aws.lb.Listener)).toHaveLength(2);
    }
    expect(dependsOn("ap-test-worker").some((d) => d.constructor.name === "RoleService")).toBe(true);
  });

  it("pins Fargate platform version 1.4.0 (FARGATE_SPOT runs ARM64 from 1.4.0 on)", () => {
    expect(FARGATE_PLATFORM_VERSION).toBe("1.4.0");
    for (const svc of cap.ofType("aws:ecs/service:Service")) expect(svc.inputs.platformVersion).toBe("1.4.0");
  });

  it("checks the image's architecture with a dynamic resource that runs only during pulumi up", () => {
    const check = cap.one("pulumi-nodejs:dynamic/activepieces:ImageArchitectureCheck");
    expect(check.inputs).toMatchObject({ image: "ghcr.io/activepieces/activepieces:0.83.0", architecture: "arm64" });
  });

  it("replaces resources with fixed physical names delete-first", () => {
    for (const [type, suffix] of [
      ["aws:ecs/cluster:Cluster", undefined],
      ["aws:ecs/service:Service", "-app-service"],
      ["aws:ecs/service:Service", "-worker-service"],
      ["aws:cloudwatch/logGroup:LogGroup", "-app-logs"],
      ["aws:cloudwatch/logGroup:LogGroup", "-worker-logs"],
      ["aws:cloudwatch/logGroup:LogGroup", "-postgresql-logs"],
      ["aws:cloudwatch/logGroup:LogGroup", "-upgrade-logs"],
      ["aws:rds/instance:Instance", undefined],
      ["aws:kms/alias:Alias", undefined],
    ] as const) {
      expect(opts.get(cap.one(type, suffix).name), `${type} ${suffix ?? ""}`).toMatchObject({ deleteBeforeReplace: true });
    }
  });

  it("turns on load balancer deletion protection and access logs once the bucket policy exists", () => {
    const lb = cap.one("aws:lb/loadBalancer:LoadBalancer");
    const bucket = cap.one("aws:s3/bucket:Bucket", "-access-logs");
    expect(lb.inputs.enableDeletionProtection).toBe(true);
    expect(lb.inputs.accessLogs).toEqual({ bucket: bucket.outputs.bucket, prefix: "alb", enabled: true });
    expect(dependsOn(lb.name).some((d) => d instanceof aws.s3.BucketPolicy)).toBe(true);
  });

  it("keeps access logs in a private, SSE-S3, same-region bucket that expires them after 90 days", () => {
    const bucket = cap.one("aws:s3/bucket:Bucket", "-access-logs");
    expect(bucket.inputs.region).toBe("us-east-1");
    expect(cap.one("aws:s3/bucketServerSideEncryptionConfiguration:BucketServerSideEncryptionConfiguration", "-access-logs-sse").inputs.rules).toEqual([
      { applyServerSideEncryptionByDefault: { sseAlgorithm: "AES256" } },
    ]);
    expect(cap.one("aws:s3/bucketPublicAccessBlock:BucketPublicAccessBlock", "-access-logs-public-access").inputs).toMatchObject({
      blockPublicAcls: true,
      blockPublicPolicy: true,
      ignorePublicAcls: true,
      restrictPublicBuckets: true,
    });
    expect(cap.one("aws:s3/bucketOwnershipControls:BucketOwnershipControls", "-access-logs-ownership").inputs.rule).toEqual({
      objectOwnership: "BucketOwnerEnforced",
    });
    expect(cap.one("aws:s3/bucketLifecycleConfiguration:BucketLifecycleConfiguration", "-access-logs-lifecycle").inputs.rules).toMatchObject([
      { status: "Enabled", expiration: { days: 90 } },
    ]);
    // Prod keeps the bucket on destroy instead of failing on its objects.
    expect(bucket.inputs.forceDestroy).toBe(false);
    expect(opts.get(bucket.name)).toMatchObject({ retainOnDelete: true });
  });

  it("lets only Elastic Load Balancing's us-east-1 account write logs, over TLS, under this account's prefix", () => {
    const bucket = cap.one("aws:s3/bucket:Bucket", "-access-logs");
    const policy = JSON.parse(cap.one("aws:s3/bucketPolicy:BucketPolicy", "-access-logs-policy").inputs.policy as string);
    expect(policy.Statement).toEqual([
      {
        Sid: "ElbAccessLogDelivery",
        Effect: "Allow",
        Principal: { AWS: "arn:aws:iam::127311923021:root" },
        Action: "s3:PutObject",
        Resource: `${String(bucket.outputs.arn)}/alb/AWSLogs/${ACCOUNT}/*`,
      },
      {
        Sid: "DenyInsecureTransport",
        Effect: "Deny",
        Principal: "*",
        Action: "s3:*",
        Resource: [bucket.outputs.arn, `${String(bucket.outputs.arn)}/*`],
        Condition: { Bool: { "aws:SecureTransport": "false" } },
      },
    ]);
  });

  it("encrypts the alarm topic with a customer-managed key CloudWatch may use", () => {
    const key = cap.one("aws:kms/key:Key");
    expect(cap.one("aws:sns/topic:Topic").inputs.kmsMasterKeyId).toBe(key.outputs.arn);
    const cw = JSON.parse(key.inputs.policy as string).Statement[1];
    expect(cw).toMatchObject({ Principal: { Service: "cloudwatch.amazonaws.com" }, Action: ["kms:Decrypt", "kms:GenerateDataKey*"] });
  });

  it("alarms on every Redis member, not on -001", () => {
    const redis = cap.one("aws:cloudwatch/metricAlarm:MetricAlarm", "-redis-memory-high");
    const members = cap.one("aws:elasticache/replicationGroup:ReplicationGroup").outputs.memberClusters as string[];
    const queries = redis.inputs.metricQueries as { metric?: { dimensions: { CacheClusterId: string } }; expression?: string }[];
    expect(queries.flatMap((q) => (q.metric ? [q.metric.dimensions.CacheClusterId] : []))).toEqual(members);
    expect(queries.at(-1)!.expression).toBe("MAX([m0, m1])");
  });
});

describe("serviceDependencies", () => {
  it("puts the capacity providers and the image check before the listeners and the services called", () => {
    expect(serviceDependencies({ capacityProviders: "cp", imageCheck: "img", listeners: ["l1", "l2"] })).toEqual(["cp", "img", "l1", "l2"]);
    expect(serviceDependencies({ capacityProviders: "cp", imageCheck: "img", listeners: ["l1"], after: ["app"] })).toEqual(["cp", "img", "l1", "app"]);
  });
});

describe("ALB access log delivery principal", () => {
  it("is the ELB account in Regions AWS lists one for, the log delivery service elsewhere", () => {
    expect(logDeliveryPrincipal("us-east-1")).toEqual({ AWS: "arn:aws:iam::127311923021:root" });
    expect(logDeliveryPrincipal("eu-west-1")).toEqual({ AWS: "arn:aws:iam::156460612806:root" });
    expect(logDeliveryPrincipal("us-gov-west-1")).toEqual({ AWS: "arn:aws-us-gov:iam::048591011584:root" });
    for (const newer of ["me-central-1", "ap-south-2", "eu-central-2", "il-central-1", "ap-southeast-3"]) {
      expect(logDeliveryPrincipal(newer)).toEqual({ Service: ELB_LOG_DELIVERY_SERVICE });
    }
    expect(ELB_LOG_DELIVERY_SERVICE).toBe("logdelivery.elasticloadbalancing.amazonaws.com");
    expect(JSON.parse(accessLogPolicyDocument("arn:aws:s3:::b", "me-central-1", "111122223333")).Statement[0]).toEqual({
      Sid: "ElbAccessLogDelivery",
      Effect: "Allow",
      Principal: { Service: "logdelivery.elasticloadbalancing.amazonaws.com" },
      Action: "s3:PutObject",
      Resource: "arn:aws:s3:::b/alb/AWSLogs/111122223333/*",
    });
  });
});

describe("FargateSplit variants", () => {
  it("queue mode: a scheduled backlog function and target tracking on backlog per worker", async () => {
    const cap = await captureStack(planFor("prod", { worker: { scaling: { mode: "queue", min: 2, max: 60, backlogPerWorker: 1 } } }));
    const workerTarget = cap.one("aws:appautoscaling/target:Target", "-worker-scaling-target");
    expect(workerTarget.inputs).toMatchObject({ minCapacity: 2, maxCapacity: 60 });
    const policy = cap.one("aws:appautoscaling/policy:Policy", "-backlog").inputs.targetTrackingScalingPolicyConfiguration;
    expect(policy).toMatchObject({ targetValue: 1, customizedMetricSpecification: { metricName: METRIC_BACKLOG_PER_WORKER, statistic: "Average" } });
    const fn = cap.one("aws:lambda/function:Function", "-queue-metric-fn");
    // nodejs20.x: AWS blocks creating functions on it from 2026-08-31 and updating them from 2026-09-30.
    expect(fn.inputs.runtime).toBe("nodejs22.x");
    expect(fn.inputs.architectures).toEqual(["arm64"]);
    const vars = (fn.inputs.environment as { variables: Record<string, string> }).variables;
    expect(vars[QUEUE_METRIC_ENV.redisTls]).toBe("true");
    expect(vars[QUEUE_METRIC_ENV.redisAuthSecretArn]).toMatch(SECRET_ARN);
    expect(cap.one("aws:cloudwatch/eventRule:EventRule", "-queue-metric-fn-schedule").inputs.scheduleExpression).toBe("rate(1 minute)");
    expect(cap.one("aws:lambda/functionEventInvokeConfig:FunctionEventInvokeConfig", "-queue-metric-fn-invoke-config").inputs.maximumRetryAttempts).toBe(0);
    expect(cap.one("aws:ecs/service:Service", "-worker-service").inputs.desiredCount).toBe(2);
  });

  it("on-demand base: FARGATE base first, Spot for the rest", async () => {
    const cap = await captureStack(planFor("prod", { worker: { capacity: { onDemandBase: 5, onDemandWeight: 0, spotWeight: 1 } } }));
    expect(cap.one("aws:ecs/service:Service", "-worker-service").inputs.capacityProviderStrategies).toEqual([
      { capacityProvider: "FARGATE", base: 5, weight: 0 },
      { capacityProvider: "FARGATE_SPOT", base: 0, weight: 1 },
    ]);
  });

  it("without a certificate: HTTP only, internal scheme and CIDR allowlist honoured", async () => {
    const cap = await captureStack(planFor("staging", { loadBalancer: { scheme: "internal", allowedCidrs: ["10.0.0.0/8"] } }));
    expect(cap.ofType("aws:lb/listener:Listener").map((l) => l.inputs.protocol)).toEqual(["HTTP"]);
    expect(cap.one("aws:lb/loadBalancer:LoadBalancer").inputs.internal).toBe(true);
    // Staging: no deletion protection; the log bucket empties on destroy.
    expect(cap.one("aws:lb/loadBalancer:LoadBalancer").inputs.enableDeletionProtection).toBe(false);
    expect(cap.one("aws:s3/bucket:Bucket", "-access-logs").inputs.forceDestroy).toBe(true);
    const sg = cap.one("aws:ec2/securityGroup:SecurityGroup", "-alb-sg");
    expect((sg.inputs.ingress as { cidrBlocks: string[] }[]).map((i) => i.cidrBlocks)).toEqual([["10.0.0.0/8"]]);
  });
});
