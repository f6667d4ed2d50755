import { z } from "zod";
import { AWS_REGIONS } from "./regions";
import { describeAllowedMemory, isValidFargatePair } from "../policies/facts/fargate";
import { WORKER_CONCURRENCY, needsPrivilegedContainer } from "../policies/facts/activepieces";
import { AppSchema, WorkerSchema } from "./compute-schema";
import { CostSchema } from "./cost-schema";
import { DatabaseSchema, RedisSchema } from "./data-schema";
import { eksConfigProblems } from "./eks-settings";
import { EksSchema } from "./eks-schema";
import { maxWorkers } from "./fleet";
import { ExistingSecretsSchema, ExtraEnvSchema, ExtraSecretsSchema, RoleOverridesSchema } from "./extra-env";
import { imageRef, int } from "./fields";
import { LoadBalancerSchema, NetworkSchema } from "./network-schema";

/**
 * The whole stack config, one zod schema. Every field carries its description (rendered into the
 * README config reference and the `config:` block of Pulumi.yaml) and its default. Fields whose
 * default depends on the environment are optional here and filled by `resolveDefaults` (defaults.ts).
 * Objects are strict: an unknown key is an error, so a typo never silently falls back to a default.
 */

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
    // Every field of the block has its own default: an absent block is the block with every default.
    eks: EksSchema.prefault({}),
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
