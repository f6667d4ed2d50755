import { z } from "zod";
import { describeAllowedMemory, isValidFargatePair } from "../policies/facts/fargate";
import { DatabaseSchema, RedisSchema, StackConfigSchema, fargateCpu, fargateMemory } from "./schema";
import { imageRef, int } from "./fields";
import { resolveSharedDefaults, type SharedDefaults, type StackConfig } from "./defaults";
import { eksConfigProblems, resolveEksSettings, type EksSettings } from "./eks-settings";
import { ConfigError, problemsFromZod, type ConfigProblem } from "./errors";

/**
 * The `profile` key of the stack config: a service that is not ActivePieces, described as a map of
 * roles (its runtime contract) and the data tier it needs. Absent, the stack runs ActivePieces.
 * Objects are strict; every field is documented. Cross-field rules (one public role at least, no
 * two public roles on one path and host, neverPublic roles stay internal, bounds, connections to
 * what exists, secrets only as Secrets Manager references, Prometheus scaling only on EKS) are in
 * {@link profileProblems}, run by the stack schema below so each names the key to change.
 */

/** Role names become ECS service / Kubernetes names and parts of resource names: short kebab case. */
export const ROLE_NAME = /^[a-z][a-z0-9-]{0,23}$/;
const NAME = /^[A-Z_][A-Z0-9_]*$/;
/** A bucket or external dependency key: lower-case words. */
const KEY = /^[a-z][a-z0-9-]{0,30}$/;
/** `<secret arn>` or `<secret arn>:<json key>::`, the forms ECS `valueFrom` and components/secret-ref.ts read. */
export const SECRET_REF = /^arn:aws[a-z-]*:secretsmanager:[a-z0-9-]+:\d{12}:secret:[A-Za-z0-9/_+=.@-]+(:[A-Za-z0-9_.-]+::)?$/;
export const SECRET_REF_MESSAGE =
  "is not a Secrets Manager reference; a secret is never written in the stack file: store it in AWS Secrets Manager and give arn:aws:secretsmanager:<region>:<12-digit account>:secret:<name>, optionally followed by :<json key>::";
/** `postgres`, `redis`, `s3:<bucket key>`, `role:<role name>`, `external:<name>`. */
const CONNECTION = /^(postgres|redis|s3:[a-z][a-z0-9-]{0,30}|role:[a-z][a-z0-9-]{0,23}|external:[a-z][a-z0-9-]{0,30})$/;
const HOST = /^(\*\.)?([a-z0-9]([a-z0-9-]{0,61}[a-z0-9])?\.)+[a-z]{2,63}$/;

const secretRef = z.string({ error: SECRET_REF_MESSAGE }).regex(SECRET_REF, { error: SECRET_REF_MESSAGE });

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
      .describe("Plain, non-secret environment (mode variables such as IS_API=1 included)."),
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

export const ProfileDataSchema = z
  .strictObject({
    postgres: z
      .strictObject({
        enabled: z.boolean({ error: "expected true or false" }).describe("Create the RDS Postgres instance (the top-level `database` key tunes it)."),
        instanceClass: DatabaseSchema.shape.instanceClass,
      })
      .optional()
      .describe("RDS Postgres for the roles that connect to postgres."),
    redis: z
      .strictObject({
        enabled: z.boolean({ error: "expected true or false" }).describe("Create the ElastiCache Redis (the top-level `redis` key tunes it)."),
        nodeType: RedisSchema.shape.nodeType,
      })
      .optional()
      .describe("ElastiCache Redis (noeviction) for the roles that connect to redis."),
    buckets: z
      .array(z.string().regex(KEY, { error: "expected a bucket key such as tmp" }))
      .default([])
      .describe("Bucket keys; each becomes one private S3 bucket in the stack's region, reached as s3:<key>."),
    external: z
      .record(
        z.string().regex(KEY, { error: "expected a name such as mongo" }),
        z.strictObject({ secretArn: secretRef.describe("Secrets Manager reference holding the connection string.") }),
      )
      .default({})
      .describe("External dependencies (e.g. MongoDB Atlas, ClickHouse Cloud) passed only as Secrets Manager references, reached as external:<name>."),
  })
  .default({ buckets: [], external: {} })
  .describe("The data tier the profile needs.");

