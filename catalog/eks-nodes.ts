/**
 * What one EKS node can hold: max pods, kubelet reservations, eviction threshold and the system
 * pods every node and the cluster carry. Pure; the formulas are the EKS AMI's. A catalogue of facts
 * outside the project, so the config schema (instance-type checks) and sizing (node groups) share it
 * without config importing sizing.
 */
import { instanceSpec, type InstanceSpec } from "./ec2-instances";

/**
 * Pods a node can run with the VPC CNI (one IP per pod, no prefix delegation):
 * ENIs x (IPv4 per ENI - 1) + 2, the formula behind the EKS AMI's max-pods table
 * (https://docs.aws.amazon.com/eks/latest/userguide/choosing-instance-type.html#determine-max-pods).
 */
export function maxPods(spec: InstanceSpec): number {
  return spec.enis * (spec.ipv4PerEni - 1) + 2;
}

/**
 * CPU the EKS AMI reserves for kubelet and the runtime (kube-reserved): 6% of the first core,
 * 1% of the second, 0.5% of the third and fourth, 0.25% of every further core, in millicores.
 * https://github.com/awslabs/amazon-eks-ami (nodeadm kubelet config, "getCPUMillicoresToReserve")
 */
export function kubeReservedCpuMillis(vcpu: number): number {
  const steps: [number, number][] = [
    [1, 0.06],
    [1, 0.01],
    [2, 0.005],
    [Number.POSITIVE_INFINITY, 0.0025],
  ];
  let left = vcpu;
  let reserved = 0;
  for (const [cores, share] of steps) {
    const n = Math.min(left, cores);
    reserved += n * 1000 * share;
    left -= n;
    if (left <= 0) break;
  }
  return Math.round(reserved);
}

/** Memory the EKS AMI reserves for kubelet: 255 MiB + 11 MiB per pod the node may run (same source). */
export function kubeReservedMemoryMiB(pods: number): number {
  return 255 + 11 * pods;
}

/** kubelet's hard eviction threshold on the EKS AMI (memory.available < 100Mi). */
export const EVICTION_HARD_MEMORY_MIB = 100;
/**
 * Share of the nominal memory the hypervisor and kernel keep (a node reports less than its
 * instance size); Karpenter's default estimate, https://karpenter.sh/docs/reference/settings/ (VM_MEMORY_OVERHEAD_PERCENT).
 */
export const VM_MEMORY_OVERHEAD = 0.075;

/** Resources one pod asks for, in millicores and MiB. */
export interface PodRequest {
  readonly cpuMillis: number;
  readonly memoryMiB: number;
}

/** What the scheduler can place on a node: capacity minus kube-reserved and the eviction threshold. */
export interface Allocatable extends PodRequest {
  readonly pods: number;
}

export function allocatable(spec: InstanceSpec): Allocatable {
  const pods = maxPods(spec);
  const capacityMiB = Math.floor(spec.memoryGiB * 1024 * (1 - VM_MEMORY_OVERHEAD));
  return {
    cpuMillis: spec.vcpu * 1000 - kubeReservedCpuMillis(spec.vcpu),
    memoryMiB: capacityMiB - kubeReservedMemoryMiB(pods) - EVICTION_HARD_MEMORY_MIB,
    pods,
  };
}

/** A pod the platform runs besides ActivePieces, with the requests it asks for. */
export interface SystemPod extends PodRequest {
  readonly name: string;
  readonly replicas: number;
  /** Where the request comes from: the add-on's default or the Helm values this project sets. */
  readonly source: string;
  /** Memory limit when it is above the request (a chart's default limit); otherwise the limit equals the request. */
  readonly limitMemoryMiB?: number;
}

