import type { ProfileRolePlan } from "../../sizing/profile-types";
import type { ServiceRole } from "../fargate/service";

/** A profile role's Fargate names and shapes: ALB path pattern, ECS service, output key, queue metric namespace (components/profile/fargate.ts). */

/**
 * CloudWatch namespace of the backlog-per-task metric a `queue`-scaled role tracks (dimension
 * `Service` = the ECS service name, metric `BacklogPerWorker`, functions/queue-metric/contract.ts).
 * The queue-metric function publishes it once a minute per queue-scaled role, reading the length
 * of the role's `scaling.key` list (QUEUE_LIST_NAME) instead of ActivePieces' BullMQ keys.
 */
export function profileQueueMetricNamespace(name: string): string {
  return `Profile/Queue/${name}`;
}

/** The ALB path pattern of a plan path: a path ending in "/" matches everything under it ("/" -> "/*"). */
export function albPathPattern(path: string): string {
  return path.endsWith("/") ? `${path}*` : path;
}

/** `queued-worker` -> `queuedWorker` (the output is `queuedWorkerServiceName`). */
export function serviceOutputKey(role: string): string {
  return role.replace(/[^A-Za-z0-9]+([A-Za-z0-9])/g, (_, c: string) => c.toUpperCase());
}

/** A profile role in the shape RoleService reads: one capacity provider, its port as the health port. */
export function serviceRole(r: ProfileRolePlan): ServiceRole {
  return {
    role: r.name,
    cpu: r.cpu,
    memory: r.memory,
    desired: r.desired,
    capacity: [{ capacityProvider: r.capacity === "spot" ? "FARGATE_SPOT" : "FARGATE", base: 0, weight: 1 }],
    stopTimeoutSeconds: r.stopTimeoutSeconds,
    health: { path: r.health.path, port: r.port, meaning: r.health.meaning },
  };
}