export const ProfileSchema = z
  .strictObject({
    name: z.string().regex(KEY, { error: "expected a profile name such as langfuse" }).describe("Name of the service, e.g. langfuse."),
    roles: z
      .record(z.string().regex(ROLE_NAME, { error: "expected a role name in kebab case such as web-ingestion" }), ProfileRoleSchema)
      .describe("The roles, by name, in the order they are planned."),
    data: ProfileDataSchema,
  })
  .describe(
    "A service that is not ActivePieces, as a map of roles and its data tier (examples/langfuse.yaml, examples/membrane.yaml). Absent: the stack runs ActivePieces.",
  );

const shape = StackConfigSchema.shape;

/** The keys every stack shares, whatever it runs. */
const SHARED = {
  environment: shape.environment,
  platform: shape.platform,
  region: shape.region,
  architecture: shape.architecture,
  frontendUrl: shape.frontendUrl,
  network: shape.network,
  loadBalancer: shape.loadBalancer,
  protectData: shape.protectData,
  cost: shape.cost,
  eks: shape.eks,
  database: shape.database,
  redis: shape.redis,
};
export const SHARED_KEYS: readonly string[] = Object.keys(SHARED);
/** Top-level keys that configure ActivePieces only; with a profile they must be absent (or at their default). */
export const ACTIVEPIECES_ONLY_KEYS: readonly string[] = Object.keys(shape).filter((k) => !SHARED_KEYS.includes(k));

type Path = (string | number)[];
interface Problem {
  readonly path: Path;
  readonly message: string;
}

const isObj = (v: unknown): v is Record<string, unknown> => v !== null && typeof v === "object" && !Array.isArray(v);

interface RoleView {
  readonly exposure?: unknown;
  readonly neverPublic?: unknown;
  readonly bounds?: unknown;
  readonly connects?: unknown;
  readonly scaling?: unknown;
  readonly cpu?: unknown;
  readonly memory?: unknown;
}

/**
 * Cross-field rules of a profile stack. Runs on partly invalid input (the schema runs it even when
 * single fields failed), judging only from well-formed parts.
 */