/**
 * KEDA's chart defaults for each of its three pods: requests 100m CPU / 100Mi, limits 1 CPU / 1000Mi
 * (keda/values.yaml `resources.operator|metricServer|webhooks` at kedacore/charts v2.20.2 and main
 * 1444d00, and the "Cluster Capacity" table of https://keda.sh/docs/2.22/operate/cluster/). The
 * project asks for at least the requests and keeps the default memory limit: a KEDA pod cut below
 * it is OOM-killed under load and the workers stop scaling.
 */
export const KEDA_CHART_DEFAULT = { cpuMillis: 100, memoryMiB: 100, limitMemoryMiB: 1000 } as const;

/**
 * DaemonSets on every node (including the tainted Spot nodes: they tolerate every taint).
 * The EBS CSI driver is not installed: ActivePieces keeps files in S3 and state in RDS/Redis, no volumes.
 */
export const DAEMONSETS: readonly SystemPod[] = [
  { name: "aws-node", replicas: 1, cpuMillis: 25, memoryMiB: 0, source: "VPC CNI add-on default request (25m)" },
  { name: "kube-proxy", replicas: 1, cpuMillis: 100, memoryMiB: 0, source: "kube-proxy add-on default request (100m)" },
  { name: "eks-pod-identity-agent", replicas: 1, cpuMillis: 0, memoryMiB: 0, source: "Pod Identity Agent add-on; sets no request, counted as a pod" },
];

/**
 * Cluster controllers, all on the on-demand (system + app) node group. The Helm-installed ones get
 * exactly these requests in their values (components/eks reads this table), so sizing and the
 * deployment cannot disagree.
 */
export const SYSTEM_DEPLOYMENTS: readonly SystemPod[] = [
  { name: "coredns", replicas: 2, cpuMillis: 100, memoryMiB: 70, source: "CoreDNS add-on default" },
  { name: "metrics-server", replicas: 2, cpuMillis: 100, memoryMiB: 200, source: "metrics-server add-on default (HPA CPU metrics)" },
  {
    name: "keda-operator",
    replicas: 1,
    cpuMillis: 100,
    memoryMiB: 128,
    limitMemoryMiB: KEDA_CHART_DEFAULT.limitMemoryMiB,
    source: "Helm values (at least the chart's defaults)",
  },
  {
    name: "keda-metrics-apiserver",
    replicas: 1,
    cpuMillis: 100,
    memoryMiB: 128,
    limitMemoryMiB: KEDA_CHART_DEFAULT.limitMemoryMiB,
    source: "Helm values (at least the chart's defaults)",
  },
  {
    name: "keda-admission-webhooks",
    replicas: 1,
    cpuMillis: KEDA_CHART_DEFAULT.cpuMillis,
    memoryMiB: KEDA_CHART_DEFAULT.memoryMiB,
    limitMemoryMiB: KEDA_CHART_DEFAULT.limitMemoryMiB,
    source: "Helm values (the chart's defaults)",
  },
  { name: "external-secrets", replicas: 1, cpuMillis: 50, memoryMiB: 128, source: "Helm values" },
  { name: "external-secrets-webhook", replicas: 1, cpuMillis: 20, memoryMiB: 64, source: "Helm values" },
  { name: "external-secrets-cert-controller", replicas: 1, cpuMillis: 20, memoryMiB: 64, source: "Helm values" },
  { name: "aws-load-balancer-controller", replicas: 2, cpuMillis: 100, memoryMiB: 128, source: "Helm values" },
  { name: "cluster-autoscaler", replicas: 1, cpuMillis: 100, memoryMiB: 300, source: "Helm values" },
];

export function systemPod(name: string): SystemPod {
  const pod = [...DAEMONSETS, ...SYSTEM_DEPLOYMENTS].find((p) => p.name === name);
  if (!pod) throw new Error(`no system pod named ${name}`);
  return pod;
}

function sum(pods: readonly SystemPod[]): Allocatable {
  return pods.reduce(
    (a, p) => ({
      cpuMillis: a.cpuMillis + p.cpuMillis * p.replicas,
      memoryMiB: a.memoryMiB + p.memoryMiB * p.replicas,
      pods: a.pods + p.replicas,
    }),
    { cpuMillis: 0, memoryMiB: 0, pods: 0 },
  );
}

