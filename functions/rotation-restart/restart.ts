import { UpdateServiceCommand, type ECSClient } from "@aws-sdk/client-ecs";
import type { Logger } from "../queue-metric/log";
import { eksToken, type CredentialsProvider, type DescribeCluster } from "./aws";
import type { EksRestartConfig, FargateRestartConfig, RotationRestartConfig } from "./config";
import { EXTERNAL_SECRETS_API, FORCE_SYNC_ANNOTATION, RESTARTED_AT_ANNOTATION, ROTATION_EVENT } from "./contract";
import { kubeGet, kubeMergePatch, type KubeConnection } from "./kube";

/** Everything the core touches, injected: tests stub ECS with aws-sdk-client-mock and EKS with a loopback server. */
export interface RestartDeps {
  readonly config: RotationRestartConfig;
  readonly log: Logger;
  /** Fargate mode. */
  readonly ecs?: ECSClient;
  /** EKS mode: the execution role's credentials, and where the cluster's API is. */
  readonly credentials?: CredentialsProvider;
  readonly describeCluster?: DescribeCluster;
  readonly now?: () => Date;
  /** How long to wait for External Secrets to write the new password, and how often to look. */
  readonly syncTimeoutMs?: number;
  readonly pollIntervalMs?: number;
  readonly sleep?: (ms: number) => Promise<void>;
}

export type RestartResult =
  | { readonly restarted: false; readonly reason: string }
  | { readonly restarted: true; readonly platform: "fargate"; readonly services: readonly string[] }
  | { readonly restarted: true; readonly platform: "eks"; readonly externalSecrets: readonly string[]; readonly deployments: readonly string[] };

export const SYNC_TIMEOUT_MS = 60_000;
export const POLL_INTERVAL_MS = 2_000;

type Stage = "event" | "ecs" | "describe-cluster" | "refresh" | "restart";

class StageError extends Error {
  constructor(
    readonly stage: Stage,
    message: string,
  ) {
    super(message);
  }
}

function messageOf(err: unknown): string {
  return err instanceof Error ? err.message : String(err);
}

const isRecord = (v: unknown): v is Record<string, unknown> => typeof v === "object" && v !== null && !Array.isArray(v);
const strings = (v: unknown): string[] => (Array.isArray(v) ? v.filter((x): x is string => typeof x === "string") : typeof v === "string" ? [v] : []);

/** The friendly name inside a secret ARN: `arn:...:secret:rds!db-1234-AbCdEf` -> `rds!db-1234` (Secrets Manager adds six random characters). */
export function secretNameOf(arn: string): string {
  const name = arn.slice(arn.indexOf(":secret:") + ":secret:".length);
  return name.replace(/-[A-Za-z0-9]{6}$/, "");
}

/** What an EventBridge event says about a secret: which one (ARNs or names), and whether it means "rotated". */
export interface SecretEvent {
  readonly ids: readonly string[];
  /** False for events that do not mean the current value changed (another label, another event). */
  readonly rotated: boolean;
  readonly kind: string;
}

/**
 * Reads the native `Secret Label Updated` event (contract.ts ROTATION_EVENT: the secret ARN in
 * `resources`, the label in `detail.labelUpdated`) and, for a rule someone points at CloudTrail,
 * `RotationSucceeded` (`detail.additionalEventData.SecretId`, an ARN or a name).
 */
export function readSecretEvent(event: unknown): SecretEvent {
  if (!isRecord(event) || event.source !== ROTATION_EVENT.source) return { ids: [], rotated: false, kind: "not a Secrets Manager event" };
  const detail = isRecord(event.detail) ? event.detail : {};
  const type = String(event["detail-type"]);
  if (type === ROTATION_EVENT.detailType) {
    return { ids: strings(event.resources), rotated: detail.labelUpdated === ROTATION_EVENT.label, kind: `${type} ${String(detail.labelUpdated)}` };
  }
  if (detail.eventName === "RotationSucceeded") {
    const extra = isRecord(detail.additionalEventData) ? detail.additionalEventData : {};
    return { ids: strings(extra.SecretId), rotated: true, kind: "RotationSucceeded" };
  }
  return { ids: [], rotated: false, kind: `${type} ${typeof detail.eventName === "string" ? detail.eventName : ""}`.trim() };
}

function isWatchedSecret(secretArn: string, ids: readonly string[]): boolean {
  return ids.some((id) => id === secretArn || id === secretNameOf(secretArn));
}

/** Runs every task; logs each failure; throws one error naming all of them. */
async function all<T>(stage: Stage, items: readonly string[], run: (item: string) => Promise<T>, log: Logger): Promise<T[]> {
  const settled = await Promise.allSettled(items.map(run));
  const failed = settled.flatMap((s, i) => (s.status === "rejected" ? [`${items[i]}: ${messageOf(s.reason)}`] : []));
  for (const f of failed) log.error({ msg: "rotation restart step failed", stage, error: f });
  if (failed.length > 0) throw new StageError(stage, failed.join("; "));
  return settled.map((s) => (s as PromiseFulfilledResult<T>).value);
}

/**
 * ECS reads `secrets` only when a task starts; a forced deployment replaces every task with one
 * that reads the current value. https://docs.aws.amazon.com/AmazonECS/latest/developerguide/secrets-envvar-secrets-manager.html
 * https://docs.aws.amazon.com/AmazonECS/latest/APIReference/API_UpdateService.html (forceNewDeployment)
 */
