import { z } from "zod";
import { fargateCpu, fargateMemory } from "./compute-schema";
import { imageRef, int } from "./fields";

/** A profile role's schema (`profile.roles.<role>`): image, size, exposure, scaling and its edges (config/profile-schema.ts). */

/** Role names become ECS service / Kubernetes names and parts of resource names: short kebab case. */
export const ROLE_NAME = /^[a-z][a-z0-9-]{0,23}$/;
const NAME = /^[A-Z_][A-Z0-9_]*$/;
/** A bucket or external dependency key: lower-case words. */
export const KEY = /^[a-z][a-z0-9-]{0,30}$/;
/** `<secret arn>` or `<secret arn>:<json key>::`, the forms ECS `valueFrom` and components/secret-ref.ts read. */
export const SECRET_REF = /^arn:aws[a-z-]*:secretsmanager:[a-z0-9-]+:\d{12}:secret:[A-Za-z0-9/_+=.@-]+(:[A-Za-z0-9_.-]+::)?$/;
export const SECRET_REF_MESSAGE =
  "is not a Secrets Manager reference; a secret is never written in the stack file: store it in AWS Secrets Manager and give arn:aws:secretsmanager:<region>:<12-digit account>:secret:<name>, optionally followed by :<json key>::";
/** `postgres`, `redis`, `s3:<bucket key>`, `role:<role name>`, `external:<name>`. */
const CONNECTION = /^(postgres|redis|s3:[a-z][a-z0-9-]{0,30}|role:[a-z][a-z0-9-]{0,23}|external:[a-z][a-z0-9-]{0,30})$/;
const HOST = /^(\*\.)?([a-z0-9]([a-z0-9-]{0,61}[a-z0-9])?\.)+[a-z]{2,63}$/;

export const secretRef = z.string({ error: SECRET_REF_MESSAGE }).regex(SECRET_REF, { error: SECRET_REF_MESSAGE });

const cooldowns = {
  scaleOutCooldownSeconds: int(0, 3600, "seconds").default(60).describe("Seconds after a scale-out before the next one."),
  scaleInCooldownSeconds: int(0, 3600, "seconds").default(300).describe("Seconds after a scale-in before the next one."),
};
const cpuTarget = int(10, 95, "a CPU percentage").describe("Target average CPU % of the role's tasks or pods.");

export const ProfileScalingSchema = z
  .discriminatedUnion(
    "mode",
    [
      z.strictObject({ mode: z.literal("static").describe("Run the role's minimum all the time.") }),
      z.strictObject({ mode: z.literal("cpu").describe("Target tracking on average CPU."), cpuTarget, ...cooldowns }),
      z.strictObject({
        mode: z
          .literal("requests-or-cpu")
          .describe("Scale out when load balancer requests per target OR CPU is above its target (two target-tracking policies; the larger count wins)."),
        cpuTarget,
        requestsPerTarget: int(10, 100000, "a number of requests").describe("Target load balancer requests per task per minute."),
        ...cooldowns,
      }),
      z.strictObject({
        mode: z.literal("queue").describe("Scale on the length of a Redis list (or BullMQ wait list) in the stack's Redis."),
        key: z.string().min(1, { error: "expected a Redis key" }).describe("Redis key of the list whose length is the backlog."),
        backlogPerTask: int(1, 100000, "a number of jobs").describe("Target backlog per task."),
        ...cooldowns,
      }),
      z.strictObject({
        mode: z.literal("prometheus").describe("EKS only: scale on a Prometheus query (KEDA prometheus scaler)."),
        query: z.string().min(1, { error: "expected a PromQL query" }).describe("PromQL query whose value is compared with the threshold."),
        threshold: z.number({ error: "expected a number" }).positive({ error: "expected a number above 0" }).describe("Target value of the query per pod."),
        serverAddress: z.url({ protocol: /^https?$/, error: "expected the Prometheus server URL" }).describe("Prometheus server KEDA queries."),
        ...cooldowns,
      }),
    ],
    { error: "expected mode to be static, cpu, requests-or-cpu, queue or prometheus" },
  )
  .default({ mode: "static" })
  .describe("How the role scales between its bounds: static, cpu, requests-or-cpu, queue (Redis list length) or prometheus (EKS only).");

