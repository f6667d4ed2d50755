import { z } from "zod";
import { DatabaseSchema, RedisSchema } from "./data-schema";
import { StackConfigSchema } from "./schema";
import { resolveSharedDefaults, type SharedDefaults, type StackConfig } from "./defaults";
import { eksConfigProblems, resolveEksSettings, type EksSettings } from "./eks-settings";
import { ConfigError, problemsFromZod, type ConfigProblem } from "./errors";
import { isObj, profileProblems } from "./profile-checks";
import { KEY, ProfileRoleSchema, ROLE_NAME, SECRET_REF, secretRef } from "./profile-role-schema";

/**
 * The `profile` key of the stack config: a service that is not ActivePieces, described as a map of
 * roles (its runtime contract) and the data tier it needs. Absent, the stack runs ActivePieces.
 * Objects are strict; every field is documented. Cross-field rules (one public role at least, no
 * two public roles on one path and host, neverPublic roles stay internal, bounds, connections to
 * what exists, secrets only as Secrets Manager references, Prometheus scaling only on EKS) are in
 * {@link profileProblems}, run by the stack schema below so each names the key to change.
 */

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
