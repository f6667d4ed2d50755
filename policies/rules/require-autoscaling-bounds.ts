import { label, stackRule, guarded } from "../lib/define";
import { StackIndex } from "../lib/stack";
import { optNum, optObj } from "../lib/values";
import { HPA_TYPES, KEDA_DEFAULT_MAX_REPLICAS, KEDA_SCALED_OBJECT, SCALING_TARGET, WORKLOAD_TYPES, workloads } from "../lib/workloads";

interface Bounds {
  readonly min: string;
  readonly max: string;
  readonly inSpec: boolean;
  readonly defaultMin?: number;
}

const BOUNDS: Record<string, Bounds> = {
  [SCALING_TARGET]: { min: "minCapacity", max: "maxCapacity", inSpec: false },
  [KEDA_SCALED_OBJECT]: { min: "minReplicaCount", max: "maxReplicaCount", inSpec: true, defaultMin: 0 },
  hpa: { min: "minReplicas", max: "maxReplicas", inSpec: true, defaultMin: 1 },
};

/**
 * Application Auto Scaling clamps a service into [min, max] and KEDA falls back to 100 replicas when
 * a ScaledObject names no maximum: a wrong bound either pins a service or lets a queue backlog start
 * as many workers (and database connections) as the default allows.
 */
export const requireAutoscalingBounds = stackRule({
  name: "require-autoscaling-bounds",
  description: "Autoscaled services must satisfy min <= desired <= max, and queue-scaled workers must declare a finite maximum.",
  enforcementLevel: "mandatory",
  remediationSteps:
    "Set minCapacity <= desiredCount <= maxCapacity on the scaling target and service (minReplicas/replicas/maxReplicas on Kubernetes), and give every KEDA ScaledObject an explicit maxReplicaCount.",
  appliesTo: (t) => WORKLOAD_TYPES.includes(t),
  validate: (args, report) => {
    const index = new StackIndex(args.resources);
    for (const t of index.ofType(SCALING_TARGET, ...HPA_TYPES, KEDA_SCALED_OBJECT)) {
      guarded(report, `the bounds of ${label(t)}`, t.urn, () => {
        const b = BOUNDS[t.type] ?? BOUNDS.hpa!;
        const props = b.inSpec ? (optObj(t.props, "spec") ?? {}) : t.props;
        const min = optNum(props, b.min) ?? b.defaultMin;
        const max = optNum(props, b.max);
        if (t.type === KEDA_SCALED_OBJECT && max === undefined) {
          report.violation(
            `${label(t)} sets no maxReplicaCount, so KEDA may scale its target to ${KEDA_DEFAULT_MAX_REPLICAS} pods on a queue backlog.`,
            "set `spec.maxReplicaCount` to the most workers the database and budget allow.",
            t.urn,
          );
        }
        if (min !== undefined && max !== undefined && min > max) {
          report.violation(`${label(t)} has ${b.min} ${min} above ${b.max} ${max}.`, `set ${b.min} <= ${b.max}.`, t.urn);
        }
      });
    }
    const view = workloads(index);
    for (const w of view.workloads) {
      const s = w.scaler;
      if (!s) continue;
      if (w.desired === undefined || s.min === undefined || s.max === undefined) continue;
      if (w.desired < s.min || w.desired > s.max) {
        report.violation(
          `"${w.resource.name}" declares ${w.desired} instances, outside its autoscaling range ${s.min}..${s.max} (${label(s.resource)}).`,
          `set the service's desired count between ${s.min} and ${s.max}, or widen the range.`,
          w.resource.urn,
        );
      }
    }
  },
});
