import { z } from "zod";
import { AWS_REGIONS } from "./regions";
import { describeAllowedMemory, isValidFargatePair } from "../policies/facts/fargate";
import { RDS_CLASSES } from "../policies/facts/rds";
import { WORKER_CONCURRENCY, needsPrivilegedContainer } from "../policies/facts/activepieces";
import { DEFAULT_KEDA_VERSION, DEFAULT_KUBERNETES_VERSION, eksConfigProblems } from "./eks-settings";
import { EksSchema } from "./eks-schema";
import { maxWorkers } from "./fleet";
import { ExistingSecretsSchema, ExtraEnvSchema, ExtraSecretsSchema, RoleOverridesSchema } from "./extra-env";
import { cidr, imageRef, int, vpcCidrProblem } from "./fields";

/**
 * The whole stack config, one zod schema. Every field carries its description (rendered into the
 * README config reference and the `config:` block of Pulumi.yaml) and its default. Fields whose
 * default depends on the environment are optional here and filled by `resolveDefaults` (defaults.ts).
 * Objects are strict: an unknown key is an error, so a typo never silently falls back to a default.
 */

export const fargateCpu = int(256, 16384, "CPU units").describe(
  "CPU units (1024 = 1 vCPU): on Fargate the task's CPU, part of a valid cpu/memory pair; on EKS the pod's CPU request and limit (1024 units = 1000m).",
);
export const fargateMemory = int(512, 122880, "MiB").describe(
  "Memory in MiB: on Fargate the task's memory, a valid pair with cpu; on EKS the pod's memory request and limit.",
);

export const WorkerCapacitySchema = z
  .strictObject({
    onDemandBase: int(0, 10000, "a number of tasks")
      .default(0)
      .describe("Fargate only: worker tasks always kept on on-demand FARGATE capacity before FARGATE_SPOT takes the rest."),
    onDemandWeight: int(0, 1000, "a weight")
      .default(0)
      .describe("Fargate only: relative share of worker tasks above the base placed on on-demand FARGATE capacity."),
    spotWeight: int(0, 1000, "a weight").default(1).describe("Fargate only: relative share of worker tasks above the base placed on FARGATE_SPOT."),
  })
  .describe(
    "Fargate only: where worker tasks run, Spot with an optional on-demand base and weights. On EKS workers always run on the Spot node group (eks.workerInstanceTypes); setting these there is an error.",
  );

export const WorkerScalingSchema = z
  .discriminatedUnion(
    "mode",
    [
      z.strictObject({
        mode: z.literal("static").describe("Run one worker per peak concurrent flow all the time (vendor default)."),
      }),
      z.strictObject({
        mode: z.literal("queue").describe("Scale workers on the BullMQ backlog: jobs waiting (prioritized and wait) plus jobs running (active)."),
        min: int(0, 10000, "a number of workers").describe("Fewest workers kept running."),
        max: int(1, 10000, "a number of workers").describe("Most workers; required so a stuck queue cannot scale without bound."),
        backlogPerWorker: int(1, 1000, "a number of jobs")
          .optional()
          .describe("Target jobs (waiting or running) per worker for target tracking. Default: workerConcurrency, one job per flow slot."),
      }),
    ],
    { error: "expected mode to be static or queue" },
  )
  .default({ mode: "static" })
  .describe("Worker scaling: `static` for peak (vendor default) or `queue` depth with min/max/backlog target.");

export const WorkerSchema = z
  .strictObject({
    cpu: fargateCpu.default(512),
    memory: fargateMemory.default(1024),
    capacity: WorkerCapacitySchema.default({ onDemandBase: 0, onDemandWeight: 0, spotWeight: 1 }),
    scaling: WorkerScalingSchema,
  })
  .describe("Worker tier: size, capacity (Spot/on-demand) and scaling.");

