import { ROTATION_RESTART_ENV, type RestartPlatform } from "./contract";

interface Common {
  /** The secret whose rotation triggers the restart. */
  readonly secretArn: string;
  readonly region: string;
}

export interface FargateRestartConfig extends Common {
  readonly platform: "fargate";
  readonly cluster: string;
  readonly services: readonly string[];
}

export interface EksRestartConfig extends Common {
  readonly platform: "eks";
  readonly cluster: string;
  readonly namespace: string;
  /** ExternalSecrets to refresh before the restart (they write the Secrets the pods read). */
  readonly externalSecrets: readonly string[];
  readonly deployments: readonly string[];
}

export type RotationRestartConfig = FargateRestartConfig | EksRestartConfig;

/** Every problem with the environment at once, one line each: variable, value given, what is allowed. */
export class RotationRestartConfigError extends Error {
  constructor(readonly problems: readonly string[]) {
    super(`invalid rotation-restart environment:\n${problems.map((p) => `  - ${p}`).join("\n")}`);
    this.name = "RotationRestartConfigError";
  }
}

const SECRET_ARN = /^arn:aws[a-z-]*:secretsmanager:[a-z0-9-]+:\d{12}:secret:.+$/;
/** DNS-1123 names: Deployments, ExternalSecrets and namespaces. */
const K8S_NAME = /^[a-z0-9]([-a-z0-9.]*[a-z0-9])?$/;

function shown(v: string | undefined): string {
  return v === undefined ? "nothing" : JSON.stringify(v);
}

/** Reads the environment components/rotation-restart.ts sets (and AWS_REGION, which Lambda sets). */
export function loadConfig(env: Readonly<Record<string, string | undefined>>): RotationRestartConfig {
  const E = ROTATION_RESTART_ENV;
  const problems: string[] = [];
  const required = (name: string): string => {
    const v = env[name]?.trim();
    if (!v) problems.push(`${name}: required, a non-empty string (got ${shown(env[name])})`);
    return v ?? "";
  };
  const list = (name: string, pattern?: RegExp): string[] => {
    const items = (env[name] ?? "")
      .split(",")
      .map((s) => s.trim())
      .filter((s) => s !== "");
    if (items.length === 0) problems.push(`${name}: required, a comma-separated list of names (got ${shown(env[name])})`);
    for (const item of items) {
      if (pattern && !pattern.test(item)) problems.push(`${name}: "${item}" is not a Kubernetes object name`);
    }
    return items;
  };

  const secretArn = required(E.secretArn);
  if (secretArn && !SECRET_ARN.test(secretArn)) problems.push(`${E.secretArn}: a Secrets Manager secret ARN (got ${shown(secretArn)})`);
  const region = required(E.region);
  const platform = env[E.platform]?.trim() as RestartPlatform | undefined;

  let config: RotationRestartConfig | undefined;
  if (platform === "fargate") {
    config = { platform, secretArn, region, cluster: required(E.ecsCluster), services: list(E.ecsServices) };
  } else if (platform === "eks") {
    const namespace = required(E.namespace);
    if (namespace && !K8S_NAME.test(namespace)) problems.push(`${E.namespace}: "${namespace}" is not a namespace name`);
    config = {
      platform,
      secretArn,
      region,
      cluster: required(E.eksCluster),
      namespace,
      externalSecrets: list(E.syncObjects, K8S_NAME),
      deployments: list(E.deployments, K8S_NAME),
    };
  } else {
    problems.push(`${E.platform}: "fargate" or "eks" (got ${shown(env[E.platform])})`);
  }
  if (problems.length > 0 || !config) throw new RotationRestartConfigError(problems);
  return config;
}
