/**
 * Long-running workloads of a stack with their containers and their maximum instance count:
 * ECS services (task definition + Application Auto Scaling target) and Kubernetes Deployments and
 * StatefulSets (HorizontalPodAutoscaler or KEDA ScaledObject).
 */
import type { PolicyResource } from "@pulumi/policy";
import { CONFIG_MAP_TYPES, ConfigMaps, k8sNamespace, withConfigMaps } from "./configmaps";
import { ECS_TASK_DEFINITION, ecsContainers, k8sContainers, type ContainerView } from "./containers";
import { isUnknownValue } from "./define";
import { lastSegment, type StackIndex } from "./stack";
import { OddInputError, optNum, optObj, optStr, type Props } from "./values";

export const ECS_SERVICE = "aws:ecs/service:Service";
export const SCALING_TARGET = "aws:appautoscaling/target:Target";
export const K8S_SCALED_KINDS = ["kubernetes:apps/v1:Deployment", "kubernetes:apps/v1:StatefulSet"];
export const HPA_TYPES = [
  "kubernetes:autoscaling/v1:HorizontalPodAutoscaler",
  "kubernetes:autoscaling/v2:HorizontalPodAutoscaler",
  "kubernetes:autoscaling/v2beta2:HorizontalPodAutoscaler",
];
export const KEDA_SCALED_OBJECT = "kubernetes:keda.sh/v1alpha1:ScaledObject";
/** KEDA's maxReplicaCount when a ScaledObject leaves it out. https://keda.sh/docs/latest/reference/scaledobject-spec/ */
export const KEDA_DEFAULT_MAX_REPLICAS = 100;

/** Types the workload view reads (ConfigMaps for the settings pods take from them); stack policies that use it list these. */
export const WORKLOAD_TYPES = [ECS_SERVICE, ECS_TASK_DEFINITION, SCALING_TARGET, ...K8S_SCALED_KINDS, ...HPA_TYPES, KEDA_SCALED_OBJECT, ...CONFIG_MAP_TYPES];

export interface Scaler {
  readonly resource: PolicyResource;
  readonly min?: number;
  readonly max?: number;
  /** Whether the maximum is written down (KEDA falls back to 100 without it). */
  readonly explicitMax: boolean;
}

export interface Workload {
  readonly resource: PolicyResource;
  /** Its containers, with the values Kubernetes pods take from ConfigMaps of the stack filled in. */
  readonly containers: readonly ContainerView[];
  /** ECS desiredCount or Kubernetes replicas as declared. */
  readonly desired?: number;
  readonly scaler?: Scaler;
  /** Most instances that can run: the scaler's maximum, else the declared count. */
  readonly maxCount: number;
}

export interface Unresolved {
  readonly resource: PolicyResource;
  readonly reason: string;
}

export interface WorkloadView {
  readonly workloads: Workload[];
  readonly unresolved: Unresolved[];
}

function reasonOf(e: unknown): string {
  if (isUnknownValue(e) || e instanceof OddInputError) return (e as Error).message;
  throw e;
}

function taskDefinitionIndex(index: StackIndex): Map<string, PolicyResource> {
  const byKey = new Map<string, PolicyResource>();
  const latest = new Map<string, number>();
  for (const td of index.ofType(ECS_TASK_DEFINITION)) {
    try {
      const arn = optStr(td.props, "arn");
      const family = optStr(td.props, "family");
      const revision = optNum(td.props, "revision");
      if (arn) byKey.set(arn, td);
      if (family && revision !== undefined) byKey.set(`${family}:${revision}`, td);
      if (family && revision === undefined) byKey.set(family, td);
      if (family && revision !== undefined && revision >= (latest.get(family) ?? -1)) {
        latest.set(family, revision);
        byKey.set(family, td);
      }
    } catch (e) {
      reasonOf(e); // an unreadable task definition is reported by the services that use it
    }
  }
  return byKey;
}

function scalingTargets(index: StackIndex): Map<string, PolicyResource> {
  const out = new Map<string, PolicyResource>();
  for (const t of index.ofType(SCALING_TARGET)) {
    try {
      const resourceId = optStr(t.props, "resourceId");
      if (optStr(t.props, "serviceNamespace") === "ecs" && resourceId?.startsWith("service/")) out.set(resourceId, t);
    } catch (e) {
      reasonOf(e);
    }
  }
  return out;
}

function ecsScaler(t: PolicyResource): Scaler {
  const max = optNum(t.props, "maxCapacity");
  return { resource: t, min: optNum(t.props, "minCapacity"), max, explicitMax: max !== undefined };
}

