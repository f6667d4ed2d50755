import * as kubernetes from "@pulumi/kubernetes";
import * as pulumi from "@pulumi/pulumi";
import { POOL_LABEL } from "../../sizing/eks";
import { systemPod } from "../../sizing/eks-nodes";

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

/** Pinned charts. Versions: https://github.com/kedacore/charts/releases, https://github.com/external-secrets/external-secrets/releases, https://github.com/kubernetes/autoscaler/releases, https://github.com/aws/eks-charts/releases */
export const CHARTS = {
  externalSecrets: { chart: "external-secrets", repo: "https://charts.external-secrets.io", version: "0.18.2", namespace: "external-secrets" },
  clusterAutoscaler: { chart: "cluster-autoscaler", repo: "https://kubernetes.github.io/autoscaler", version: "9.50.0", namespace: "kube-system" },
  loadBalancerController: { chart: "aws-load-balancer-controller", repo: "https://aws.github.io/eks-charts", version: "1.13.4", namespace: "kube-system" },
} as const satisfies Record<string, ChartRef>;

export const KEDA_CHART = { chart: "keda", repo: "https://kedacore.github.io/charts", namespace: "keda" } as const;

/** Controllers run on the on-demand system-app pool only. */
export const SYSTEM_NODE_SELECTOR = { [POOL_LABEL]: "system-app" } as const;

/** Requests (and a memory limit equal to the request) of a controller, from the sizing table. */
export function resources(pod: string): { requests: { cpu: string; memory: string }; limits: { memory: string } } {
  const p = systemPod(pod);
  return { requests: { cpu: `${p.cpuMillis}m`, memory: `${p.memoryMiB}Mi` }, limits: { memory: `${p.memoryMiB}Mi` } };
}

export function helmRelease(
  name: string, ref: ChartRef, values: pulumi.Input<Record<string, unknown>>,
  opts: { provider: kubernetes.Provider; parent: pulumi.Resource; dependsOn: pulumi.Resource[] },
): kubernetes.helm.v3.Release {
  return new kubernetes.helm.v3.Release(name, {
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
  }, { provider: opts.provider, parent: opts.parent, dependsOn: opts.dependsOn });
}
