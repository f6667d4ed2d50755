import type { ReleaseContract } from "./types";

/**
 * How a role's memory is spent. A worker runs two node processes: itself (a thin client of the
 * app, or on 0.79 a BullMQ consumer) and the engine child that runs the flow, whose heap is
 * AP_SANDBOX_MEMORY_LIMIT (1 GiB by default: alone it fills a 1 GiB task, so the default OOM-kills).
 * NODE_OPTIONS bounds only the worker's own heap; the engine heap needs its own limit.
 */

/** Node's memory outside the V8 old space (code, new space, buffers, native modules) per process. */
export const PROCESS_OVERHEAD_MIB = 128;
/** The worker process's own heap: settings, the socket and one job's bookkeeping. */
export const WORKER_HEAP_MIB = 256;
/** Smallest engine heap a flow can run in; below it the config is refused. */
export const MIN_ENGINE_HEAP_MIB = 256;
/** Heap sizes are rounded down to this step. */
const STEP_MIB = 64;

export interface MemoryBudget {
  readonly totalMiB: number;
  /** Memory of a sidecar sharing the task (the ECS Service Connect proxy), 0 when none. */
  readonly sidecarMiB: number;
  /** Runtime overhead of every node process of the role. */
  readonly overheadMiB: number;
  /** --max-old-space-size of the role's own process. */
  readonly nodeHeapMb: number;
  /** Heap of each engine child (workers only), 0 for the app. */
  readonly engineHeapMb: number;
  readonly engines: number;
}

const down = (mib: number) => Math.floor(mib / STEP_MIB) * STEP_MIB;

/**
 * The app: one node process; keep max(256 MiB, 25%) outside the heap so V8 hits its own limit
 * before the kernel OOM-kills the task (activepieces#9381).
 */
export function appBudget(totalMiB: number, sidecarMiB: number): MemoryBudget {
  const usable = totalMiB - sidecarMiB;
  const reserve = Math.max(256, Math.ceil(usable * 0.25));
  return { totalMiB, sidecarMiB, overheadMiB: reserve, nodeHeapMb: Math.max(128, down(usable - reserve)), engineHeapMb: 0, engines: 0 };
}

/**
 * A worker: its own heap, one engine child per concurrent flow, and each process's overhead must
 * fit the task. Returns the budget, or undefined when no engine of MIN_ENGINE_HEAP_MIB fits.
 */
export function workerBudget(totalMiB: number, sidecarMiB: number, concurrency: number): MemoryBudget | undefined {
  const overheadMiB = (1 + concurrency) * PROCESS_OVERHEAD_MIB;
  const engineHeapMb = down((totalMiB - sidecarMiB - WORKER_HEAP_MIB - overheadMiB) / concurrency);
  if (engineHeapMb < MIN_ENGINE_HEAP_MIB) return undefined;
  return { totalMiB, sidecarMiB, overheadMiB, nodeHeapMb: WORKER_HEAP_MIB, engineHeapMb, engines: concurrency };
}

/** Smallest task memory that holds a worker at this concurrency (for the error message). */
export function minWorkerMemory(sidecarMiB: number, concurrency: number): number {
  return sidecarMiB + WORKER_HEAP_MIB + (1 + concurrency) * PROCESS_OVERHEAD_MIB + concurrency * MIN_ENGINE_HEAP_MIB;
}

/** AP_SANDBOX_MEMORY_LIMIT in the unit the release's worker applies it in. */
export function sandboxMemoryLimit(contract: ReleaseContract, engineHeapMb: number): string {
  return String(contract.sandboxMemory.unit === "KB" ? engineHeapMb * 1024 : engineHeapMb);
}
