import { DEFAULT_WORKERS_PER_APP } from "../facts/activepieces";
import { runsApp, runsWorker } from "../lib/activepieces";
import { label, stackRule } from "../lib/define";
import { StackIndex } from "../lib/stack";
import { WORKLOAD_TYPES, workloads } from "../lib/workloads";

interface Config {
  workersPerApp: number;
}

/**
 * Workers hold a websocket to an app instance and the app serves their API calls; the vendor's
 * benchmark runs 10 workers per app (4 apps / 40 workers, 8 apps / 80 workers).
 */
export const limitWorkersPerApp = stackRule<Config>({
  name: "limit-workers-per-app",
  description: "At maximum scale there must be at least one ActivePieces app instance per configured number of workers (10 by default).",
  enforcementLevel: "mandatory",
  remediationSteps: "Raise the app's maximum task count (autoscaling maxCapacity) or lower the workers' maximum.",
  configSchema: {
    properties: {
      workersPerApp: { type: "integer", minimum: 1, default: DEFAULT_WORKERS_PER_APP, description: "Most workers one app instance may serve." },
    },
  },
  appliesTo: (t) => WORKLOAD_TYPES.includes(t),
  validate: (args, report, config) => {
    const view = workloads(new StackIndex(args.resources));
    let apps = 0;
    let workers = 0;
    const workerServices: string[] = [];
    for (const w of view.workloads) {
      if (w.containers.some(runsApp)) apps += w.maxCount;
      if (w.containers.some(runsWorker)) {
        workers += w.maxCount;
        workerServices.push(w.resource.urn);
      }
    }
    if (workers === 0) return;
    for (const u of view.unresolved) {
      report.cannotVerify(
        `the app/worker ratio for ${label(u.resource)}`,
        u.reason,
        "keep the service's task definition and scaling target in this stack with known values.",
        u.resource.urn,
      );
    }
    if (apps === 0) {
      report.cannotVerify(
        "the app/worker ratio",
        `the stack runs ${workers} ActivePieces workers and no app, so they connect to an app outside this stack`,
        "check the ratio in the stack that runs the app.",
        workerServices[0],
      );
      return;
    }
    const needed = Math.ceil(workers / config.workersPerApp);
    if (apps < needed) {
      report.violation(
        `At maximum scale the stack runs ${workers} ActivePieces workers but only ${apps} app instances; ${config.workersPerApp} workers per app needs at least ${needed}.`,
        `raise the app's maximum count to ${needed} or more, or lower the workers' maximum to ${apps * config.workersPerApp}.`,
        workerServices[0],
      );
    }
  },
});
