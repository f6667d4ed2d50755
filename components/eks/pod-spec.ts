import type * as k8s from "@pulumi/kubernetes";
import type * as pulumi from "@pulumi/pulumi";
import type { WorkerHardening } from "../../sizing/eks-hardening";
import { POOL_LABEL, type NodePoolPlan, type Taint } from "../../sizing/eks-pools";
import type { RolePlan } from "../../sizing/types";
import type { RoleContainer } from "../roles";
import { ROLE_LABEL } from "./names";

/** Pod spec parts shared by the ActivePieces workloads (workloads.ts) and profile roles (components/profile/eks.ts). */

const ZONE = "topology.kubernetes.io/zone";

type EnvVar = { name: string; value?: string; valueFrom?: { secretKeyRef: { name: string; key: string } } };

/**
 * A role's container environment for Kubernetes: plain settings as values, every secret as a
 * `secretKeyRef` into the Secret External Secrets writes (key = variable name), never a value.
 */
export function podEnv(container: RoleContainer, secretName: string): pulumi.Output<EnvVar[]> {
  return container.environment.apply((env) => [...env.map((e) => ({ name: e.name, value: e.value })), ...secretEnv(container.secrets, secretName)]);
}

/** Each secret as a variable read by `secretKeyRef` from the Secret External Secrets writes (key = variable name). */
export function secretEnv(secrets: readonly { readonly name: string }[], secretName: string): EnvVar[] {
  return secrets.map((s) => ({ name: s.name, valueFrom: { secretKeyRef: { name: secretName, key: s.name } } }));
}

const TOLERATION_EFFECT: Record<Taint["effect"], string> = { NO_SCHEDULE: "NoSchedule", NO_EXECUTE: "NoExecute", PREFER_NO_SCHEDULE: "PreferNoSchedule" };

/**
 * Where a pod of a pool runs: it selects the pool's label and tolerates the pool's taints (the Spot
 * pool's taint keeps everything else off it); no `tolerations` key for an untainted pool.
 */
export function poolPlacement(pool: Pick<NodePoolPlan, "labels" | "taints">): {
  nodeSelector: Record<string, string>;
  tolerations?: k8s.types.input.core.v1.Toleration[];
} {
  const nodeSelector = { [POOL_LABEL]: pool.labels[POOL_LABEL]! };
  if (pool.taints.length === 0) return { nodeSelector };
  return { nodeSelector, tolerations: pool.taints.map((t) => ({ key: t.key, operator: "Equal", value: t.value, effect: TOLERATION_EFFECT[t.effect] })) };
}

/** Plan size -> requests and limits. Limits equal requests: the pod gets what Fargate would give its task, no more. */
export function podResources(role: Pick<RolePlan, "cpuMillicores" | "memory">): { requests: Record<string, string>; limits: Record<string, string> } {
  const cpu = `${role.cpuMillicores}m`;
  const memory = `${role.memory}Mi`;
  return { requests: { cpu, memory }, limits: { cpu, memory } };
}

/**
 * Spread across zones, best effort: with one multi-AZ node group, Cluster Autoscaler cannot pick
 * the zone of a new node, so a hard constraint could leave pods pending.
 * https://docs.aws.amazon.com/eks/latest/best-practices/cas.html
 */
export function spread(component: string): k8s.types.input.core.v1.TopologySpreadConstraint[] {
  const selector = { matchLabels: { [ROLE_LABEL]: component } };
  return [
    { maxSkew: 1, topologyKey: ZONE, whenUnsatisfiable: "ScheduleAnyway", labelSelector: selector },
    { maxSkew: 1, topologyKey: "kubernetes.io/hostname", whenUnsatisfiable: "ScheduleAnyway", labelSelector: selector },
  ];
}

/**
 * Pod and container security of a worker: privileged when the plan says the execution mode needs
 * it (EksPlan.workerPrivileged; none of the rest applies then), otherwise seccomp RuntimeDefault, no privilege
 * escalation, and the capabilities, read-only root filesystem and writable emptyDirs the plan
 * chose for the release's image (sizing/eks-hardening.ts workerHardening explains each choice).
 */
export function workerSecurity(
  hardening: WorkerHardening,
  privileged: boolean,
): {
  podSecurityContext?: k8s.types.input.core.v1.PodSecurityContext;
  securityContext: k8s.types.input.core.v1.SecurityContext;
  volumes: k8s.types.input.core.v1.Volume[];
  volumeMounts: k8s.types.input.core.v1.VolumeMount[];
} {
  if (privileged) return { securityContext: { privileged: true }, volumes: [], volumeMounts: [] };
  const writable = hardening.readOnlyRootFilesystem ? hardening.writablePaths : [];
  return {
    podSecurityContext: { seccompProfile: { type: "RuntimeDefault" } },
    securityContext: {
      allowPrivilegeEscalation: false,
      ...(hardening.capabilities ? { capabilities: { drop: [...hardening.capabilities.drop], add: [...hardening.capabilities.add] } } : {}),
      readOnlyRootFilesystem: hardening.readOnlyRootFilesystem,
    },
    volumes: writable.map((w) => ({ name: w.name, emptyDir: {} })),
    volumeMounts: writable.map((w) => ({ name: w.name, mountPath: w.mountPath })),
  };
}

/**
 * Probes from the role's contract: a readiness endpoint gets a readiness probe (no traffic or
 * rollout progress until it answers) and a lenient liveness probe; a liveness-only endpoint
 * (0.80+ workers: always 200 while the process runs) gets just the liveness probe.
 */
export function probes(health: RolePlan["health"]): Record<string, k8s.types.input.core.v1.Probe> {
  const get = { httpGet: { path: health.path, port: health.port }, periodSeconds: 10, timeoutSeconds: 5 };
  const liveness = { ...get, initialDelaySeconds: 60, failureThreshold: 6 };
  return health.meaning === "readiness"
    ? { readinessProbe: { ...get, initialDelaySeconds: 10, failureThreshold: 3 }, livenessProbe: liveness }
    : { livenessProbe: liveness };
}