export const AppSchema = z
  .strictObject({
    cpu: fargateCpu.default(1024),
    memory: fargateMemory.default(2048),
    min: int(1, 1000, "a number of apps").optional().describe("Fewest app tasks. Default: ceil(max workers / workersPerApp), at least 2 in prod."),
    max: int(1, 1000, "a number of apps").optional().describe("Most app tasks under autoscaling. Default: 2 x min."),
    cpuTarget: int(10, 95, "a CPU percentage").default(70).describe("Target average CPU % for app scaling."),
    requestsPerTarget: int(10, 100000, "a number of requests")
      .default(1000)
      .describe(
        "Fargate only: target ALB requests per app task per minute for request-count scaling. On EKS the app scales on CPU (cpuTarget); setting it there is an error.",
      ),
    scaleOutCooldownSeconds: int(0, 3600, "seconds").default(60).describe("Cooldown after a scale-out."),
    scaleInCooldownSeconds: int(0, 3600, "seconds").default(300).describe("Cooldown after a scale-in."),
    dbPoolSize: int(1, 200, "a pool size").default(10).describe("AP_POSTGRES_POOL_SIZE per app task."),
  })
  .describe("App tier: size, autoscaling and database pool.");

export const DatabaseSchema = z
  .strictObject({
    instanceClass: z
      .enum(RDS_CLASSES.map((c) => c.instanceClass) as [string, ...string[]])
      .optional()
      .describe("RDS instance class. Default: the smallest class whose pool budget fits (prod at least db.t4g.small)."),
    engineVersion: z
      .string()
      .regex(/^\d+(\.\d+)?$/, { error: "expected a Postgres version such as 16 or 16.4" })
      .default("16")
      .describe("Postgres engine version."),
    allocatedStorageGb: int(20, 65536, "gigabytes").default(20).describe("Initial gp3 storage."),
    maxAllocatedStorageGb: int(20, 65536, "gigabytes").default(100).describe("Storage autoscaling ceiling."),
    multiAz: z.boolean().optional().describe("Standby in a second AZ. Default: false in staging, true in prod."),
    backupRetentionDays: int(1, 35, "days").optional().describe("Automated backup retention. Default: 7 in staging, 14 in prod."),
    performanceInsights: z.boolean().optional().describe("Enable Performance Insights. Default: false in staging, true in prod."),
  })
  .describe("RDS Postgres overrides.");

export const RedisSchema = z
  .strictObject({
    nodeType: z
      .enum(["cache.t4g.micro", "cache.t4g.small", "cache.t4g.medium", "cache.m7g.large"])
      .optional()
      .describe(
        "ElastiCache node type. Default by fleet: cache.t4g.micro for staging up to 50 workers, cache.t4g.small up to 200, cache.t4g.medium up to 1,000, cache.m7g.large above.",
      ),
    replicas: int(0, 5, "a number of replicas").optional().describe("Read replicas with automatic failover. Default: 0 in staging, 1 in prod."),
    engineVersion: z
      .string()
      .regex(/^\d+\.\d+$/, { error: "expected a Redis version such as 7.1" })
      .default("7.1")
      .describe("Redis engine version."),
  })
  .describe("ElastiCache Redis overrides (cluster mode is always off).");

export const NetworkSchema = z
  .discriminatedUnion(
    "mode",
    [
      z
        .strictObject({
          mode: z.literal("new").describe("Create a VPC."),
          cidr: cidr.default("10.0.0.0/16").describe("VPC CIDR."),
          azCount: int(2, 6, "a number of AZs").optional().describe("Availability zones. Default: 2."),
          natGateways: z.enum(["single", "perAz"]).optional().describe("NAT gateways: `single` (staging default) or `perAz` (prod default)."),
        })
        .superRefine(
          (n, ctx) => {
            // The VPC must hold a private and a public subnet per AZ (awsx "Auto" layout); azCount defaults to 2.
            if (n === null || typeof n !== "object" || typeof n.cidr !== "string") return;
            const azCount = n.azCount ?? 2;
            const problem = Number.isInteger(azCount) && azCount >= 2 && azCount <= 6 ? vpcCidrProblem(n.cidr, azCount) : undefined;
            if (problem) ctx.addIssue({ code: "custom", path: ["cidr"], message: problem });
          },
          { when: () => true },
        ),
      z.strictObject({
        mode: z.literal("existing").describe("Use an existing VPC."),
        vpcId: z
          .string()
          .regex(/^vpc-[0-9a-f]{8,17}$/, { error: "expected a VPC id such as vpc-0abc12345" })
          .describe("Existing VPC id."),
        privateSubnetIds: z
          .array(z.string().regex(/^subnet-[0-9a-f]{8,17}$/, { error: "expected subnet ids" }))
          .min(2, { error: "expected at least 2 private subnets in different AZs" })
          .describe("Private subnets (with a route to a NAT) for tasks and data, in at least 2 AZs."),
        publicSubnetIds: z
          .array(z.string().regex(/^subnet-[0-9a-f]{8,17}$/, { error: "expected subnet ids" }))
          .min(2, { error: "expected at least 2 public subnets in different AZs" })
          .describe("Public subnets for an internet-facing load balancer, in at least 2 AZs."),
      }),
    ],
    { error: "expected mode to be new or existing" },
  )
  .default({ mode: "new", cidr: "10.0.0.0/16" })
  .describe("Network: a new VPC (`mode: new`) or an existing VPC and subnet ids (`mode: existing`).");

