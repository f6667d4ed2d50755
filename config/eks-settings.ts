/**
 * The `eks` block of the stack config as settings: allowed Cluster Autoscaler expanders, default
 * versions and instance types, and the cross-field rules of `platform: eks` the schema runs. Config
 * owns them (the schema and resolveDefaults read them); sizing/eks-pools.ts sizes node groups from the
 * resolved settings. Pure: node capacity comes from the catalogues (catalog/eks-nodes.ts).
 */
import { DEFAULT_KEDA_CHART_VERSION } from "../catalog/charts";
import { INSTANCE_TYPE_NAMES, INSTANCE_TYPES, STANDARD_SIZES, instanceSpec, type Architecture, type Size } from "../catalog/ec2-instances";
import { fits, podRequest, podsPerNode, poolNode, type PodRequest } from "../catalog/eks-nodes";
/**
 * Cluster Autoscaler expanders that work on AWS. `price` is left out: the AWS cloud provider does not
 * implement pricing (`Pricing()` returns ErrNotImplemented in cloudprovider/aws/aws_cloud_provider.go;
 * the FAQ says `price` works only on GCE, GKE and Equinix Metal) and the autoscaler crash-loops.
 * `priority` and `grpc` need a ConfigMap or a server this project does not deploy.
 */
export const AUTOSCALER_EXPANDERS = ["least-waste", "random", "most-pods"] as const;
export type AutoscalerExpander = (typeof AUTOSCALER_EXPANDERS)[number];

/** Settings of the EKS platform that sizing needs (from the `eks` config block, defaults applied). */
export interface EksSettings {
  readonly kubernetesVersion: string;
  /** Opt in to running a version past standard support (EXTENDED upgrade policy, billed extended support). */
  readonly extendedSupport: boolean;
  readonly appInstanceTypes: readonly string[];
  readonly workerInstanceTypes: readonly string[];
  readonly nodeDiskGb: number;
  readonly endpointAccess: "public" | "private" | "publicAndPrivate";
  readonly publicAccessCidrs: readonly string[];
  readonly adminRoleArns: readonly string[];
  readonly scaleDownUnneededMinutes: number;
  readonly autoscalerExpander: AutoscalerExpander;
  readonly kedaVersion: string;
  readonly pollingIntervalSeconds: number;
  readonly scaleDownStabilizationSeconds: number;
}

/** Default node types per architecture: arm64 Graviton unless the stack runs x86_64. */
const DEFAULT_TYPES: Record<Architecture, { app: string; worker: readonly string[] }> = {
  arm64: { app: "m7g", worker: ["c7g", "c6g", "m7g", "m6g"] },
  x86_64: { app: "m7i", worker: ["c7i", "c6i", "m7i", "m6i"] },
};

/**
 * Default instance types for a stack: the app pool on one general-purpose type, the Spot pool on
 * four families of the same size (more Spot pools, fewer interruptions), in the smallest size
 * (xlarge for the app pool, large for workers) whose every type holds one pod of the given sizes.
 */
export function defaultInstanceTypes(arch: Architecture, app: PodRequest, worker: PodRequest): { app: string[]; worker: string[] } {
  const d = DEFAULT_TYPES[arch];
  const pick = (families: readonly string[], sizes: readonly Size[], pod: PodRequest) => {
    for (const size of sizes) {
      const types = families.map((f) => `${f}.${size}`);
      if (podsPerNode(types, pod) >= 1) return types;
    }
    return families.map((f) => `${f}.4xlarge`);
  };
  return {
    app: pick([d.app], ["xlarge", "2xlarge", "4xlarge"], app),
    worker: pick(d.worker, STANDARD_SIZES, worker),
  };
}

/** The `eks` config block's defaults for a stack that wrote none. */
export function defaultEksSettings(arch: Architecture, app: PodRequest, worker: PodRequest): EksSettings {
  const types = defaultInstanceTypes(arch, app, worker);
  return {
    kubernetesVersion: DEFAULT_KUBERNETES_VERSION,
    extendedSupport: false,
    appInstanceTypes: types.app,
    workerInstanceTypes: types.worker,
    nodeDiskGb: 20,
    endpointAccess: "publicAndPrivate",
    publicAccessCidrs: ["0.0.0.0/0"],
    adminRoleArns: [],
    scaleDownUnneededMinutes: 10,
    autoscalerExpander: "least-waste",
    kedaVersion: DEFAULT_KEDA_VERSION,
    pollingIntervalSeconds: 15,
    scaleDownStabilizationSeconds: 300,
  };
}

/**
 * The newest Kubernetes version in EKS standard support per catalog/eks-versions.ts on the date the
 * catalogue was verified (a test keeps them equal); plan() refuses it once it leaves standard support.
 */
export const DEFAULT_KUBERNETES_VERSION = "1.36";
/** KEDA Helm chart (= app) version, from catalog/charts.ts. */
export const DEFAULT_KEDA_VERSION = DEFAULT_KEDA_CHART_VERSION;

/** Why a pool's instance types do not work for a pod, or undefined when every type holds one. */
export function instanceTypeProblem(type: string, arch: Architecture, pod: PodRequest, what: string): string | undefined {
  const spec = INSTANCE_TYPES[type];
  if (!spec) return `${type} is not a known instance type; allowed: ${INSTANCE_TYPE_NAMES.join(", ")}`;
  if (spec.architecture !== arch) return `${type} is ${spec.architecture} but architecture is ${arch}; choose a ${arch} type`;
  const free = poolNode([type]);
  if (fits(free, pod) < 1) {
    return `${type} cannot hold one ${what} pod (${pod.cpuMillis}m CPU, ${pod.memoryMiB} MiB); after kubelet reservations and DaemonSets it offers ${free.cpuMillis}m CPU and ${free.memoryMiB} MiB; choose a larger type`;
  }
  return undefined;
}
/** A problem with the EKS part of a config, by config path. */
export interface EksConfigProblem {
  readonly path: (string | number)[];
  readonly message: string;
}

