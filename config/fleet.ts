/**
 * The size of the worker fleet the config asks for, written once: the schema checks
 * `worker.capacity.onDemandBase` against it and the plan (sizing/plan.ts) sizes from it.
 */

/** The slice of the config the fleet size depends on. */
export interface FleetInput {
  readonly peakConcurrentFlows: number;
  readonly workerConcurrency: number;
  readonly worker: { readonly scaling: { readonly mode: "static" } | { readonly mode: "queue"; readonly max: number } };
}

/** Most workers that will ever run: queue scaling's max, or one slot per peak concurrent flow at the configured concurrency. */
export function maxWorkers(c: FleetInput): number {
  return c.worker.scaling.mode === "queue" ? c.worker.scaling.max : Math.ceil(c.peakConcurrentFlows / c.workerConcurrency);
}
