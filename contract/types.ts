/**
 * The runtime contract of an ActivePieces release line, as data: what each role reads, what it
 * connects to (and with which trust), how its health and shutdown behave and how its memory is
 * spent. Read from ActivePieces' own source at 0.79.0 (a719b8c0), 0.80.0 (c48ff1e4) and 0.83.0
 * (04c19239); paths in comments are relative to that repository. No Pulumi import: the plan, the
 * components and the contract check all read these values.
 */

export type ReleaseLineId = "0.79" | "0.80" | "0.82";
export type RoleName = "app" | "worker";

/** Secrets a role can receive by reference; the platform maps each to a Secrets Manager ARN. */
export type SecretName = "encryptionKey" | "jwtSecret" | "workerToken" | "redisAuth" | "databasePassword";

/** What a connection goes to: the data tier, the app's internal endpoint, AWS APIs. */
export type EdgeTarget = "postgres" | "redis" | "app" | "s3";

export interface Edge {
  readonly target: EdgeTarget;
  readonly port: number;
  readonly tls: boolean;
  /**
   * Trust the client needs for the server's certificate: `rds-ca` is the Amazon RDS CA bundle of
   * the region (not in Node's store), `amazon` is Amazon's public roots (Node's store), `none` for
   * a plain connection inside the VPC.
   */
  readonly trust: "rds-ca" | "amazon" | "none";
  /** Why the role needs it, with the source that shows it. */
  readonly why: string;
}

export interface Health {
  readonly path: string;
  readonly port: number;
  /** `readiness`: fails until the role can serve; `liveness`: answers 200 whenever the process runs. */
  readonly meaning: "readiness" | "liveness";
}

export interface RoleContract {
  readonly containerType: "APP" | "WORKER";
  /** Variables this project sets for the role that its release reads. */
  readonly reads: readonly string[];
  readonly secrets: readonly SecretName[];
  readonly connects: readonly Edge[];
  /** The port the role listens on (health, and for the app, users and workers). */
  readonly listensOn: number;
  readonly health: Health;
}

export interface Shutdown {
  /** PID 1 of the published image. */
  readonly pid1: string;
  /** Whether SIGTERM from ECS or the kubelet reaches the node process. */
  readonly sigtermReachesNode: boolean;
  /** What happens to a running flow when the container stops. */
  readonly runningFlow: string;
}

export interface SandboxMemory {
  /** The role whose release reads AP_SANDBOX_MEMORY_LIMIT (the app sends it to workers in their settings). */
  readonly readBy: RoleName;
  /** The unit the worker applies the value in. */
  readonly unit: "KB" | "MB";
}

export interface ReleaseContract {
  readonly line: ReleaseLineId;
  /** Human label of the versions the line covers. */
  readonly covers: string;
  /** The release whose source the line was read from, and its commit. */
  readonly verifiedRelease: string;
  readonly sourceCommit: string;
  readonly roles: Readonly<Record<RoleName, RoleContract>>;
  readonly shutdown: Shutdown;
  readonly sandboxMemory: SandboxMemory;
}
