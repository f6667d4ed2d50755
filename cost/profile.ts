import { databaseAlarmSpecs, redisAlarmSpecs } from "../sizing/alarms";
import type { ProfileRolePlan, WorkloadPlan } from "../sizing/profile-types";
import { alarmTopicKeyLine, databaseLines, loadBalancerLines, networkLines, redisLines, secretsLines } from "./data";
import { controlPlaneLine, onDemandNodeLine, poolHourly } from "./eks";
import { fargateTaskMonth } from "./estimate";
import { between, natData } from "./fleet";
import { x86Counterpart } from "./prices-eks";
import { pricesFor, type RegionPrices } from "./regions";
import { reportCommon, type CommonReport } from "./report";
import { HOURS_PER_MONTH, line, round2, type CostLine } from "./types";

/**
 * Monthly cost of a workload profile stack: each role's tasks (Fargate) or the node groups that hold
 * them (EKS), and the lines every stack shares (RDS, Redis, NAT, ALB, secrets, observability) from
 * cost/data.ts. An autoscaled role runs min + cost.expectedWorkerUtilisation x (max - min) tasks on
 * average; a static one its minimum.
 */

/** Tasks of one role the estimate prices. */
export interface ProfileRoleFleet {
  readonly name: string;
  readonly capacity: "on-demand" | "spot";
  readonly min: number;
  readonly max: number;
  readonly expected: number;
}

export interface ProfileCostReport extends CommonReport {
  readonly profile: string;
  readonly roles: readonly ProfileRoleFleet[];
}

type Point = "min" | "expected" | "max";

function fleetOf(plan: WorkloadPlan): ProfileRoleFleet[] {
  const u = plan.costAssumptions.expectedWorkerUtilisation;
  return plan.roles.map((r) => ({
    name: r.name,
    capacity: r.capacity,
    min: r.min,
    max: r.max,
    expected: r.scaling.mode === "static" ? r.min : between(r.min, r.max, u),
  }));
}

const tasksAt = (f: ProfileRoleFleet, at: Point) => f[at];

/** Tasks whose traffic leaves the VPC (roles with an external dependency), for the NAT data estimate. */
function outboundTasks(plan: WorkloadPlan, fleet: readonly ProfileRoleFleet[], at: Point): number {
  return plan.roles.reduce((n, r, i) => n + (r.connects.some((e) => e.target === "external") ? tasksAt(fleet[i]!, at) : 0), 0);
}

function sizeLabel(r: ProfileRolePlan): string {
  return `${r.cpu / 1024} vCPU / ${r.memory / 1024} GB`;
}

function fargateLines(plan: WorkloadPlan, p: RegionPrices, fleet: readonly ProfileRoleFleet[], at: Point, reference: boolean): CostLine[] {
  const arch = reference ? "x86_64" : plan.architecture;
  const discount = plan.costAssumptions.spotDiscount;
  const lines: CostLine[] = plan.roles.map((r, i) => {
    const month = fargateTaskMonth(r.cpu, r.memory, arch, p);
    const n = tasksAt(fleet[i]!, at);
    return r.capacity === "spot" && !reference
      ? line(r.name, `Fargate Spot ${arch} ${sizeLabel(r)} (-${Math.round(discount * 100)}% assumed)`, n, month * (1 - discount), "task-month")
      : line(r.name, `Fargate on-demand ${arch} ${sizeLabel(r)}`, n, month, "task-month");
  });
  const queueRoles = plan.roles.filter((r) => r.scaling.mode === "queue").length;
  if (queueRoles > 0) {
    // One backlog function per queue-scaled role: a 128 MB arm64 invocation a minute, about a second each.
    const invocations = 60 * HOURS_PER_MONTH * queueRoles;
    lines.push(
      line(
        "scaling",
        "queue metric Lambda (128 MB, 1 s, every minute per queue-scaled role)",
        invocations,
        0.125 * p.lambdaArmGbSecond + p.lambdaRequestMillion / 1e6,
        "invocation",
      ),
    );
  }
  const tasks = fleet.reduce((n, f) => n + tasksAt(f, at), 0);
  return [...lines, ...shared(plan, p, outboundTasks(plan, fleet, at), tasks, "task", queueRoles)];
}

