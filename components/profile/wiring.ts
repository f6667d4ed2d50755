import * as pulumi from "@pulumi/pulumi";
import type { ProfileRolePlan, WorkloadPlan } from "../../sizing/profile-types";
import type { RoleContainer, SecretRef } from "../roles";
import { formatSecretRef } from "../secret-ref";
import { substitute, type EnvReference } from "../../config/profile-env";
import type { ProfilePlatformArgs } from "./args";

/**
 * How a container finds the data tier its contract connects to: the plan cannot know endpoints, so
 * they are set here, only on the roles whose `connects` names them; a variable the plan already
 * sets wins. The Redis AUTH token and the PostgreSQL password are secrets (by reference), never
 * environment.
 */
export const PROFILE_WIRING_ENV = {
  redis: { host: "REDIS_HOST", port: "REDIS_PORT", tls: "REDIS_TLS", password: "REDIS_PASSWORD" },
  postgres: { host: "POSTGRES_HOST", port: "POSTGRES_PORT", database: "POSTGRES_DB", user: "POSTGRES_USER", password: "POSTGRES_PASSWORD" },
  /** `S3_BUCKET_<KEY>` (key upper-cased, `-` to `_`), plus AWS_REGION. */
  bucketPrefix: "S3_BUCKET_",
  region: "AWS_REGION",
  /** `<ROLE>_URL` (role upper-cased, `-` to `_`) = `http://<role>:<port>` (Service Connect on Fargate, the ClusterIP Service on EKS). */
  roleUrlSuffix: "_URL",
} as const;

const envKey = (s: string) => s.toUpperCase().replace(/[^A-Z0-9]/g, "_");

/**
 * The environment and secrets of a profile role on either platform: the plan's own, plus the
 * endpoints of the data tier and internal roles its contract connects to (PROFILE_WIRING_ENV). An
 * internal role is `http://<role>:<port>` on both: an ECS Service Connect name on Fargate, the
 * role's ClusterIP Service in the same namespace on EKS.
 */
export function profileWiring(plan: WorkloadPlan, r: ProfileRolePlan, args: Omit<ProfilePlatformArgs, "plan" | "network">): RoleContainer {
  const W = PROFILE_WIRING_ENV;
  const wired: Record<string, pulumi.Input<string>> = {};
  const secrets: SecretRef[] = r.secrets.map((s) => ({ name: s.name, valueFrom: s.valueFrom }));
  const addSecret = (name: string, valueFrom: pulumi.Input<string>) => {
    if (!r.secrets.some((s) => s.name === name)) secrets.push({ name, valueFrom });
  };
  for (const e of r.connects) {
    if (e.target === "redis" && args.queue) {
      wired[W.redis.host] = args.queue.primaryEndpoint;
      wired[W.redis.port] = args.queue.port.apply(String);
      wired[W.redis.tls] = "true";
      if (args.redisAuthSecretArn) addSecret(W.redis.password, args.redisAuthSecretArn);
    } else if (e.target === "postgres" && args.database) {
      wired[W.postgres.host] = args.database.address;
      wired[W.postgres.port] = args.database.port.apply(String);
      wired[W.postgres.database] = args.database.dbName;
      wired[W.postgres.user] = args.database.username;
      // The RDS-managed master secret is JSON; the container reads its `password` key.
      addSecret(
        W.postgres.password,
        args.database.masterUserSecretArn.apply((arn) => formatSecretRef(arn, "password")),
      );
    } else if (e.target === "s3" && args.buckets[e.bucket]) {
      wired[`${W.bucketPrefix}${envKey(e.bucket)}`] = args.buckets[e.bucket]!.bucketName;
      wired[W.region] = plan.region;
    } else if (e.target === "role") {
      wired[`${envKey(e.role)}${W.roleUrlSuffix}`] = `http://${e.role}:${e.port}`;
    }
  }
  const keys = Object.keys(wired).filter((k) => !(k in r.env));
  // `${...}` references in the plan's env take the same endpoints (config/profile-env.ts; the plan
  // checked each against the role's edges).
  const endpoints: Record<string, pulumi.Input<string>> = {
    region: plan.region,
    ...(args.queue ? { "redis.host": args.queue.primaryEndpoint, "redis.port": args.queue.port.apply(String) } : {}),
    ...(args.database
      ? {
          "postgres.host": args.database.address,
          "postgres.port": args.database.port.apply(String),
          "postgres.database": args.database.dbName,
          "postgres.user": args.database.username,
        }
      : {}),
    ...Object.fromEntries(Object.entries(args.buckets).map(([key, storage]) => [`bucket.${key}`, storage.bucketName])),
    ...Object.fromEntries(r.connects.flatMap((e) => (e.target === "role" ? [[`role.${e.role}.url`, `http://${e.role}:${e.port}`]] : []))),
  };
  const environment = pulumi.all([pulumi.all(keys.map((k) => wired[k]!)), pulumi.all(endpoints)]).apply(([values, known]) => {
    const resolve = (ref: EnvReference): string => {
      const text = referenceText(ref);
      const value = known[text];
      if (value === undefined) throw new Error(`role ${r.name}: \${${text}} has no endpoint in this stack`);
      return value;
    };
    return [
      ...Object.entries(r.env).map(([name, value]) => ({ name, value: substitute(value, resolve) })),
      ...keys.map((name, i) => ({ name, value: values[i]! })),
    ];
  });
  return { environment, secrets };
}

/** The canonical text of a reference (the key of the endpoints table above). */
function referenceText(ref: EnvReference): string {
  switch (ref.kind) {
    case "redis":
    case "postgres":
      return `${ref.kind}.${ref.field}`;
    case "bucket":
      return `bucket.${ref.bucket}`;
    case "role":
      return `role.${ref.role}.url`;
    case "region":
      return "region";
  }
}
