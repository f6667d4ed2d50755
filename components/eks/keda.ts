import * as k8s from "@pulumi/kubernetes";
import * as pulumi from "@pulumi/pulumi";
import { BACKLOG_KEYS, BACKLOG_PARTS } from "../../queue/keys";
import type { EksPlan } from "../../sizing/eks";
import type { RolePlan } from "../../sizing/types";
import { KEDA_CHART, SYSTEM_NODE_SELECTOR, helmRelease, resources } from "./helm";
import { REDIS_AUTH_SECRET, REDIS_TRIGGER_AUTH, WORKER_DEPLOYMENT } from "./names";

/** Installs KEDA (operator, metrics API server, admission webhooks) at the plan's pinned version. */
export function createKeda(
  name: string,
  plan: { readonly keda: Pick<EksPlan["keda"], "version"> },
  opts: { provider: k8s.Provider; parent: pulumi.Resource; dependsOn: pulumi.Resource[] },
): k8s.helm.v3.Release {
  return helmRelease(
    `${name}-keda`,
    { ...KEDA_CHART, version: plan.keda.version },
    {
      resources: {
        operator: resources("keda-operator"),
        metricServer: resources("keda-metrics-apiserver"),
        webhooks: resources("keda-admission-webhooks"),
      },
      nodeSelector: SYSTEM_NODE_SELECTOR,
    },
    opts,
  );
}

export interface WorkerScalerInput {
  readonly namespace: string;
  /** `host:port` of the Redis primary endpoint. */
  readonly address: string;
  readonly worker: Pick<RolePlan, "min" | "max">;
  readonly keda: EksPlan["keda"];
}

/**
 * The composite metric: the sum of the three triggers, named after their BACKLOG_KEYS part.
 * KEDA evaluates it with expr (https://expr-lang.org) over the trigger names; every name in the
 * formula must belong to a named trigger (apis/keda/v1alpha1/scaledobject_webhook.go,
 * `validateScalingModifiersFormula`, kedacore/keda).
 */
export const WORKER_BACKLOG_FORMULA = BACKLOG_PARTS.join(" + ");

/**
 * One redis trigger per backlog key. KEDA's redis scaler answers by the key's TYPE: ZCARD for a
 * sorted set, LLEN for a list (and for a missing key), SCARD for a set, HLEN for a hash
 * (pkg/scalers/redis_scaler.go, `NewRedisScaler` Lua script, kedacore/keda v2.12.0 through main).
 * It cannot count a score range, so `prioritized` here is ZCARD of the whole set, rate-limit lane 6
 * included, where the Fargate function counts lanes 1-5 only (docs/queue-backlog.md). With
 * scalingModifiers the HPA sees only the formula's result, so each trigger's own `listLength` is
 * not a target; it is still set (KEDA parses it) to the same per-pod value.
 */
function backlogTriggers(i: WorkerScalerInput): Record<string, unknown>[] {
  return BACKLOG_PARTS.map((part) => ({
    type: "redis",
    name: part,
    ...redisListTrigger({ address: i.address, listName: BACKLOG_KEYS[part].key, listLength: i.keda.listLength }),
  }));
}

/**
 * A KEDA redis (lists) trigger's metadata and authentication: `listLength` items per replica, over
 * TLS (ElastiCache has in-transit encryption on), database 0, active while the key holds anything,
 * the password from a TriggerAuthentication (triggerAuthenticationManifest), never a literal.
 * https://keda.sh/docs/2.21/scalers/redis-lists/
 */
export function redisListTrigger(t: { address: string; listName: string; listLength: number; authName?: string }): {
  metadata: Record<string, string>;
  authenticationRef: { name: string };
} {
  return {
    metadata: {
      address: t.address,
      listName: t.listName,
      listLength: String(t.listLength),
      activationListLength: "0",
      databaseIndex: "0",
      enableTLS: "true",
    },
    authenticationRef: { name: t.authName ?? REDIS_TRIGGER_AUTH },
  };
}

