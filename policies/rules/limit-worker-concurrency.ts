import { WORKER_CONCURRENCY } from "../facts/activepieces";
import { runsWorker, workerConcurrency } from "../lib/activepieces";
import { ECS_TASK_DEFINITION, containersOf, isK8sWorkload } from "../lib/containers";
import { resourceRule } from "../lib/define";

interface Config {
  maxConcurrency: number;
  recommendedConcurrency: number;
}

/**
 * The vendor sizes one worker per peak concurrent flow with AP_WORKER_CONCURRENCY=1; higher values
 * busy-loop Redis on some releases (activepieces#14210), so they get an advisory. Above the highest
 * value the program's config accepts (the same table, facts/activepieces.ts) is a violation. Unset
 * means the ActivePieces default of 5.
 */
export const limitWorkerConcurrency = resourceRule<Config>({
  name: "limit-worker-concurrency",
  description: `ActivePieces workers must run with AP_WORKER_CONCURRENCY at or below the configured maximum (${WORKER_CONCURRENCY.max} by default, as the program's config allows), with an advisory above the vendor's recommended ${WORKER_CONCURRENCY.recommended}.`,
  enforcementLevel: "mandatory",
  remediationSteps: "Set AP_WORKER_CONCURRENCY=1 and scale out with more worker tasks instead.",
  configSchema: {
    properties: {
      maxConcurrency: { type: "integer", minimum: 1, default: WORKER_CONCURRENCY.max, description: "Highest AP_WORKER_CONCURRENCY allowed." },
      recommendedConcurrency: {
        type: "integer",
        minimum: 1,
        default: WORKER_CONCURRENCY.recommended,
        description: "Highest AP_WORKER_CONCURRENCY that passes without an advisory.",
      },
    },
  },
  appliesTo: (t) => t === ECS_TASK_DEFINITION || isK8sWorkload(t),
  validate: (args, report, config) => {
    for (const c of containersOf(args.type, args.name, args.props)) {
      if (!runsWorker(c)) continue;
      const n = workerConcurrency(c);
      if (n === undefined) {
        report.cannotVerify(
          `AP_WORKER_CONCURRENCY of container "${c.name}"`,
          "it comes from a reference the pack cannot read",
          "set AP_WORKER_CONCURRENCY as a plain environment value.",
        );
        continue;
      }
      const how = c.literals.some((e) => e.name === "AP_WORKER_CONCURRENCY")
        ? `sets AP_WORKER_CONCURRENCY=${n}`
        : `leaves AP_WORKER_CONCURRENCY unset (default ${n})`;
      const what = `Worker container "${c.name}" of ${args.type} "${args.name}" ${how}`;
      if (n > config.maxConcurrency) {
        report.violation(
          `${what}, above the allowed ${config.maxConcurrency}.`,
          `set AP_WORKER_CONCURRENCY=${Math.min(config.maxConcurrency, config.recommendedConcurrency)} and run one worker task per peak concurrent flow.`,
        );
      } else if (n > config.recommendedConcurrency) {
        report.advisory(
          `${what}, above the recommended ${config.recommendedConcurrency}: ${WORKER_CONCURRENCY.reason}.`,
          `set AP_WORKER_CONCURRENCY=${config.recommendedConcurrency} and run one worker task per peak concurrent flow, or raise \`recommendedConcurrency\` in the pack config once your release is known not to busy-loop.`,
        );
      }
    }
  },
});