export function profileProblems(c: {
  readonly platform?: unknown;
  readonly profile?: unknown;
  readonly database?: unknown;
  readonly redis?: unknown;
}): Problem[] {
  const out: Problem[] = [];
  if (!isObj(c.profile) || !isObj(c.profile.roles)) return out;
  const roles = Object.entries(c.profile.roles).filter((e): e is [string, RoleView] => isObj(e[1]));
  const data = isObj(c.profile.data) ? c.profile.data : {};
  const enabled = (k: "postgres" | "redis") => isObj(data[k]) && data[k].enabled === true;
  const buckets = Array.isArray(data.buckets) ? (data.buckets as unknown[]) : [];
  const external = isObj(data.external) ? data.external : {};
  const at = (role: string, ...rest: Path): Path => ["profile", "roles", role, ...rest];

  const publicRoles: { role: string; path: string; host?: string }[] = [];
  for (const [name, r] of roles) {
    const pub = isObj(r.exposure) && isObj(r.exposure.public) ? r.exposure.public : undefined;
    if (pub && typeof pub.path === "string") {
      const host = typeof pub.host === "string" ? pub.host : undefined;
      if (r.neverPublic === true) {
        out.push({
          path: at(name, "exposure"),
          message: `internal role marked public: ${name} has neverPublic: true and must stay "internal"; remove the public exposure`,
        });
        continue;
      }
      const clash = publicRoles.find((p) => p.path === pub.path && p.host === host);
      if (clash) {
        out.push({
          path: at(name, "exposure"),
          message: `routes path ${pub.path}${host ? ` on host ${host}` : " (any host)"} like role ${clash.role}; give each public role its own path or host`,
        });
      }
      publicRoles.push({ role: name, path: pub.path, host });
    }
  }
  if (roles.length > 0 && publicRoles.length === 0 && !roles.some(([, r]) => isObj(r.exposure) && r.neverPublic === true)) {
    out.push({ path: ["profile", "roles"], message: "has no public role; expose at least one role with exposure: { public: { path } }" });
  } else if (roles.length > 0 && publicRoles.length === 0) {
    out.push({
      path: ["profile", "roles"],
      message: "has no public role (neverPublic roles cannot be); expose at least one other role with exposure: { public: { path } }",
    });
  }

  for (const [name, r] of roles) {
    if (isObj(r.bounds)) {
      for (const env of ["staging", "prod"] as const) {
        const b = r.bounds[env];
        if (isObj(b) && typeof b.min === "number" && typeof b.max === "number" && b.min > b.max) {
          out.push({ path: at(name, "bounds", env, "min"), message: `is above bounds.${env}.max (${b.max}); allowed 0..${b.max}` });
        }
      }
    }
    if (Array.isArray(r.connects)) {
      (r.connects as unknown[]).forEach((edge, i) => {
        if (typeof edge !== "string") return;
        const [kind, target] = edge.includes(":") ? [edge.slice(0, edge.indexOf(":")), edge.slice(edge.indexOf(":") + 1)] : [edge, ""];
        let problem: string | undefined;
        if ((kind === "postgres" || kind === "redis") && !enabled(kind)) {
          problem = `connects to ${kind}, which the profile does not create; set profile.data.${kind}.enabled: true or remove the connection`;
        } else if (kind === "s3" && !buckets.includes(target)) {
          problem = `connects to bucket ${target}, which profile.data.buckets does not list${buckets.length ? ` (${buckets.join(", ")})` : ""}`;
        } else if (kind === "role" && !roles.some(([n]) => n === target)) {
          problem = `connects to role ${target}, which is not a role of the profile; roles: ${roles.map(([n]) => n).join(", ")}`;
        } else if (kind === "role" && target === name) {
          problem = "connects to itself; remove the connection";
        } else if (kind === "external" && !(target in external)) {
          problem = `connects to external ${target}, which profile.data.external does not declare`;
        }
        if (problem) out.push({ path: at(name, "connects", i), message: problem });
      });
    }
    const scaling = isObj(r.scaling) ? r.scaling : undefined;
    if (scaling?.mode === "prometheus" && c.platform !== "eks") {
      out.push({
        path: at(name, "scaling", "mode"),
        message: `prometheus scaling of role ${name} needs platform eks (KEDA); on fargate use cpu, requests-or-cpu or queue scaling`,
      });
    }
    if (scaling?.mode === "queue" && !enabled("redis")) {
      out.push({ path: at(name, "scaling", "mode"), message: `queue scaling of role ${name} reads a Redis list; set profile.data.redis.enabled: true` });
    }
    if (c.platform !== "eks" && typeof r.cpu === "number" && typeof r.memory === "number" && !isValidFargatePair(r.cpu, r.memory)) {
      out.push({ path: at(name, "memory"), message: `cpu ${r.cpu} with memory ${r.memory} is not a Fargate size; ${describeAllowedMemory(r.cpu)}` });
    }
  }
  if (Array.isArray(data.buckets)) {
    buckets.forEach((b, i) => {
      if (buckets.indexOf(b) !== i) out.push({ path: ["profile", "data", "buckets", i], message: `${String(b)} is listed twice` });
    });
  }
  if (isObj(data.postgres) && data.postgres.instanceClass !== undefined && isObj(c.database) && c.database.instanceClass !== undefined) {
    out.push({ path: ["database", "instanceClass"], message: "is set twice; with a profile set profile.data.postgres.instanceClass only" });
  }
  if (isObj(data.redis) && data.redis.nodeType !== undefined && isObj(c.redis) && c.redis.nodeType !== undefined) {
    out.push({ path: ["redis", "nodeType"], message: "is set twice; with a profile set profile.data.redis.nodeType only" });
  }
  return out;
}

/** The config of a stack running a profile: the shared keys and `profile`; ActivePieces-only keys are refused before it runs. */
export const ProfileStackConfigSchema = z.strictObject({ ...SHARED, profile: ProfileSchema }).superRefine(
  (c, ctx) => {
    for (const p of profileProblems(c)) ctx.addIssue({ code: "custom", path: p.path, message: p.message });
  },
  { when: () => true },
);

export type ParsedProfileStackConfig = z.output<typeof ProfileStackConfigSchema>;
export type ProfileConfig = ParsedProfileStackConfig["profile"];
export type ProfileRoleConfig = ProfileConfig["roles"][string];

/** A profile stack's config, every default applied. `kind` tells it from an ActivePieces StackConfig. */
export interface ProfileStackConfig extends Omit<ParsedProfileStackConfig, keyof SharedDefaults | "eks">, SharedDefaults {
  readonly kind: "profile";
  /** EKS settings with node instance types chosen for the largest on-demand and Spot roles. */
  readonly eks: EksSettings;
}

export function isProfileConfig(c: StackConfig | ProfileStackConfig): c is ProfileStackConfig {
  return (c as { kind?: unknown }).kind === "profile";
}

