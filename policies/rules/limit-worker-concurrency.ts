import { runsWorker, workerConcurrency } from "../lib/activepieces";
import { ECS_TASK_DEFINITION, containersOf, isK8sWorkload } from "../lib/containers";
import { resourceRule } from "../lib/define";

interface Config {
  maxConcurrency: number;
}

/**
 * The vendor sizes one worker per peak concurrent flow with AP_WORKER_CONCURRENCY=1; higher values
 * busy-loop Redis on some releases (activepieces#14210). Unset means the default of 5.
 */
export const limitWorkerConcurrency = resourceRule<Config>({
  name: "limit-worker-concurrency",
  description: "ActivePieces workers must run with AP_WORKER_CONCURRENCY at or below the configured maximum (1 by default).",
  enforcementLevel: "mandatory",
  remediationSteps: "Set AP_WORKER_CONCURRENCY=1 and scale out with more worker tasks instead.",
  configSchema: {
    properties: {
      maxConcurrency: { type: "integer", minimum: 1, default: 1, description: "Highest AP_WORKER_CONCURRENCY allowed." },
    },
  },
  appliesTo: (t) => t === ECS_TASK_DEFINITION || isK8sWorkload(t),
  validate: (args, report, config) => {
    for (const c of containersOf(args.type, args.name, args.props)) {
      if (!runsWorker(c)) continue;
      const n = workerConcurrency(c);
      if (n === undefined) {
        report.cannotVerify(`AP_WORKER_CONCURRENCY of container "${c.name}"`, "it comes from a reference the pack cannot read", "set AP_WORKER_CONCURRENCY as a plain environment value.");
      } else if (n > config.maxConcurrency) {
        const how = c.literals.some((e) => e.name === "AP_WORKER_CONCURRENCY") ? `sets AP_WORKER_CONCURRENCY=${n}` : `leaves AP_WORKER_CONCURRENCY unset (default ${n})`;
        report.violation(
          `Worker container "${c.name}" of ${args.type} "${args.name}" ${how}, above the allowed ${config.maxConcurrency}.`,
          `set AP_WORKER_CONCURRENCY=${config.maxConcurrency} and run one worker task per peak concurrent flow.`,
        );
      }
    }
  },
});