export const LoadBalancerSchema = z
  .strictObject({
    certificateArn: z
      .string()
      .regex(/^arn:aws:acm:[a-z0-9-]+:\d{12}:certificate\/[0-9a-f-]{36}$/, {
        error: "expected an ACM certificate ARN such as arn:aws:acm:us-east-1:123456789012:certificate/<uuid>",
      })
      .optional()
      .describe("ACM certificate for the HTTPS listener; without it the ALB serves HTTP only (a warning)."),
    scheme: z.enum(["internet-facing", "internal"]).default("internet-facing").describe("ALB scheme."),
    allowedCidrs: z.array(cidr).default(["0.0.0.0/0"]).describe("CIDRs allowed to reach the ALB."),
    allowedPrefixListIds: z
      .array(z.string().regex(/^pl-[0-9a-f]+$/, { error: "expected prefix list ids such as pl-0abc" }))
      .default([])
      .describe("Managed prefix lists allowed to reach the ALB."),
  })
  .describe("Application Load Balancer exposure.");

export const CostSchema = z
  .strictObject({
    spotDiscount: z
      .number()
      .min(0, { error: "expected a fraction from 0 to 0.9" })
      .max(0.9, { error: "expected a fraction from 0 to 0.9" })
      .default(0.7)
      .describe("Assumed Spot discount off on-demand, for FARGATE_SPOT tasks and EC2 Spot worker nodes (Fargate Spot is up to 70% off)."),
    natGbPerWorkerMonth: z
      .number()
      .min(0, { error: "expected gigabytes from 0 to 1000" })
      .max(1000, { error: "expected gigabytes from 0 to 1000" })
      .default(2)
      .describe(
        "Assumed internet traffic through NAT per worker per month, GB: the external APIs its flows call (about 8 KB per call, a call every 10 s while busy, busy half the month: about 1 GB), doubled for TLS handshakes, retries and pieces fetched at run time. Worker-to-app traffic stays in the VPC; S3 uses the free gateway endpoint.",
      ),
    deploysPerMonth: int(0, 1000, "a number of deploys")
      .default(4)
      .describe(
        "Assumed deploys (image or config rollouts, secret-rotation restarts) per month; each pulls the image (about 1 GB compressed) through NAT once per Fargate task or EKS node.",
      ),
    natDataGbPerMonth: int(0, 1000000, "gigabytes")
      .optional()
      .describe("NAT data processed per month, GB, when known from billing: replaces the figure derived from natGbPerWorkerMonth and deploysPerMonth."),
    expectedWorkerUtilisation: z
      .number()
      .min(0, { error: "expected a fraction from 0 to 1" })
      .max(1, { error: "expected a fraction from 0 to 1" })
      .default(0.5)
      .describe(
        "Queue scaling only: where the worker fleet sits on average between worker.scaling.min (0) and max (1); the expected cost runs min + utilisation x (max - min) workers. The cost table also shows the range at min and max.",
      ),
    albLcu: z.number().min(0).max(10000).default(1).describe("Assumed average ALB LCUs."),
    logsGbPerMonth: int(0, 1000000, "gigabytes").default(10).describe("Assumed CloudWatch Logs ingestion per month."),
  })
  .describe("Assumptions of the cost model.");

