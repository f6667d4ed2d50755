import { alarmMetricCount } from "../sizing/alarms";
import { eksPlanOf, type EksPlan } from "../sizing/eks";
import type { NodePoolPlan } from "../sizing/eks-pools";
import type { Plan } from "../sizing/types";
import { alarmTopicKeyLine, sharedLines } from "./data";
import { between, natData, workerFleet } from "./fleet";
import { ec2Hourly, x86Counterpart } from "./prices-eks";
import { pricesFor, type RegionPrices } from "./regions";
import { makeReport } from "./report";
import { HOURS_PER_MONTH, line, round2, type CostLine, type CostReport } from "./types";

/**
 * Monthly cost of the EKS+KEDA split: the control plane, the on-demand system + app node group,
 * the Spot worker node group, node root volumes, and the lines every platform shares (database,
 * Redis, NAT, ALB, secrets, logs). The app pool is priced at its desired node count; the worker
 * pool at the nodes its workers need: at peak for static scaling, between the nodes of the
 * worker minimum and maximum for queue scaling (expected: interpolated at the utilisation).
 */

/** Mean on-demand hourly price of a pool's types: the Spot allocation spreads nodes across them. */
export function poolHourly(pool: NodePoolPlan, p: RegionPrices, map: (t: string) => string = (t) => t): number {
  const prices = pool.instanceTypes.map((t) => ec2Hourly(map(t), p));
  return prices.reduce((a, b) => a + b, 0) / prices.length;
}

/** The EKS control plane for a month: the standard cluster-hour, or the extended-support one for a version past standard support. */
export function controlPlaneLine(eks: Pick<EksPlan, "kubernetesVersion" | "support">, p: RegionPrices): CostLine {
  // A version past standard support (eks.extendedSupport) is billed extended support while it lasts.
  const extended = eks.support.status === "extended";
  return line(
    "control plane",
    extended ? `EKS cluster (Kubernetes ${eks.kubernetesVersion} in extended support)` : "EKS cluster (standard support)",
    1,
    (extended ? p.eksExtendedHour : p.eksHour) * HOURS_PER_MONTH,
    "cluster-month",
  );
}

/**
 * The on-demand node group for a month, priced at its first instance type (its x86 counterpart for
 * the reference estimate); `item` describes the nodes given that type.
 */
export function onDemandNodeLine(
  component: string,
  pool: NodePoolPlan,
  p: RegionPrices,
  reference: boolean,
  item: (type: string) => string,
  nodes: number,
): CostLine {
  const type = reference ? x86Counterpart(pool.instanceTypes[0]!) : pool.instanceTypes[0]!;
  return line(component, item(type), nodes, ec2Hourly(type, p) * HOURS_PER_MONTH, "node-month");
}

/** Worker pods running and the Spot nodes they take. */
interface FleetPoint {
  readonly workers: number;
  readonly workerNodes: number;
}

function computeLines(plan: Plan, p: RegionPrices, reference: boolean, fleet: FleetPoint): CostLine[] {
  const eks = eksPlanOf(plan);
  const { appPool, workerPool } = eks;
  const discount = plan.costAssumptions.spotDiscount;
  const lines: CostLine[] = [
    controlPlaneLine(eks, p),
    onDemandNodeLine("app", appPool, p, reference, (type) => `on-demand ${type} nodes (system + app, ${plan.app.desired} app pods)`, appPool.desiredNodes),
  ];

  if (fleet.workerNodes > 0) {
    const types = (reference ? workerPool.instanceTypes.map(x86Counterpart) : workerPool.instanceTypes).join("/");
    const hourly = reference ? poolHourly(workerPool, p, x86Counterpart) : poolHourly(workerPool, p);
    const pods = `${round2(fleet.workers)} worker pods, ${workerPool.podsPerNode} per node`;
    const item = reference ? `on-demand ${types} nodes (${pods})` : `Spot ${types} nodes (${pods}, -${Math.round(discount * 100)}% assumed)`;
    lines.push(line("worker", item, fleet.workerNodes, hourly * HOURS_PER_MONTH * (reference ? 1 : 1 - discount), "node-month"));
  }

  const nodes = appPool.desiredNodes + fleet.workerNodes;
  lines.push(line("nodes", `gp3 root volumes (${round2(nodes)} nodes x ${appPool.diskGb} GB)`, nodes * appPool.diskGb, p.ebsGp3GbMonth, "GB-month"));
  return lines;
}

/** Lines shared with the Fargate estimate, from cost/data.ts; logs cover containers and control-plane logs. */
function linesAt(plan: Plan, p: RegionPrices, fleet: FleetPoint, reference: boolean): CostLine[] {
  // A node pulls the image once for all its pods: a deploy pulls it on every node.
  const nat = natData(plan.costAssumptions, fleet.workers, eksPlanOf(plan).appPool.desiredNodes + fleet.workerNodes);
  return [
    ...computeLines(plan, p, reference, fleet),
    ...sharedLines(plan, p, nat, [
      line("observability", "CloudWatch alarm metrics (data tier)", alarmMetricCount(plan, "eks"), p.cwAlarmMonth, "metric-month"),
      alarmTopicKeyLine(p),
      line("observability", "CloudWatch dashboard (data tier)", 1, p.cwDashboardMonth, "dashboard-month"),
      line("observability", "CloudWatch Logs ingestion (assumed; containers and control plane)", plan.costAssumptions.logsGbPerMonth, p.cwLogsIngestGb, "GB"),
    ]),
  ];
}

/**
 * Cost of a plan on EKS+KEDA. Works on any valid plan: a plan made for Fargate is sized for EKS
 * with the default EKS settings from the same numbers (sizing/eks.ts `eksPlanOf`), so the two
 * platforms can be compared on one config.
 */
export function estimateEks(plan: Plan): CostReport {
  const pricing = pricesFor(plan.region);
  const p = pricing.prices;
  const fleet = workerFleet(plan);
  const perNode = eksPlanOf(plan).workerPool.podsPerNode;
  const at = (n: number): FleetPoint => ({ workers: n, workerNodes: Math.ceil(n / perNode) });
  const min = at(fleet.min);
  const max = at(fleet.max);
  const expected = fleet.mode === "static" ? max : { workers: fleet.expected, workerNodes: between(min.workerNodes, max.workerNodes, fleet.utilisation) };
  return makeReport(plan, pricing, fleet, {
    lines: linesAt(plan, p, expected, false),
    atMin: linesAt(plan, p, min, false),
    atMax: linesAt(plan, p, max, false),
    reference: linesAt(plan, p, expected, true),
    pulledBy: "node",
  });
}

/** Monthly cost of one concurrent-flow slot at peak: the expected total over the peak concurrent flows. */
export function costPerFlowSlot(report: CostReport, plan: Pick<Plan, "peakConcurrentFlows">): number {
  return round2(report.monthlyTotal / plan.peakConcurrentFlows);
}