/** Requests of every DaemonSet pod on one node. */
export const DAEMONSET_OVERHEAD: Allocatable = sum(DAEMONSETS);

/** The smallest node of a pool (the scheduler must fit a pod on whichever type Spot hands out). */
export function poolNode(types: readonly string[]): Allocatable {
  if (types.length === 0) throw new Error("a node group needs at least one instance type");
  const nodes = types.map((t) => allocatable(instanceSpec(t)));
  return {
    cpuMillis: Math.min(...nodes.map((n) => n.cpuMillis)) - DAEMONSET_OVERHEAD.cpuMillis,
    memoryMiB: Math.min(...nodes.map((n) => n.memoryMiB)) - DAEMONSET_OVERHEAD.memoryMiB,
    pods: Math.min(...nodes.map((n) => n.pods)) - DAEMONSET_OVERHEAD.pods,
  };
}

/** How many copies of `pod` fit in `free`. */
export function fits(free: Allocatable, pod: PodRequest): number {
  const byCpu = pod.cpuMillis > 0 ? Math.floor(free.cpuMillis / pod.cpuMillis) : Number.POSITIVE_INFINITY;
  const byMemory = pod.memoryMiB > 0 ? Math.floor(free.memoryMiB / pod.memoryMiB) : Number.POSITIVE_INFINITY;
  return Math.max(0, Math.min(byCpu, byMemory, free.pods));
}

/**
 * Kubernetes CPU quantity for ECS CPU units: 1024 units = 1 vCPU = 1000m. The one place the
 * conversion is written: the plan stores it as RolePlan.cpuMillicores, which components read.
 */
export const millicores = (cpuUnits: number): number => Math.ceil((cpuUnits * 1000) / 1024);

/** A role's size as configured (CPU units, MiB) -> the pod requests it stands for. */
export function podRequest(role: { readonly cpu: number; readonly memory: number }): PodRequest {
  return { cpuMillis: millicores(role.cpu), memoryMiB: role.memory };
}

/** Pods of one kind each node of the pool holds, DaemonSets already placed. */
export function podsPerNode(types: readonly string[], pod: PodRequest): number {
  return fits(poolNode(types), pod);
}

/**
 * Nodes the on-demand pool needs for the system deployments plus `appPods` app pods: controllers go
 * first-fit (largest first) onto as few nodes as they need, app pods fill what is left on those
 * nodes, then whole nodes of app pods follow. The scheduler does no better than this on average.
 */
export function systemAppNodes(types: readonly string[], app: PodRequest, appPods: number): number {
  const node = poolNode(types);
  const free: Allocatable[] = [];
  const controllers = SYSTEM_DEPLOYMENTS.flatMap((p) => Array.from({ length: p.replicas }, () => p)).sort(
    (a, b) => b.cpuMillis - a.cpuMillis || b.memoryMiB - a.memoryMiB,
  );
  for (const c of controllers) {
    let slot = free.findIndex((f) => fits(f, c) >= 1);
    if (slot < 0) {
      if (fits(node, c) < 1) throw new Error(`system pod ${c.name} does not fit on ${types.join("/")}`);
      free.push({ ...node });
      slot = free.length - 1;
    }
    const f = free[slot]!;
    free[slot] = { cpuMillis: f.cpuMillis - c.cpuMillis, memoryMiB: f.memoryMiB - c.memoryMiB, pods: f.pods - 1 };
  }
  let left = appPods - free.reduce((n, f) => n + fits(f, app), 0);
  if (left <= 0) return free.length;
  const perNode = fits(node, app);
  if (perNode < 1) throw new Error(`an app pod (${app.cpuMillis}m, ${app.memoryMiB}Mi) does not fit on ${types.join("/")}`);
  left = Math.max(0, left);
  return free.length + Math.ceil(left / perNode);
}