export const StackConfigSchema = z
  .strictObject({
    environment: z
      .enum(["staging", "prod"], { error: "expected staging or prod" })
      .describe("Environment: staging is cheap, prod is highly available with protected data."),
    platform: z
      .enum(["fargate", "eks"], { error: "expected fargate or eks" })
      .default("fargate")
      .describe("Compute platform: ECS Fargate/Spot split or EKS+KEDA split."),
    region: z.enum(AWS_REGIONS, { error: "expected an AWS region such as us-east-1" }).describe("AWS region of every resource (compute, data, S3)."),
    image: imageRef.describe("ActivePieces image with a pinned tag, the same for app and worker."),
    frontendUrl: z
      .url({ protocol: /^https?$/, error: "expected an http(s) URL such as https://flows.example.com" })
      .describe("Public URL of the app (AP_FRONTEND_URL)."),
    peakConcurrentFlows: int(1, 10000, "a number of flows").describe("Peak number of flows running at the same time; sizes the whole deployment."),
    workerConcurrency: int(WORKER_CONCURRENCY.min, WORKER_CONCURRENCY.max, "a number of flows per worker")
      .default(WORKER_CONCURRENCY.recommended)
      .describe("AP_WORKER_CONCURRENCY; 1 is the vendor recommendation."),
    workersPerApp: int(1, 50, "a number of workers").default(10).describe("Workers served by one app task."),
    architecture: z
      .enum(["arm64", "x86_64"], { error: "expected arm64 or x86_64" })
      .default("arm64")
      .describe("CPU architecture of tasks and nodes (Graviton arm64 is about 20% cheaper)."),
    executionMode: z
      .enum(["UNSANDBOXED", "SANDBOX_CODE_ONLY", "SANDBOX_PROCESS", "SANDBOX_CODE_AND_PROCESS"])
      .default("SANDBOX_CODE_ONLY")
      .describe(
        "AP_EXECUTION_MODE. SANDBOX_PROCESS and SANDBOX_CODE_AND_PROCESS need privileged containers: refused on Fargate; on EKS the worker pods then run privileged, without the worker pod hardening.",
      ),
    worker: WorkerSchema.default({
      cpu: 512,
      memory: 1024,
      capacity: { onDemandBase: 0, onDemandWeight: 0, spotWeight: 1 },
      scaling: { mode: "static" },
    }),
    app: AppSchema.default({
      cpu: 1024,
      memory: 2048,
      cpuTarget: 70,
      requestsPerTarget: 1000,
      scaleOutCooldownSeconds: 60,
      scaleInCooldownSeconds: 300,
      dbPoolSize: 10,
    }),
    database: DatabaseSchema.default({ engineVersion: "16", allocatedStorageGb: 20, maxAllocatedStorageGb: 100 }),
    redis: RedisSchema.default({ engineVersion: "7.1" }),
    network: NetworkSchema,
    loadBalancer: LoadBalancerSchema.default({ scheme: "internet-facing", allowedCidrs: ["0.0.0.0/0"], allowedPrefixListIds: [] }),
    protectData: z
      .union([z.boolean(), z.literal("auto")], { error: "expected true, false or auto" })
      .default("auto")
      .describe("Deletion protection, final snapshots and `protect` on data and secrets; `auto` means on in prod, off in staging."),
    cost: CostSchema.default({ spotDiscount: 0.7, natGbPerWorkerMonth: 2, deploysPerMonth: 4, expectedWorkerUtilisation: 0.5, albLcu: 1, logsGbPerMonth: 10 }),
    extraEnv: ExtraEnvSchema,
    extraSecrets: ExtraSecretsSchema,
    roleOverrides: RoleOverridesSchema,
    existingSecrets: ExistingSecretsSchema,
    eks: EksSchema.default({
      kubernetesVersion: DEFAULT_KUBERNETES_VERSION,
      nodeDiskGb: 20,
      endpointAccess: "publicAndPrivate",
      publicAccessCidrs: ["0.0.0.0/0"],
      adminRoleArns: [],
      scaleDownUnneededMinutes: 10,
      autoscalerExpander: "least-waste",
      kedaVersion: DEFAULT_KEDA_VERSION,
      pollingIntervalSeconds: 15,
      scaleDownStabilizationSeconds: 300,
    }),
  })
  .superRefine(
    (c, ctx) => {
      // Cross-field rules: each names the key it blames so the message points at what to change.
      // This runs even when fields failed their own checks: judge only from well-formed parts.
      const isObj = (v: unknown) => v !== null && typeof v === "object";
      if (![c.worker, c.worker?.capacity, c.worker?.scaling, c.app, c.database, c.loadBalancer].every(isObj)) return;
      const validPeak = Number.isInteger(c.peakConcurrentFlows) && c.peakConcurrentFlows >= 1 && c.peakConcurrentFlows <= 10000;
      if (c.platform === "fargate") {
        for (const role of ["worker", "app"] as const) {
          const { cpu, memory } = c[role];
          if (!isValidFargatePair(cpu, memory)) {
            ctx.addIssue({
              code: "custom",
              path: [role, "memory"],
              message: `cpu ${cpu} with memory ${memory} is not a Fargate size; ${describeAllowedMemory(cpu)}`,
            });
          }
        }
        if (needsPrivilegedContainer(c.executionMode)) {
          ctx.addIssue({
            code: "custom",
            path: ["executionMode"],
            message: "needs privileged containers, which Fargate does not allow; use SANDBOX_CODE_ONLY or UNSANDBOXED",
          });
        }
      }
      const scaling = c.worker.scaling;
      // An invalid peak has its own issue; without a number of flows there is no fleet to check against.
      const workerMax = scaling.mode === "queue" || validPeak ? maxWorkers(c) : Number.POSITIVE_INFINITY;
      if (Number.isFinite(workerMax) && c.worker.capacity.onDemandBase > workerMax) {
        ctx.addIssue({
          code: "custom",
          path: ["worker", "capacity", "onDemandBase"],
          message: `is larger than the most workers that will run (${workerMax}); allowed 0..${workerMax}`,
        });
      }
      if (c.worker.capacity.onDemandWeight + c.worker.capacity.spotWeight === 0) {
        ctx.addIssue({
          code: "custom",
          path: ["worker", "capacity", "spotWeight"],
          message: "onDemandWeight and spotWeight are both 0; at least one must be positive",
        });
      }
      if (scaling.mode === "queue" && scaling.min > scaling.max) {
        ctx.addIssue({
          code: "custom",
          path: ["worker", "scaling", "min"],
          message: `is larger than worker.scaling.max (${scaling.max}); allowed 0..${scaling.max}`,
        });
      }
      if (c.app.min !== undefined && c.app.max !== undefined && c.app.min > c.app.max) {
        ctx.addIssue({ code: "custom", path: ["app", "min"], message: `is larger than app.max (${c.app.max}); allowed 1..${c.app.max}` });
      }
      if (c.database.maxAllocatedStorageGb < c.database.allocatedStorageGb) {
        ctx.addIssue({
          code: "custom",
          path: ["database", "maxAllocatedStorageGb"],
          message: `is below database.allocatedStorageGb (${c.database.allocatedStorageGb}); allowed ${c.database.allocatedStorageGb}..65536`,
        });
      }
      if (c.platform === "eks" && isObj(c.eks)) {
        for (const p of eksConfigProblems(c)) ctx.addIssue({ code: "custom", path: p.path, message: p.message });
      }
      if (isObj(c.existingSecrets) && c.existingSecrets.jwtSecret && !c.existingSecrets.workerToken) {
        ctx.addIssue({
          code: "custom",
          path: ["existingSecrets", "workerToken"],
          message: "is required with existingSecrets.jwtSecret: the worker token must be signed with that JWT secret, which the program cannot read",
        });
      }
      const cert = c.loadBalancer.certificateArn;
      if (cert && cert.split(":")[3] !== c.region) {
        ctx.addIssue({
          code: "custom",
          path: ["loadBalancer", "certificateArn"],
          message: `is in ${cert.split(":")[3]}; an ALB can only use a certificate from its own region ${c.region}`,
        });
      }
    },
    {
      // Run even when single fields failed, so the user sees every problem in one pass.
      when: () => true,
    },
  );

/** The config as written by a user (before defaults). */
export type StackConfigInput = z.input<typeof StackConfigSchema>;
/** The config after zod defaults, before environment defaults. */
export type ParsedStackConfig = z.output<typeof StackConfigSchema>;