/** Whether raw config (keys without namespace) describes a profile stack. */
export function hasProfile(raw: unknown): boolean {
  return isObj(raw) && raw.profile !== undefined;
}

/** The largest CPU and memory among roles (separately): a pod of that size fits wherever any role's pod does. */
function largest(roles: readonly ProfileRoleConfig[], fallback: { cpu: number; memory: number }): { cpu: number; memory: number } {
  if (roles.length === 0) return fallback;
  return { cpu: Math.max(...roles.map((r) => r.cpu)), memory: Math.max(...roles.map((r) => r.memory)) };
}

/** The on-demand and Spot pod sizes the node groups must hold, with the role each dimension comes from. */
function poolPods(profile: ProfileConfig) {
  const roles = Object.entries(profile.roles);
  const of = (capacity: "on-demand" | "spot") => roles.filter(([, r]) => r.capacity === capacity);
  return {
    app: {
      size: largest(
        of("on-demand").map(([, r]) => r),
        { cpu: 1024, memory: 2048 },
      ),
      roles: of("on-demand"),
    },
    worker: {
      size: largest(
        of("spot").map(([, r]) => r),
        { cpu: 512, memory: 1024 },
      ),
      roles: of("spot"),
    },
  };
}

/** Values from ActivePieces-only keys that differ from their default (the project file injects the defaults into every stack). */
function activePiecesOnlyProblems(raw: Record<string, unknown>): ConfigProblem[] {
  const out: ConfigProblem[] = [];
  const shape = StackConfigSchema.shape as unknown as Record<string, z.ZodType>;
  for (const key of ACTIVEPIECES_ONLY_KEYS) {
    if (raw[key] === undefined) continue;
    const given = shape[key]!.safeParse(raw[key]);
    const dflt = shape[key]!.safeParse(undefined);
    if (given.success && dflt.success && JSON.stringify(given.data) === JSON.stringify(dflt.data)) continue;
    out.push({ key, value: raw[key], message: "applies to the activepieces profile only; remove it from a stack that sets profile" });
  }
  return out;
}

/** Hides a secret written in the stack file by mistake: the error names the key, never the value. */
function redactSecrets(p: ConfigProblem): ConfigProblem {
  return /\.secrets\.|\.secretArn$/.test(p.key) && typeof p.value === "string" && !SECRET_REF.test(p.value) ? { ...p, value: "[redacted]" } : p;
}

/** Validates a profile stack's raw config and applies every default. Throws ConfigError listing all problems. */
export function parseProfileStackConfig(raw: Record<string, unknown>, source: string): ProfileStackConfig {
  const apOnly = activePiecesOnlyProblems(raw);
  const rest = Object.fromEntries(Object.entries(raw).filter(([k]) => !ACTIVEPIECES_ONLY_KEYS.includes(k)));
  const result = ProfileStackConfigSchema.safeParse(rest);
  const problems = [...apOnly, ...(result.success ? [] : problemsFromZod(result.error, rest).map(redactSecrets))];
  if (!result.success || problems.length > 0) throw new ConfigError(problems, source);
  const c = result.data;
  const pods = poolPods(c.profile);
  if (c.platform === "eks") {
    // The node groups must hold the largest pod of each capacity; blame the role it comes from.
    const view = {
      architecture: c.architecture,
      app: { ...pods.app.size, requestsPerTarget: 1000 },
      worker: { ...pods.worker.size, capacity: { onDemandBase: 0, onDemandWeight: 0, spotWeight: 1 } },
      eks: c.eks,
    };
    const blame = (role: "app" | "worker") => {
      const named = role === "app" ? pods.app.roles : pods.worker.roles;
      const top = [...named].sort(([, a], [, b]) => b.cpu - a.cpu || b.memory - a.memory)[0];
      return top ? `profile.roles.${top[0]}.cpu` : "profile.roles";
    };
    for (const p of eksConfigProblems(view)) {
      const head = p.path[0];
      const key = head === "app" || head === "worker" ? blame(head) : p.path.join(".");
      const message = p.message.replace(/\b(app|worker) pod\b/, (_m, r: string) => (r === "app" ? "on-demand role pod" : "Spot role pod"));
      problems.push({ key, value: undefined, message });
    }
    if (problems.length > 0) throw new ConfigError(problems, source);
  }
  return {
    ...c,
    ...resolveSharedDefaults(c),
    kind: "profile",
    eks: resolveEksSettings(c.eks, c.architecture, pods.app.size, pods.worker.size),
  };
}
