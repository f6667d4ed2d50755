/**
 * Fargate/Spot vs EKS+KEDA for one config at several peaks: monthly total and cost per
 * concurrent-flow slot of each platform, from the same plan.
 *
 *   npx tsx examples/compare.ts [config-file] [peak ...]
 *   npx tsx examples/compare.ts examples/eks-prod.yaml 10 50 200
 */
import { parseStackConfig, rawFromStackFile } from "../config";
import { ConfigError } from "../config/errors";
import { costPerFlowSlot, estimateEks } from "../cost/eks";
import { estimateFargate } from "../cost/estimate";
import { eksPlanOf } from "../sizing/eks";
import { plan } from "../sizing/plan";
import type { Plan } from "../sizing/types";

export interface ComparisonRow {
  readonly peakConcurrentFlows: number;
  readonly fargate: { readonly monthly: number; readonly perSlot: number; readonly reference: number };
  readonly eks: { readonly monthly: number; readonly perSlot: number; readonly reference: number; readonly appNodes: number; readonly workerNodes: number };
}

/**
 * The plan of `file` with its peak replaced and workers sized statically for that peak (the
 * vendor's guidance), so each platform is priced holding every slot of the peak.
 */
export function planAtPeak(file: string, peak: number): Plan {
  const raw = rawFromStackFile(file);
  const worker = { ...(raw.worker as object | undefined), scaling: { mode: "static" } };
  return plan(parseStackConfig({ ...raw, worker, peakConcurrentFlows: peak }, `${file} at ${peak} flows`));
}

export function compareAt(file: string, peaks: readonly number[]): ComparisonRow[] {
  return peaks.map((peak) => {
    const p = planAtPeak(file, peak);
    const fargate = estimateFargate(p);
    const eks = estimateEks(p);
    const pools = eksPlanOf(p);
    return {
      peakConcurrentFlows: peak,
      fargate: { monthly: fargate.monthlyTotal, perSlot: costPerFlowSlot(fargate, p), reference: fargate.onDemandX86Reference },
      eks: {
        monthly: eks.monthlyTotal,
        perSlot: costPerFlowSlot(eks, p),
        reference: eks.onDemandX86Reference,
        appNodes: pools.appPool.desiredNodes,
        workerNodes: pools.workerPool.desiredNodes,
      },
    };
  });
}

function render(file: string, rows: readonly ComparisonRow[]): string {
  const usd = (n: number) => n.toLocaleString("en-US", { minimumFractionDigits: 2, maximumFractionDigits: 2 });
  const head =
    "| peak flows | Fargate USD/month | Fargate per slot | EKS USD/month | EKS per slot | EKS nodes (app + Spot worker) |\n| ---: | ---: | ---: | ---: | ---: | ---: |";
  const body = rows.map(
    (r) =>
      `| ${r.peakConcurrentFlows} | ${usd(r.fargate.monthly)} | ${usd(r.fargate.perSlot)} | ${usd(r.eks.monthly)} | ${usd(r.eks.perSlot)} | ${r.eks.appNodes} + ${r.eks.workerNodes} |`,
  );
  return [`${file}, workers sized statically for each peak (USD per month; per slot = total / peak flows)`, head, ...body].join("\n");
}

if (require.main === module) {
  const [file = "examples/eks-prod.yaml", ...rest] = process.argv.slice(2);
  const peaks = rest.length > 0 ? rest.map(Number) : [10, 50, 200];
  try {
    console.log(render(file, compareAt(file, peaks)));
  } catch (e) {
    if (e instanceof ConfigError) {
      console.error(e.message);
      process.exit(2);
    }
    throw e;
  }
}