function eksLines(plan: WorkloadPlan, p: RegionPrices, fleet: readonly ProfileRoleFleet[], at: Point, reference: boolean): CostLine[] {
  const eks = plan.eks!;
  const { appPool, workerPool } = eks;
  const discount = plan.costAssumptions.spotDiscount;
  const u = plan.costAssumptions.expectedWorkerUtilisation;
  const nodesAt = (min: number, peak: number, anyScaled: boolean) => (at === "min" ? min : at === "max" ? peak : anyScaled ? between(min, peak, u) : min);
  const scaled = (capacity: "on-demand" | "spot") => plan.roles.some((r) => r.capacity === capacity && r.scaling.mode !== "static");
  const appNodes = nodesAt(appPool.desiredNodes, appPool.peakNodes, scaled("on-demand"));
  const spotRoles = plan.roles.filter((r) => r.capacity === "spot");
  const spotNodes = spotRoles.length === 0 ? 0 : nodesAt(workerPool.minNodes, workerPool.peakNodes, scaled("spot"));
  const odPods = round2(plan.roles.reduce((n, r, i) => n + (r.capacity === "on-demand" ? tasksAt(fleet[i]!, at) : 0), 0));
  const lines: CostLine[] = [
    controlPlaneLine(eks, p),
    onDemandNodeLine("on-demand nodes", appPool, p, reference, (type) => `on-demand ${type} nodes (system + ${odPods} role pods)`, appNodes),
  ];
  if (spotNodes > 0) {
    const types = (reference ? workerPool.instanceTypes.map(x86Counterpart) : workerPool.instanceTypes).join("/");
    const hourly = reference ? poolHourly(workerPool, p, x86Counterpart) : poolHourly(workerPool, p);
    const pods = round2(plan.roles.reduce((n, r, i) => n + (r.capacity === "spot" ? tasksAt(fleet[i]!, at) : 0), 0));
    const item = reference
      ? `on-demand ${types} nodes (${pods} Spot role pods)`
      : `Spot ${types} nodes (${pods} role pods, -${Math.round(discount * 100)}% assumed)`;
    lines.push(line("spot nodes", item, spotNodes, hourly * HOURS_PER_MONTH * (reference ? 1 : 1 - discount), "node-month"));
  }
  const nodes = appNodes + spotNodes;
  lines.push(line("nodes", `gp3 root volumes (${round2(nodes)} nodes x ${appPool.diskGb} GB)`, nodes * appPool.diskGb, p.ebsGp3GbMonth, "GB-month"));
  return [...lines, ...shared(plan, p, outboundTasks(plan, fleet, at), nodes, "node", 0)];
}

/** Data tier, network, load balancer, secrets and observability: the shared helpers of cost/data.ts. */
function shared(plan: WorkloadPlan, p: RegionPrices, outbound: number, pulls: number, _pulledBy: string, customMetrics: number): CostLine[] {
  const { postgres, redis } = plan.data;
  const nat = natData(plan.costAssumptions, outbound, pulls);
  const alarms = (postgres ? databaseAlarmSpecs(postgres).length : 0) + (redis ? redisAlarmSpecs().length : 0);
  // Secrets the stack creates: the RDS-managed master secret and the Redis auth token; the profile's own are the user's.
  const secrets = (postgres ? 1 : 0) + (redis ? 1 : 0);
  const lines: CostLine[] = [
    ...(postgres ? databaseLines({ database: postgres }, p) : []),
    ...(redis ? redisLines({ redis }, p) : []),
    ...networkLines(plan, p, nat),
    ...loadBalancerLines(plan, p),
    ...(secrets > 0 ? secretsLines(p, secrets) : []),
  ];
  if (alarms > 0) lines.push(line("observability", "CloudWatch alarm metrics (data tier)", alarms, p.cwAlarmMonth, "metric-month"), alarmTopicKeyLine(p));
  lines.push(
    line("observability", "CloudWatch dashboard", 1, p.cwDashboardMonth, "dashboard-month"),
    line("observability", "CloudWatch Logs ingestion (assumed)", plan.costAssumptions.logsGbPerMonth, p.cwLogsIngestGb, "GB"),
  );
  if (customMetrics > 0) lines.push(line("observability", "custom metrics (queue backlog)", customMetrics, p.cwCustomMetricMonth, "metric-month"));
  return lines;
}

/**
 * Monthly cost of a workload plan on its platform: expected, the range with every role at its
 * minimum and maximum, and the same plan all on-demand x86 for reference. S3 is not priced (usage).
 */
export function estimateProfile(plan: WorkloadPlan): ProfileCostReport {
  const pricing = pricesFor(plan.region);
  const p = pricing.prices;
  const fleet = fleetOf(plan);
  const at = plan.platform === "eks" ? eksLines : fargateLines;
  const u = plan.costAssumptions.expectedWorkerUtilisation;
  const lead = [
    `autoscaled roles run min + ${round2(u * 100)}% of (max - min) tasks on average (cost.expectedWorkerUtilisation): ` +
      fleet.map((f) => `${f.name} ${f.min}..${f.max} -> ${round2(f.expected)}`).join(", "),
    "NAT API traffic counts the tasks of roles with an external dependency; S3 storage and requests are usage and not priced",
  ];
  const common = reportCommon(
    plan.costAssumptions,
    pricing,
    {
      lines: at(plan, p, fleet, "expected", false),
      atMin: at(plan, p, fleet, "min", false),
      atMax: at(plan, p, fleet, "max", false),
      reference: at(plan, p, fleet, "expected", true),
      pulledBy: plan.platform === "eks" ? "node" : "task",
    },
    lead,
  );
  return { ...common, profile: plan.profile, roles: fleet };
}
