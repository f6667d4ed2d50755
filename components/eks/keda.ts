import * as k8s from "@pulumi/kubernetes";
import * as pulumi from "@pulumi/pulumi";
import { BACKLOG_KEY } from "../../queue/keys";
import type { EksPlan } from "../../sizing/eks";
import type { RolePlan } from "../../sizing/types";
import { KEDA_CHART, SYSTEM_NODE_SELECTOR, helmRelease, resources } from "./helm";
import { REDIS_AUTH_SECRET, REDIS_TRIGGER_AUTH, WORKER_DEPLOYMENT } from "./names";

/** Installs KEDA (operator, metrics API server, admission webhooks) at the plan's pinned version. */
export function createKeda(
  name: string, plan: EksPlan,
  opts: { provider: k8s.Provider; parent: pulumi.Resource; dependsOn: pulumi.Resource[] },
): k8s.helm.v3.Release {
  return helmRelease(`${name}-keda`, { ...KEDA_CHART, version: plan.keda.version }, {
    resources: {
      operator: resources("keda-operator"),
      metricServer: resources("keda-metrics-apiserver"),
      webhooks: resources("keda-admission-webhooks"),
    },
    nodeSelector: SYSTEM_NODE_SELECTOR,
  }, opts);
}

export interface WorkerScalerInput {
  readonly namespace: string;
  /** `host:port` of the Redis primary endpoint. */
  readonly address: string;
  readonly worker: Pick<RolePlan, "min" | "max">;
  readonly keda: EksPlan["keda"];
}

/**
 * The worker ScaledObject: KEDA's redis scaler reads the length of BullMQ's prioritized set
 * (`BACKLOG_KEY` from queue/keys.ts, where ActivePieces' waiting jobs sit; the scaler reads lists,
 * sets and sorted sets) over TLS, and targets `listLength` queued jobs per worker pod, the
 * worker concurrency, so every queued job gets a slot. Scale-up is immediate; scale-down waits
 * for the stabilization window so a short lull does not stop workers mid-burst.
 * https://keda.sh/docs/latest/scalers/redis-lists/
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
      triggers: [{
        type: "redis",
        metadata: {
          address: i.address,
          listName: BACKLOG_KEY,
          listLength: String(i.keda.listLength),
          activationListLength: "0",
          databaseIndex: "0",
          enableTLS: "true",
        },
        authenticationRef: { name: REDIS_TRIGGER_AUTH },
      }],
    },
  };
}

/** The Redis password for the scaler, from the Secret External Secrets syncs; never a literal. */
export function triggerAuthenticationManifest(namespace: string): Record<string, unknown> {
  return {
    apiVersion: "keda.sh/v1alpha1",
    kind: "TriggerAuthentication",
    metadata: { name: REDIS_TRIGGER_AUTH, namespace },
    spec: { secretTargetRef: [{ parameter: "password", name: REDIS_AUTH_SECRET, key: "password" }] },
  };
}

export function createWorkerScaler(
  name: string,
  args: { namespace: string; redisHost: pulumi.Input<string>; redisPort: pulumi.Input<number>; worker: RolePlan; keda: EksPlan["keda"] },
  opts: { provider: k8s.Provider; parent: pulumi.Resource; dependsOn: pulumi.Resource[] },
): { scaledObject: k8s.apiextensions.CustomResource; triggerAuthentication: k8s.apiextensions.CustomResource } {
  const auth = triggerAuthenticationManifest(args.namespace);
  const triggerAuthentication = new k8s.apiextensions.CustomResource(`${name}-redis-trigger-auth`, {
    apiVersion: auth.apiVersion as string, kind: auth.kind as string, metadata: auth.metadata as object, spec: auth.spec,
  }, opts);
  const manifest = pulumi.all([args.redisHost, args.redisPort]).apply(([host, port]) =>
    scaledObjectManifest({ namespace: args.namespace, address: `${host}:${port}`, worker: args.worker, keda: args.keda }));
  const scaledObject = new k8s.apiextensions.CustomResource(`${name}-worker-scaler`, {
    apiVersion: "keda.sh/v1alpha1",
    kind: "ScaledObject",
    metadata: { name: WORKER_DEPLOYMENT, namespace: args.namespace },
    spec: manifest.apply((m) => m.spec),
  }, { ...opts, dependsOn: [...opts.dependsOn, triggerAuthentication] });
  return { scaledObject, triggerAuthentication };
}