function ecsWorkloads(index: StackIndex, view: WorkloadView): void {
  const tds = taskDefinitionIndex(index);
  const targets = scalingTargets(index);
  for (const svc of index.ofType(ECS_SERVICE)) {
    try {
      const ref = optStr(svc.props, "taskDefinition");
      if (!ref) throw new OddInputError("`taskDefinition` is not set");
      const td = tds.get(ref) ?? tds.get(lastSegment(ref));
      if (!td) {
        view.unresolved.push({ resource: svc, reason: `its task definition "${ref}" is not in this stack` });
        continue;
      }
      const containers = ecsContainers(td.props);
      if (optStr(svc.props, "schedulingStrategy") === "DAEMON") {
        view.unresolved.push({ resource: svc, reason: "it runs as a DAEMON service (one task per instance), so its task count depends on the cluster" });
        continue;
      }
      const name = optStr(svc.props, "name") ?? svc.name;
      const cluster = lastSegment(optStr(svc.props, "cluster") ?? "default");
      const target = targets.get(`service/${cluster}/${name}`);
      const scaler = target ? ecsScaler(target) : undefined;
      const desired = optNum(svc.props, "desiredCount") ?? 0;
      view.workloads.push({ resource: svc, containers, desired, scaler, maxCount: Math.max(scaler?.max ?? desired, desired) });
    } catch (e) {
      view.unresolved.push({ resource: svc, reason: reasonOf(e) });
    }
  }
}

function metaKey(kind: string, props: Props): string {
  const meta = optObj(props, "metadata") ?? {};
  return `${optStr(meta, "namespace") ?? "default"}/${kind}/${optStr(meta, "name") ?? ""}`;
}

function k8sScalers(index: StackIndex): Map<string, Scaler> {
  const out = new Map<string, Scaler>();
  for (const hpa of index.ofType(...HPA_TYPES)) {
    try {
      const spec = optObj(hpa.props, "spec") ?? {};
      const ref = optObj(spec, "scaleTargetRef") ?? {};
      const ns = optStr(optObj(hpa.props, "metadata") ?? {}, "namespace") ?? "default";
      const max = optNum(spec, "maxReplicas");
      out.set(`${ns}/${optStr(ref, "kind") ?? ""}/${optStr(ref, "name") ?? ""}`, {
        resource: hpa,
        min: optNum(spec, "minReplicas") ?? 1,
        max,
        explicitMax: max !== undefined,
      });
    } catch (e) {
      reasonOf(e);
    }
  }
  for (const so of index.ofType(KEDA_SCALED_OBJECT)) {
    try {
      const spec = optObj(so.props, "spec") ?? {};
      const ref = optObj(spec, "scaleTargetRef") ?? {};
      const ns = optStr(optObj(so.props, "metadata") ?? {}, "namespace") ?? "default";
      const max = optNum(spec, "maxReplicaCount");
      out.set(`${ns}/${optStr(ref, "kind") ?? "Deployment"}/${optStr(ref, "name") ?? ""}`, {
        resource: so,
        min: optNum(spec, "minReplicaCount") ?? 0,
        max: max ?? KEDA_DEFAULT_MAX_REPLICAS,
        explicitMax: max !== undefined,
      });
    } catch (e) {
      reasonOf(e);
    }
  }
  return out;
}

function k8sWorkloads(index: StackIndex, view: WorkloadView): void {
  const scalers = k8sScalers(index);
  const configMaps = new ConfigMaps(index.ofType(...CONFIG_MAP_TYPES));
  for (const w of index.ofType(...K8S_SCALED_KINDS)) {
    try {
      const kind = w.type.slice(w.type.lastIndexOf(":") + 1);
      const namespace = k8sNamespace(w.props, w.provider);
      const containers = k8sContainers(w.type, w.props).map((c) => withConfigMaps(c, namespace, w.provider, configMaps));
      const desired = optNum(optObj(w.props, "spec") ?? {}, "replicas");
      const scaler = scalers.get(metaKey(kind, w.props));
      const declared = desired ?? 1;
      view.workloads.push({ resource: w, containers, desired, scaler, maxCount: Math.max(scaler?.max ?? declared, scaler ? 0 : declared) });
    } catch (e) {
      view.unresolved.push({ resource: w, reason: reasonOf(e) });
    }
  }
}

export function workloads(index: StackIndex): WorkloadView {
  const view: WorkloadView = { workloads: [], unresolved: [] };
  ecsWorkloads(index, view);
  k8sWorkloads(index, view);
  return view;
}

/** `2 x app (max 10 tasks)` style text for messages. */
export function countLabel(w: Workload): string {
  const unit = w.resource.type === ECS_SERVICE ? "tasks" : "pods";
  const source = w.scaler ? `${w.resource.type === ECS_SERVICE ? "autoscaling maxCapacity" : "autoscaler maximum"}` : "declared count";
  return `"${w.resource.name}" (${w.maxCount} ${unit} at most, from its ${source})`;
}