async function restartFargate(config: FargateRestartConfig, deps: RestartDeps): Promise<RestartResult> {
  const ecs = deps.ecs;
  if (!ecs) throw new StageError("ecs", "no ECS client");
  await all("ecs", config.services, (service) => ecs.send(new UpdateServiceCommand({ cluster: config.cluster, service, forceNewDeployment: true })), deps.log);
  return { restarted: true, platform: "fargate", services: config.services };
}

interface ExternalSecretStatus {
  readonly status?: { readonly syncedResourceVersion?: string; readonly conditions?: readonly { type?: string; status?: string; message?: string }[] };
}

/**
 * Annotates the ExternalSecret, then waits until External Secrets has synced that version of it:
 * its `status.syncedResourceVersion` is "<generation>-<hash of labels and annotations>", so it
 * changes once the annotated object has been reconciled (Ready=True) and the Kubernetes Secret
 * holds the current value. Restarting pods before that would start them with the old password.
 */
async function refreshExternalSecret(conn: KubeConnection, config: EksRestartConfig, name: string, stamp: string, deps: RestartDeps): Promise<void> {
  const path = `${EXTERNAL_SECRETS_API}/namespaces/${config.namespace}/externalsecrets/${name}`;
  const patched = (await kubeMergePatch(conn, path, { metadata: { annotations: { [FORCE_SYNC_ANNOTATION]: stamp } } })) as ExternalSecretStatus | undefined;
  const before = patched?.status?.syncedResourceVersion;
  const sleep = deps.sleep ?? ((ms: number) => new Promise<void>((r) => setTimeout(r, ms)));
  const timeout = deps.syncTimeoutMs ?? SYNC_TIMEOUT_MS;
  const started = Date.now();
  let last = "";
  for (;;) {
    const es = (await kubeGet(conn, path)) as ExternalSecretStatus | undefined;
    const ready = es?.status?.conditions?.find((c) => c.type === "Ready");
    const version = es?.status?.syncedResourceVersion;
    if (version !== undefined && version !== before && ready?.status === "True") return;
    last = ready ? `Ready=${ready.status ?? "?"}${ready.message ? ` (${ready.message})` : ""}` : "no Ready condition";
    if (Date.now() - started >= timeout) throw new Error(`not synced within ${timeout} ms after ${FORCE_SYNC_ANNOTATION}=${stamp}: ${last}`);
    await sleep(deps.pollIntervalMs ?? POLL_INTERVAL_MS);
  }
}

/**
 * External Secrets copies the new password into the Kubernetes Secret (force-sync), then each
 * Deployment gets a new pod template annotation, as `kubectl rollout restart` does, so its pods are
 * replaced by rolling update and read the Secret again at start.
 */
async function restartEks(config: EksRestartConfig, deps: RestartDeps): Promise<RestartResult> {
  const { credentials, describeCluster } = deps;
  if (!credentials || !describeCluster) throw new StageError("describe-cluster", "no credentials or DescribeCluster");
  let access;
  try {
    access = await describeCluster(config.cluster);
  } catch (err) {
    throw new StageError("describe-cluster", messageOf(err));
  }
  const conn: KubeConnection = {
    endpoint: access.endpoint,
    caData: access.caData,
    token: async () => eksToken({ clusterName: config.cluster, region: config.region, credentials: await credentials(), now: deps.now?.() }),
  };
  const stamp = (deps.now?.() ?? new Date()).toISOString();
  await all("refresh", config.externalSecrets, (name) => refreshExternalSecret(conn, config, name, stamp, deps), deps.log);
  await all(
    "restart",
    config.deployments,
    (name) =>
      kubeMergePatch(conn, `/apis/apps/v1/namespaces/${config.namespace}/deployments/${name}`, {
        spec: { template: { metadata: { annotations: { [RESTARTED_AT_ANNOTATION]: stamp } } } },
      }),
    deps.log,
  );
  return { restarted: true, platform: "eks", externalSecrets: config.externalSecrets, deployments: config.deployments };
}

/**
 * One event: ignored unless it says the watched secret has a new current value; otherwise every
 * role that reads the secret is restarted. Any failure is logged and thrown, so the function's
 * asynchronous invocation is retried and shows in its Errors metric.
 */
export async function restartOnRotation(event: unknown, deps: RestartDeps): Promise<RestartResult> {
  const { config, log } = deps;
  const seen = readSecretEvent(event);
  if (!isWatchedSecret(config.secretArn, seen.ids)) {
    const reason = seen.ids.length === 0 ? `no secret in the event (${seen.kind})` : `event for another secret (${seen.ids.join(", ")})`;
    log.info({ msg: "event ignored", reason, secret: config.secretArn });
    return { restarted: false, reason };
  }
  if (!seen.rotated) {
    const reason = `not a rotation (${seen.kind})`;
    log.info({ msg: "event ignored", reason, secret: config.secretArn });
    return { restarted: false, reason };
  }
  try {
    const result = config.platform === "fargate" ? await restartFargate(config, deps) : await restartEks(config, deps);
    log.info({ msg: "restarted after rotation", secret: config.secretArn, event: seen.kind, ...result });
    return result;
  } catch (err) {
    const stage: Stage = err instanceof StageError ? err.stage : "event";
    log.error({ msg: "rotation restart failed", stage, error: messageOf(err), secret: config.secretArn, platform: config.platform });
    throw err;
  }
}