interface EksConfigView {
  readonly architecture: Architecture;
  readonly worker: { readonly cpu: number; readonly memory: number; readonly capacity: Readonly<Record<string, number>> };
  readonly app: { readonly cpu: number; readonly memory: number; readonly requestsPerTarget: number };
  readonly eks: { readonly appInstanceTypes?: readonly string[]; readonly workerInstanceTypes?: readonly string[] };
}

/** Worker capacity as written when nothing Fargate-specific is asked for. */
const DEFAULT_WORKER_CAPACITY = { onDemandBase: 0, onDemandWeight: 0, spotWeight: 1 } as const;
const DEFAULT_REQUESTS_PER_TARGET = 1000;

/**
 * Cross-field rules of `platform: eks`, run by the schema. Fargate-only options are rejected
 * rather than ignored: `worker.capacity` (capacity-provider base and weights: on EKS workers
 * always run on the Spot node group, sized by `eks.workerInstanceTypes`) and `app.requestsPerTarget`
 * (ALB request-count target tracking: on EKS the app's HPA scales on CPU only).
 */
/** Array.isArray, without its narrowing of a readonly string[] to any[]. */
const isList = (v: unknown): v is readonly unknown[] => Array.isArray(v);

export function eksConfigProblems(c: EksConfigView): EksConfigProblem[] {
  const problems: EksConfigProblem[] = [];
  const capacity = c.worker.capacity;
  for (const [key, dflt] of Object.entries(DEFAULT_WORKER_CAPACITY)) {
    if (typeof capacity[key] === "number" && capacity[key] !== dflt) {
      problems.push({
        path: ["worker", "capacity", key],
        message: `is a Fargate capacity-provider setting; with platform eks workers always run on the Spot node group (eks.workerInstanceTypes); remove it or leave it at ${dflt}`,
      });
    }
  }
  if (c.app.requestsPerTarget !== DEFAULT_REQUESTS_PER_TARGET) {
    problems.push({
      path: ["app", "requestsPerTarget"],
      message: `is Fargate-only (ALB request-count scaling); with platform eks the app scales on CPU (app.cpuTarget); remove it or leave it at ${DEFAULT_REQUESTS_PER_TARGET}`,
    });
  }
  if (![c.worker.cpu, c.worker.memory, c.app.cpu, c.app.memory].every((n) => Number.isInteger(n) && n > 0)) return problems;
  if (c.architecture !== "arm64" && c.architecture !== "x86_64") return problems;
  const pods = { app: podRequest(c.app), worker: podRequest(c.worker) };
  const defaults = defaultInstanceTypes(c.architecture, pods.app, pods.worker);

  for (const role of ["app", "worker"] as const) {
    const key = role === "app" ? "appInstanceTypes" : "workerInstanceTypes";
    const given = c.eks[key];
    if (given !== undefined && !isList(given)) continue;
    const types = given ?? defaults[role];
    if (given === undefined) {
      if (podsPerNode(types, pods[role]) < 1) {
        problems.push({
          path: [role, "cpu"],
          message: `a ${role} pod of ${pods[role].cpuMillis}m CPU and ${pods[role].memoryMiB} MiB fits no default instance type; set eks.${key} to larger types or lower ${role}.cpu/${role}.memory`,
        });
      }
      continue;
    }
    if (role === "worker" && types.length < 2) {
      problems.push({
        path: ["eks", key],
        message:
          "is a Spot pool with a single instance type, which stops every worker when that one Spot pool runs short; list at least two types of the same vCPU count",
      });
    }
    const seen = new Set<string>();
    types.forEach((t, i) => {
      if (seen.has(t)) problems.push({ path: ["eks", key, i], message: `${t} is listed twice` });
      seen.add(t);
      const problem = INSTANCE_TYPES[t] ? instanceTypeProblem(t, c.architecture, pods[role], role) : undefined;
      if (problem) problems.push({ path: ["eks", key, i], message: problem });
    });
    const vcpus = [...new Set(types.filter((t) => INSTANCE_TYPES[t]).map((t) => instanceSpec(t).vcpu))];
    if (vcpus.length > 1) {
      problems.push({
        path: ["eks", key],
        message: `mixes ${types.map((t) => `${t} (${INSTANCE_TYPES[t]?.vcpu ?? "?"} vCPU)`).join(", ")}; Cluster Autoscaler sizes a node group from one type, so every type must have the same vCPU count`,
      });
    }
  }
  return problems;
}

/** The `eks` config block with instance types still optional (their defaults depend on architecture and pod sizes). */
export type EksSettingsInput = Omit<EksSettings, "appInstanceTypes" | "workerInstanceTypes" | "extendedSupport"> & {
  readonly appInstanceTypes?: readonly string[];
  readonly workerInstanceTypes?: readonly string[];
  readonly extendedSupport?: boolean;
};

/** Fills the instance types a config left out: see defaultInstanceTypes. */
export function resolveEksSettings(
  e: EksSettingsInput,
  arch: Architecture,
  app: { readonly cpu: number; readonly memory: number },
  worker: { readonly cpu: number; readonly memory: number },
): EksSettings {
  const defaults = defaultInstanceTypes(arch, podRequest(app), podRequest(worker));
  return {
    ...e,
    extendedSupport: e.extendedSupport ?? false,
    appInstanceTypes: e.appInstanceTypes ?? defaults.app,
    workerInstanceTypes: e.workerInstanceTypes ?? defaults.worker,
  };
}