/**
 * The worker ScaledObject: KEDA reads the three BullMQ keys of queue/keys.ts BACKLOG_KEYS over TLS
 * (jobs waiting in `:prioritized` and `:wait`, jobs running in `:active`) and scales on their sum
 * with `target` = `listLength` jobs per worker pod, the worker concurrency, so every job, waiting
 * or running, has a slot, and busy workers are not scaled in when the waiting sets empty.
 * `advanced.scalingModifiers` (KEDA 2.12+; fields formula, target, activationTarget, metricType in
 * apis/keda/v1alpha1/scaledobject_types.go `ScalingModifiers`, unchanged on kedacore/keda main
 * after v2.20.2, so in the pinned 2.21.x) replaces the per-trigger HPA metrics by one composite
 * metric: https://keda.sh/docs/2.21/reference/scaledobject-spec/#scalingmodifiers and
 * https://keda.sh/docs/2.21/concepts/scaling-deployments/#scaling-modifiers.
 * `metricType: AverageValue` makes the HPA divide the sum by the pod count (desired =
 * ceil(sum / target)); `activationTarget` "0" keeps the object active while any job exists.
 * Scale-up is immediate; scale-down waits for the stabilization window so a short lull does not
 * stop workers mid-burst. https://keda.sh/docs/2.21/scalers/redis-lists/
 */
export function scaledObjectManifest(i: WorkerScalerInput): Record<string, unknown> {
  return {
    apiVersion: "keda.sh/v1alpha1",
    kind: "ScaledObject",
    metadata: { name: WORKER_DEPLOYMENT, namespace: i.namespace },
    spec: {
      scaleTargetRef: { apiVersion: "apps/v1", kind: "Deployment", name: WORKER_DEPLOYMENT },
      minReplicaCount: i.worker.min,
      maxReplicaCount: i.worker.max,
      pollingInterval: i.keda.pollingIntervalSeconds,
      cooldownPeriod: i.keda.scaleDownStabilizationSeconds,
      advanced: {
        restoreToOriginalReplicaCount: false,
        scalingModifiers: {
          formula: WORKER_BACKLOG_FORMULA,
          target: String(i.keda.listLength),
          activationTarget: "0",
          metricType: "AverageValue",
        },
        horizontalPodAutoscalerConfig: {
          behavior: {
            scaleUp: { stabilizationWindowSeconds: 0, policies: [{ type: "Percent", value: 100, periodSeconds: 15 }] },
            scaleDown: {
              stabilizationWindowSeconds: i.keda.scaleDownStabilizationSeconds,
              policies: [{ type: "Percent", value: 10, periodSeconds: 60 }],
            },
          },
        },
      },
      triggers: backlogTriggers(i),
    },
  };
}

/** The Redis password for the scaler, from the Secret External Secrets syncs; never a literal. */
export function triggerAuthenticationManifest(
  namespace: string,
  names: { readonly auth: string; readonly secret: string } = { auth: REDIS_TRIGGER_AUTH, secret: REDIS_AUTH_SECRET },
): Record<string, unknown> {
  return {
    apiVersion: "keda.sh/v1alpha1",
    kind: "TriggerAuthentication",
    metadata: { name: names.auth, namespace },
    spec: { secretTargetRef: [{ parameter: "password", name: names.secret, key: "password" }] },
  };
}

export function createWorkerScaler(
  name: string,
  args: { namespace: string; redisHost: pulumi.Input<string>; redisPort: pulumi.Input<number>; worker: RolePlan; keda: EksPlan["keda"] },
  opts: { provider: k8s.Provider; parent: pulumi.Resource; dependsOn: pulumi.Resource[] },
): { scaledObject: k8s.apiextensions.CustomResource; triggerAuthentication: k8s.apiextensions.CustomResource } {
  const auth = triggerAuthenticationManifest(args.namespace);
  const triggerAuthentication = new k8s.apiextensions.CustomResource(
    `${name}-redis-trigger-auth`,
    {
      apiVersion: auth.apiVersion as string,
      kind: auth.kind as string,
      metadata: auth.metadata as object,
      spec: auth.spec,
    },
    opts,
  );
  const manifest = pulumi
    .all([args.redisHost, args.redisPort])
    .apply(([host, port]) => scaledObjectManifest({ namespace: args.namespace, address: `${host}:${port}`, worker: args.worker, keda: args.keda }));
  const scaledObject = new k8s.apiextensions.CustomResource(
    `${name}-worker-scaler`,
    {
      apiVersion: "keda.sh/v1alpha1",
      kind: "ScaledObject",
      metadata: { name: WORKER_DEPLOYMENT, namespace: args.namespace },
      spec: manifest.apply((m) => m.spec),
    },
    { ...opts, dependsOn: [...opts.dependsOn, triggerAuthentication] },
  );
  return { scaledObject, triggerAuthentication };
}