const bound = z
  .strictObject({
    min: int(0, 1000, "a number of tasks").describe("Fewest tasks; also the count at rest."),
    max: int(1, 1000, "a number of tasks").describe("Most tasks under autoscaling."),
  })
  .describe("Task count bounds.");

export const ExposureSchema = z
  .union(
    [
      z.literal("internal").describe("Reached only inside the VPC, from the roles that connect to it."),
      z.strictObject({
        public: z
          .strictObject({
            path: z
              .string()
              .regex(/^\/\S*$/, { error: "expected a path such as / or /api/*" })
              .describe("Path pattern of the listener rule / Ingress path, e.g. / or /api/*."),
            host: z.string().regex(HOST, { error: "expected a host name such as console.example.com" }).optional().describe("Host the rule matches."),
          })
          .describe("Reached through the load balancer on this path (and host)."),
      }),
    ],
    { error: 'expected "internal" or { public: { path, host? } }' },
  )
  .describe('"internal", or { public: { path, host? } } to route the load balancer to the role.');

export const ProfileRoleSchema = z
  .strictObject({
    image: imageRef.describe("Container image with a pinned tag or digest."),
    env: z
      .record(
        z.string().regex(NAME, { error: "expected an environment variable name such as IS_API" }),
        z.string({ error: "expected a string value (quote numbers)" }),
      )
      .default({})
      .describe(
        "Plain, non-secret environment (mode variables such as IS_API=1 included). A value may hold ${...} references the stack fills at deploy time (${redis.host}, ${postgres.host}, ${bucket.<key>}, ${role.<name>.url}, ${region}, ...), each only for an endpoint the role connects to; credentials go under secrets.",
      ),
    port: int(1, 65535, "a port").describe("Port the container listens on (load balancer target, health check, role edges)."),
    health: z
      .strictObject({
        path: z
          .string()
          .regex(/^\/\S*$/, { error: "expected a path such as /health" })
          .describe("HTTP path answering 200 when the role is healthy."),
        meaning: z
          .enum(["readiness", "liveness"], { error: "expected readiness or liveness" })
          .describe("readiness: ready for traffic (dependencies checked); liveness: the process runs."),
      })
      .describe("The role's health endpoint."),
    exposure: ExposureSchema,
    neverPublic: z
      .boolean({ error: "expected true or false" })
      .default(false)
      .describe("The role must never be exposed (e.g. a code runner): marking it public is an error."),
    capacity: z
      .enum(["on-demand", "spot"], { error: "expected on-demand or spot" })
      .default("on-demand")
      .describe("On-demand capacity (FARGATE / on-demand node group) or Spot (FARGATE_SPOT / Spot node group)."),
    cpu: fargateCpu,
    memory: fargateMemory,
    scaling: ProfileScalingSchema,
    bounds: z.strictObject({ staging: bound, prod: bound }).describe("Task count bounds per environment; the stack's environment picks one."),
    connects: z
      .array(z.string().regex(CONNECTION, { error: "expected postgres, redis, s3:<bucket>, role:<role>, or external:<name>" }))
      .default([])
      .describe("What the role opens connections to: postgres, redis, s3:<bucket key>, role:<role name>, external:<name>."),
    secrets: z
      .record(z.string().regex(NAME, { error: "expected an environment variable name such as MONGO_URI" }), secretRef)
      .default({})
      .describe("Secret environment as NAME: Secrets Manager ARN (or <arn>:<json key>::); never a literal."),
    metrics: z
      .strictObject({
        path: z
          .string()
          .regex(/^\/\S*$/, { error: "expected a path such as /metrics" })
          .describe("Path of the Prometheus scrape endpoint."),
        port: int(1, 65535, "a port").optional().describe("Port of the scrape endpoint. Default: the role's port."),
      })
      .optional()
      .describe("Prometheus metrics the role exposes."),
    dbPoolSize: int(1, 200, "a pool size").default(10).describe("Postgres connections per task, when the role connects to postgres (sizes the database)."),
    stopTimeoutSeconds: int(2, 120, "seconds").default(30).describe("Seconds a task gets between SIGTERM and SIGKILL (Fargate allows at most 120)."),
  })
  .describe("One role of the service: image, mode, size, exposure, scaling and what it connects to.");
