import type * as k8s from "@pulumi/kubernetes";
import type { ProfileEksPlan, ProfileRolePlan } from "../../sizing/profile-types";
import { redisListTrigger } from "../eks/keda";

/** HPA and KEDA ScaledObject specs of a profile's roles on EKS (components/profile/eks.ts). */

/** Kubernetes Secret the Redis AUTH token is synced into (KEDA's redis triggers read it). */
export const PROFILE_REDIS_AUTH_SECRET = "redis-auth";
/** The TriggerAuthentication handing that password to KEDA's redis scaler. */
export const PROFILE_REDIS_TRIGGER_AUTH = "redis";

/** HPA behaviour from a role's cooldowns: scale-up without a window, scale-in after the scale-in cooldown, one pod a minute. */
function behavior(s: { scaleOutCooldownSeconds: number; scaleInCooldownSeconds: number }) {
  return {
    scaleUp: { stabilizationWindowSeconds: 0, policies: [{ type: "Pods", value: 2, periodSeconds: s.scaleOutCooldownSeconds }] },
    scaleDown: { stabilizationWindowSeconds: s.scaleInCooldownSeconds, policies: [{ type: "Pods", value: 1, periodSeconds: 60 }] },
  };
}

/**
 * The HPA of a CPU-scaled role (`cpu`, and `requests-or-cpu` on EKS). Request count per target is
 * not a signal here: KEDA's aws-cloudwatch scaler would need the ALB target group's CloudWatch
 * dimension (`TargetGroup=targetgroup/<name>/<id>`, https://keda.sh/docs/2.21/scalers/aws-cloudwatch/),
 * but the Load Balancer Controller creates and names that target group at run time, so Pulumi cannot
 * know it, and KEDA would need a CloudWatch role besides. As with ActivePieces' app on EKS (whose
 * `app.requestsPerTarget` the config refuses for `platform: eks`), the role scales on CPU alone.
 */
export function roleHpaSpec(role: ProfileRolePlan): k8s.types.input.autoscaling.v2.HorizontalPodAutoscalerSpec | undefined {
  const s = role.scaling;
  if (s.mode !== "cpu" && s.mode !== "requests-or-cpu") return undefined;
  return {
    scaleTargetRef: { apiVersion: "apps/v1", kind: "Deployment", name: role.name },
    minReplicas: role.min,
    maxReplicas: role.max,
    metrics: [{ type: "Resource", resource: { name: "cpu", target: { type: "Utilization", averageUtilization: s.cpuTarget } } }],
    behavior: behavior(s),
  };
}

/**
 * The KEDA ScaledObject of a queue- or Prometheus-scaled role, or undefined for any other mode.
 * `queue`: a redis (lists) trigger on the plan's key, `backlogPerTask` items per pod, over TLS with
 * the AUTH token from the synced Secret (https://keda.sh/docs/2.21/scalers/redis-lists/).
 * `prometheus`: the plan's query against its server, `threshold` per pod
 * (https://keda.sh/docs/2.21/scalers/prometheus/). Bounds from the plan; scale-in after the role's
 * scale-in cooldown; `cooldownPeriod` (only used to scale to zero) is the plan's KEDA stabilization.
 */
export function roleScaledObjectSpec(role: ProfileRolePlan, keda: ProfileEksPlan["keda"], redisAddress?: string): Record<string, unknown> | undefined {
  const s = role.scaling;
  let trigger: Record<string, unknown>;
  if (s.mode === "queue") {
    if (!redisAddress) throw new Error(`${role.name} scales on a Redis list, but the profile has no Redis`);
    trigger = {
      type: "redis",
      name: "backlog",
      ...redisListTrigger({ address: redisAddress, listName: s.key, listLength: s.backlogPerTask, authName: PROFILE_REDIS_TRIGGER_AUTH }),
    };
  } else if (s.mode === "prometheus") {
    trigger = { type: "prometheus", name: "prometheus", metadata: { serverAddress: s.serverAddress, query: s.query, threshold: String(s.threshold) } };
  } else {
    return undefined;
  }
  return {
    scaleTargetRef: { apiVersion: "apps/v1", kind: "Deployment", name: role.name },
    minReplicaCount: role.min,
    maxReplicaCount: role.max,
    pollingInterval: keda.pollingIntervalSeconds,
    cooldownPeriod: keda.scaleDownStabilizationSeconds,
    advanced: { restoreToOriginalReplicaCount: false, horizontalPodAutoscalerConfig: { behavior: behavior(s) } },
    triggers: [trigger],
  };
}
