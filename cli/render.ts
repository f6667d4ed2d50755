import type { CostReport } from "../cost/types";
import type { Plan, RolePlan } from "../sizing/types";
import type { Violation } from "../policies/engine/check";

/** Plain-text tables for the plan command. */

export function table(headers: readonly string[], rows: readonly (readonly (string | number)[])[], rightAlign: readonly number[] = []): string {
  const cells = [headers, ...rows].map((r) => r.map(String));
  const widths = headers.map((_, i) => Math.max(...cells.map((r) => (r[i] ?? "").length)));
  const fmt = (r: readonly string[]) =>
    r.map((c, i) => (rightAlign.includes(i) ? c.padStart(widths[i]!) : c.padEnd(widths[i]!))).join("  ").trimEnd();
  return [fmt(cells[0]!), widths.map((w) => "-".repeat(w)).join("  "), ...cells.slice(1).map(fmt)].join("\n");
}

export function usd(n: number): string {
  return n.toLocaleString("en-US", { minimumFractionDigits: 2, maximumFractionDigits: 2 });
}

function capacity(r: RolePlan): string {
  return r.capacity.map((c) => `${c.capacityProvider}${c.base ? ` base ${c.base}` : ""} w${c.weight}`).join(" + ");
}

function roleRow(plan: Plan, r: RolePlan): (string | number)[] {
  const where = plan.eks
    ? (r.role === "app" ? "on-demand nodes" : "Spot nodes")
    : capacity(r);
  return [r.role, r.desired, `${r.min}..${r.max}`, `${r.cpu / 1024} vCPU / ${r.memory / 1024} GB`, where, `${r.nodeHeapMb} MiB`, `${r.stopTimeoutSeconds} s`, r.dbPoolSize];
}

function eksRows(plan: Plan): string[][] {
  if (!plan.eks) return [];
  const pool = (p: NonNullable<Plan["eks"]>["appPool"]) =>
    `${p.capacityType} ${p.instanceTypes.join("/")}, ${p.podsPerNode} pods/node, nodes ${p.minNodes}..${p.maxNodes} (peak ${p.peakNodes})`;
  return [
    ["EKS", `Kubernetes ${plan.eks.kubernetesVersion}, endpoint ${plan.eks.endpointPublicAccess ? "public+private" : "private"}`],
    ["app node group", pool(plan.eks.appPool)],
    ["worker node group", pool(plan.eks.workerPool)],
    ["KEDA", `${plan.eks.keda.version}, listLength ${plan.eks.keda.listLength}, poll ${plan.eks.keda.pollingIntervalSeconds} s`],
  ];
}

export function renderPlan(plan: Plan): string {
  const db = plan.database;
  const network = plan.network.mode === "new"
    ? `new VPC ${plan.network.cidr}, ${plan.network.azCount} AZs, ${plan.network.natGateways} NAT gateway(s), S3 gateway endpoint`
    : `existing ${plan.network.vpcId}, ${plan.network.privateSubnetIds.length} private subnets`;
  const scaling = plan.workerScaling.mode === "queue"
    ? `queue depth${plan.eks ? " (KEDA)" : ""}: ${plan.workerScaling.backlogPerWorker} job(s) per worker`
    : "static for peak";
  return [
    `${plan.environment} on ${plan.platform} in ${plan.region} (${plan.architecture}), ${plan.peakConcurrentFlows} peak concurrent flows, image ${plan.image}`,
    "",
    table(["role", "desired", "min..max", "size", "capacity", "heap", "stop", "db pool"], [roleRow(plan, plan.app), roleRow(plan, plan.worker)], [1]),
    "",
    table(["item", "value"], [
      ["app scaling", plan.eks
        ? `HPA on CPU ${plan.appScaling.cpuTarget}%`
        : `CPU ${plan.appScaling.cpuTarget}% or ${plan.appScaling.requestsPerTarget} requests/target, cooldown out ${plan.appScaling.scaleOutCooldownSeconds} s / in ${plan.appScaling.scaleInCooldownSeconds} s`],
      ["worker scaling", scaling],
      ["database", `${db.instanceClass}${db.multiAz ? " Multi-AZ" : ""}, Postgres ${db.engineVersion}, ${db.allocatedStorageGb}..${db.maxAllocatedStorageGb} GB, backups ${db.backupRetentionDays} d`],
      ["pool budget", `${db.poolConnectionsAtMax} of ${db.poolBudget} (80% of max_connections ${db.maxConnections})`],
      ["redis", `${plan.redis.nodeType} x${1 + plan.redis.replicas}, Redis ${plan.redis.engineVersion}, TLS + auth, ${plan.redis.maxmemoryPolicy}`],
      ["network", network],
      ["load balancer", `${plan.loadBalancer.scheme}, ${plan.loadBalancer.https ? "HTTPS" : "HTTP only"}, from ${[...plan.loadBalancer.allowedCidrs, ...plan.loadBalancer.allowedPrefixListIds].join(", ")}`],
      ["data protection", plan.protectData ? "deletion protection, final snapshot, protect + retain secrets" : "off"],
      ...eksRows(plan),
    ]),
    ...plan.warnings.map((w) => `warning: ${w}`),
  ].join("\n");
}

export function renderResources(types: readonly string[]): string {
  const counts = new Map<string, number>();
  for (const t of types) counts.set(t, (counts.get(t) ?? 0) + 1);
  const rows = [...counts.entries()].sort((a, b) => a[0].localeCompare(b[0])).map(([t, n]) => [t, n]);
  return `${table(["resource type", "count"], rows, [1])}\n${types.length} resources`;
}

export function renderCost(cost: CostReport): string {
  const rows = cost.lines.map((l) => [l.component, l.item, l.quantity, usd(l.unitPrice), l.unit, usd(l.monthly)]);
  const ratio = cost.onDemandX86Reference > 0 ? cost.monthlyTotal / cost.onDemandX86Reference : 0;
  return [
    table(["component", "item", "qty", "unit price", "unit", "monthly USD"], rows, [2, 3, 5]),
    "",
    `monthly total:            ${usd(cost.monthlyTotal)} USD`,
    `all on-demand x86 (ref.): ${usd(cost.onDemandX86Reference)} USD  (this plan costs ${ratio.toFixed(3)}x the reference)`,
    `prices: us-east-1 list prices as of ${cost.pricesAsOf}`,
  ].join("\n");
}


export function renderPolicy(violations: readonly Violation[]): string {
  if (violations.length === 0) return "policy: no violations";
  const mandatory = violations.filter((v) => v.enforcementLevel === "mandatory").length;
  return [
    `policy: ${mandatory} mandatory, ${violations.length - mandatory} advisory`,
    ...violations.map((v) => `  [${v.enforcementLevel}] ${v.policy}: ${v.message}\n      ${v.urn}`),
  ].join("\n");
}
