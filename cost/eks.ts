import { eksPlanOf, type NodePoolPlan } from "../sizing/eks";
import type { Plan } from "../sizing/types";
import { sharedLines } from "./data";
import { alarmSpecs } from "../sizing/alarms";
import { CW_ALARM_MONTH, CW_DASHBOARD_MONTH, CW_LOGS_INGEST_GB } from "./prices";
import { EBS_GP3_GB_MONTH, EKS_CONTROL_PLANE_HOUR, EKS_PRICES_AS_OF, ec2Hourly, x86Counterpart } from "./prices-eks";
import { HOURS_PER_MONTH, line, round2, type CostLine, type CostReport } from "./types";

/**
 * Monthly cost of the EKS+KEDA split: the control plane, the on-demand system + app node group,
 * the Spot worker node group, node root volumes, and the lines every platform shares (database,
 * Redis, NAT, ALB, secrets, logs). Nodes are priced at the count the plan keeps running at rest
 * (the app pool at the app minimum, workers at their desired count, which is peak for static scaling).
 */

/** Mean on-demand hourly price of a pool's types: the Spot allocation spreads nodes across them. */
function poolHourly(pool: NodePoolPlan, map: (t: string) => string = (t) => t): number {
  const prices = pool.instanceTypes.map((t) => ec2Hourly(map(t)));
  return prices.reduce((a, b) => a + b, 0) / prices.length;
}

function computeLines(plan: Plan, reference: boolean): CostLine[] {
  const eks = eksPlanOf(plan);
  const { appPool, workerPool } = eks;
  const discount = plan.costAssumptions.spotDiscount;
  const lines: CostLine[] = [line("control plane", "EKS cluster (standard support)", 1, EKS_CONTROL_PLANE_HOUR * HOURS_PER_MONTH, "cluster-month")];

  const appType = reference ? x86Counterpart(appPool.instanceTypes[0]!) : appPool.instanceTypes[0]!;
  lines.push(line("app", `on-demand ${appType} nodes (system + app, ${plan.app.desired} app pods)`, appPool.desiredNodes,
    ec2Hourly(appType) * HOURS_PER_MONTH, "node-month"));

  if (workerPool.desiredNodes > 0) {
    const types = (reference ? workerPool.instanceTypes.map(x86Counterpart) : workerPool.instanceTypes).join("/");
    const hourly = reference ? poolHourly(workerPool, x86Counterpart) : poolHourly(workerPool);
    const item = reference
      ? `on-demand ${types} nodes (${plan.worker.desired} worker pods, ${workerPool.podsPerNode} per node)`
      : `Spot ${types} nodes (${plan.worker.desired} worker pods, ${workerPool.podsPerNode} per node, -${Math.round(discount * 100)}% assumed)`;
    lines.push(line("worker", item, workerPool.desiredNodes, hourly * HOURS_PER_MONTH * (reference ? 1 : 1 - discount), "node-month"));
  }

  const nodes = appPool.desiredNodes + workerPool.desiredNodes;
  lines.push(line("nodes", `gp3 root volumes (${nodes} nodes x ${appPool.diskGb} GB)`, nodes * appPool.diskGb, EBS_GP3_GB_MONTH, "GB-month"));
  return lines;
}

/** Lines shared with the Fargate estimate, from cost/data.ts; logs cover containers and control-plane logs. */
function sharedEksLines(plan: Plan): CostLine[] {
  return sharedLines(plan, [
    line("observability", "CloudWatch alarms (data tier)", alarmSpecs(plan, "eks").length, CW_ALARM_MONTH, "alarm-month"),
    line("observability", "CloudWatch dashboard (data tier)", 1, CW_DASHBOARD_MONTH, "dashboard-month"),
    line("observability", "CloudWatch Logs ingestion (assumed; containers and control plane)", plan.costAssumptions.logsGbPerMonth, CW_LOGS_INGEST_GB, "GB"),
  ]);
}

function total(lines: readonly CostLine[]): number {
  return round2(lines.reduce((s, l) => s + l.monthly, 0));
}

/**
 * Cost of a plan on EKS+KEDA. Works on any valid plan: a plan made for Fargate is sized for EKS
 * with the default EKS settings from the same numbers (sizing/eks.ts `eksPlanOf`), so the two
 * platforms can be compared on one config.
 */
export function estimateEks(plan: Plan): CostReport {
  const shared = sharedEksLines(plan);
  const lines = [...computeLines(plan, false), ...shared];
  const reference = [...computeLines(plan, true), ...shared];
  return { currency: "USD", monthlyTotal: total(lines), onDemandX86Reference: total(reference), lines, pricesAsOf: EKS_PRICES_AS_OF };
}

/** Monthly cost of one concurrent-flow slot at peak: the total over the peak concurrent flows the plan serves. */
export function costPerFlowSlot(report: CostReport, plan: Pick<Plan, "peakConcurrentFlows">): number {
  return round2(report.monthlyTotal / plan.peakConcurrentFlows);
}
