import * as kubernetes from "@pulumi/kubernetes";
import * as pulumi from "@pulumi/pulumi";
import { CLUSTER_AUTOSCALER_CHART, EXTERNAL_SECRETS_CHART, KEDA_CHARTS, LOAD_BALANCER_CONTROLLER_CHART, type ChartEntry } from "../../catalog/charts";
import { POOL_LABEL } from "../../sizing/eks-pools";
import { systemPod } from "../../catalog/eks-nodes";

/**
 * Controllers are installed with `helm.v3.Release` rather than the v4 `Chart`: a Release is one
 * real resource whose chart, pinned version and values are its inputs (so tests and the policy pack
 * see them, and the v4 Chart, a remote component, registers as an opaque resource under mocks),
 * and Helm itself runs the chart's hooks and installs its CRDs in order.
 */
export interface ChartRef {
  readonly chart: string;
  readonly repo: string;
  readonly version: string;
  readonly namespace: string;
}

const ref = (c: ChartEntry, namespace: string): ChartRef => ({ chart: c.chart, repo: c.repo, version: c.version, namespace });

/** Pinned charts, from the dated catalogue catalog/charts.ts (where each version was shown to exist). */
export const CHARTS = {
  externalSecrets: ref(EXTERNAL_SECRETS_CHART, "external-secrets"),
  clusterAutoscaler: ref(CLUSTER_AUTOSCALER_CHART, "kube-system"),
  loadBalancerController: ref(LOAD_BALANCER_CONTROLLER_CHART, "kube-system"),
} as const satisfies Record<string, ChartRef>;

/** KEDA's chart; its version is the plan's (`eks.kedaVersion`, one of catalog/charts.ts KEDA_CHARTS). */
export const KEDA_CHART = { chart: KEDA_CHARTS[0]!.chart, repo: KEDA_CHARTS[0]!.repo, namespace: "keda" } as const;

/** Controllers run on the on-demand system-app pool only. */
export const SYSTEM_NODE_SELECTOR = { [POOL_LABEL]: "system-app" } as const;

/** Requests and memory limit of a controller, from the sizing table (the limit equals the request unless the table sets a higher one). */
export function resources(pod: string): { requests: { cpu: string; memory: string }; limits: { memory: string } } {
  const p = systemPod(pod);
  return { requests: { cpu: `${p.cpuMillis}m`, memory: `${p.memoryMiB}Mi` }, limits: { memory: `${Math.max(p.memoryMiB, p.limitMemoryMiB ?? 0)}Mi` } };
}

export function helmRelease(
  name: string,
  ref: ChartRef,
  values: pulumi.Input<Record<string, unknown>>,
  opts: { provider: kubernetes.Provider; parent: pulumi.Resource; dependsOn: pulumi.Resource[] },
): kubernetes.helm.v3.Release {
  return new kubernetes.helm.v3.Release(
    name,
    {
      name: ref.chart,
      chart: ref.chart,
      version: ref.version,
      namespace: ref.namespace,
      createNamespace: ref.namespace !== "kube-system",
      repositoryOpts: { repo: ref.repo },
      values,
      atomic: true,
      cleanupOnFail: true,
      timeout: 600,
    },
    { provider: opts.provider, parent: opts.parent, dependsOn: opts.dependsOn },
  );
}
