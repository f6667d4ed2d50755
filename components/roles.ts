import * as pulumi from "@pulumi/pulumi";
import { renderRole, roleSecrets, type RenderedVar } from "../contract/render";
import type { RoleName, SecretName } from "../contract/types";
import type { Plan } from "../sizing/types";
import type { Database } from "./database";
import type { Queue } from "./queue";
import { formatSecretRef } from "./secret-ref";
import type { AppSecrets } from "./secrets";
import type { Storage } from "./storage";

/**
 * A role's container settings on any platform: the variables come from the release contract and
 * the plan (contract/render.ts), resolved against the data tier's outputs; each secret is a
 * reference to Secrets Manager. The Fargate service and the EKS workloads both render from here,
 * so a role is never a copy of another and gets only what its release reads.
 */

/** A secret the container receives by reference (ECS `valueFrom`, Kubernetes `secretKeyRef`). */
export interface SecretRef {
  readonly name: string;
  /** Secrets Manager ARN, optionally with a JSON key suffix (`<arn>:password::`, components/secret-ref.ts). */
  readonly valueFrom: pulumi.Input<string>;
}

export interface RoleWiring {
  readonly databaseHost: pulumi.Input<string>;
  readonly databasePort: pulumi.Input<number>;
  readonly databaseName: pulumi.Input<string>;
  readonly databaseUser: pulumi.Input<string>;
  readonly redisHost: pulumi.Input<string>;
  readonly redisPort: pulumi.Input<number>;
  readonly bucketName: pulumi.Input<string>;
  /** Where each secret the contract names is kept. */
  readonly secretArns: Readonly<Record<SecretName, pulumi.Input<string>>>;
}

/** The data-tier and secrets components a platform wires its containers to. */
export interface DataTier {
  readonly database: Pick<Database, "address" | "port" | "dbName" | "username" | "masterUserSecretArn">;
  readonly queue: Pick<Queue, "primaryEndpoint" | "port">;
  readonly secrets: Pick<AppSecrets, "encryptionKeyArn" | "jwtSecretArn" | "workerTokenArn" | "redisAuthArn">;
  readonly storage: Pick<Storage, "bucketName">;
}

/** Endpoints and secret ARNs of the shared tiers, as the role containers need them. */
export function roleWiring({ database, queue, secrets, storage }: DataTier): RoleWiring {
  return {
    databaseHost: database.address,
    databasePort: database.port,
    databaseName: database.dbName,
    databaseUser: database.username,
    redisHost: queue.primaryEndpoint,
    redisPort: queue.port,
    bucketName: storage.bucketName,
    secretArns: {
      encryptionKey: secrets.encryptionKeyArn,
      jwtSecret: secrets.jwtSecretArn,
      workerToken: secrets.workerTokenArn,
      redisAuth: secrets.redisAuthArn,
      // The RDS-managed master secret is JSON; the container reads its `password` key (secret-ref.ts).
      databasePassword: pulumi.output(database.masterUserSecretArn).apply((arn) => formatSecretRef(arn, "password")),
    },
  };
}

export interface RoleContainer {
  readonly environment: pulumi.Output<RenderedVar[]>;
  readonly secrets: SecretRef[];
}

export function roleContainer(plan: Plan, role: RoleName, w: RoleWiring): RoleContainer {
  const environment = pulumi.all([w.databaseHost, w.databasePort, w.databaseName, w.databaseUser, w.redisHost, w.redisPort, w.bucketName]).apply(
    ([databaseHost, databasePort, databaseName, databaseUser, redisHost, redisPort, bucketName]) =>
      renderRole(plan, role, {
        databaseHost,
        databasePort: String(databasePort),
        databaseName,
        databaseUser,
        redisHost,
        redisPort: String(redisPort),
        bucketName,
      }).environment,
  );
  const secrets = [
    ...roleSecrets(plan, role).map((s) => ({ name: s.name, valueFrom: w.secretArns[s.secret] })),
    // extraSecrets: the ARN as given, or one JSON key of it (secret-ref.ts).
    ...plan.extras[role].secrets.map((s) => ({ name: s.name, valueFrom: formatSecretRef(s.arn, s.key) })),
  ];
  return { environment, secrets };
}
