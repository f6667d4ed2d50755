import type { CostLine } from "../cost/types";
import type { ProfileEdge, ProfileRolePlan, ProfileScaling, WorkloadPlan } from "../sizing/profile-types";
import { costTable, table, usd } from "./render";
import { NBSP, WIDTH, wrap } from "./wrap";

/** Plain-text tables of a workload profile's plan for the plan command. */

function exposure(r: ProfileRolePlan): string {
  return r.exposure.kind === "public" ? `public ${r.exposure.host ?? ""}${r.exposure.path}` : "internal";
}

function scaling(s: ProfileScaling): string {
  switch (s.mode) {
    case "static":
      return "static";
    case "cpu":
      return `CPU ${s.cpuTarget}%`;
    case "requests-or-cpu":
      return `CPU ${s.cpuTarget}% or ${s.requestsPerTarget} req/target`;
    case "queue":
      return `queue ${s.key}: ${s.backlogPerTask}/task`;
    case "prometheus":
      return `prometheus > ${s.threshold}`;
  }
}

function connection(e: ProfileEdge): string {
  switch (e.target) {
    case "postgres":
    case "redis":
      return e.target;
    case "role":
      return `${e.role}:${e.port}`;
    case "s3":
      return `s3:${e.bucket}`;
    case "external":
      return e.name;
  }
}

/**
 * A table that keeps to {@link WIDTH}: a last-column cell too long for the room the other columns
 * leave wraps on spaces (cli/wrap.ts) and continues on rows of its own, the other cells blank,
 * each continuation line starting with `indent`.
 */
function fittedTable(headers: readonly string[], rows: readonly (readonly string[])[], indent = ""): string {
  const last = headers.length - 1;
  const lead = headers.slice(0, last).map((h, i) => Math.max(h.length, ...rows.map((r) => (r[i] ?? "").length)));
  const room = Math.max(headers[last]!.length, WIDTH - lead.reduce((sum, w) => sum + w + 2, 0));
  const blank = lead.map(() => "");
  return table(
    headers,
    rows.flatMap((r) => wrap(r[last] ?? "", room, indent).map((line, i) => [...(i === 0 ? r.slice(0, last) : blank), line])),
  );
}

const size = (r: ProfileRolePlan) => `${r.cpu / 1024} vCPU / ${r.memory / 1024} GB`;

export function renderProfilePlan(plan: WorkloadPlan): string {
  const d = plan.data;
  const network =
    plan.network.mode === "new"
      ? `new VPC ${plan.network.cidr}, ${plan.network.azCount} AZs, ${plan.network.natGateways} NAT gateway(s), S3 gateway endpoint`
      : `existing ${plan.network.vpcId}, ${plan.network.privateSubnetIds.length} private subnets`;
  const pool = (p: NonNullable<WorkloadPlan["eks"]>["appPool"]) =>
    `${p.capacityType} ${p.instanceTypes.join("/")}, ${p.podsPerNode} pods/node, nodes ${p.minNodes}..${p.maxNodes} (peak${NBSP}${p.peakNodes})`;
  const eks = plan.eks
    ? [
        ["EKS", `Kubernetes ${plan.eks.kubernetesVersion}, endpoint ${plan.eks.endpointPublicAccess ? "public+private" : "private"}`],
        ["on-demand node group", pool(plan.eks.appPool)],
        ["Spot node group", pool(plan.eks.workerPool)],
        ["KEDA", `${plan.eks.keda.version}, poll ${plan.eks.keda.pollingIntervalSeconds} s`],
      ]
    : [];
  return [
    ...wrap(`${plan.profile} profile: ${plan.environment} on ${plan.platform} in ${plan.region} (${plan.architecture}), frontend${NBSP}${plan.frontendUrl}`),
    "",
    // Two tables, sizing then traffic, each within WIDTH: one would be ~150 columns wide.
    fittedTable(
      ["role", "capacity", "min..max", "cpu / memory", "scaling"],
      plan.roles.map((r) => [r.name, r.capacity, `${r.min}..${r.max}`, size(r), scaling(r.scaling)]),
      "  ",
    ),
    "",
    fittedTable(
      ["role", "exposure", "connects"],
      plan.roles.map((r) => [r.name, exposure(r), r.connects.map(connection).join(", ") || "-"]),
    ),
    "",
    fittedTable(
      ["item", "value"],
      [
        [
          "postgres",
          d.postgres
            ? `${d.postgres.instanceClass}${d.postgres.multiAz ? " Multi-AZ" : ""}, Postgres ${d.postgres.engineVersion}, ${d.postgres.allocatedStorageGb}..${d.postgres.maxAllocatedStorageGb} GB`
            : "none",
        ],
        ["redis", d.redis ? `${d.redis.nodeType} x${1 + d.redis.replicas}, Redis ${d.redis.engineVersion}, TLS + auth, ${d.redis.maxmemoryPolicy}` : "none"],
        ["buckets", d.buckets.length > 0 ? d.buckets.join(", ") : "none"],
        ["external", d.external.length > 0 ? d.external.map((x) => `${x.name} (Secrets Manager)`).join(", ") : "none"],
        ["network", network],
        [
          "load balancer",
          `${plan.loadBalancer.scheme}, ${plan.loadBalancer.https ? "HTTPS" : "HTTP only"}, public roles only, from ${[...plan.loadBalancer.allowedCidrs, ...plan.loadBalancer.allowedPrefixListIds].join(", ")}`,
        ],
        ["data protection", plan.protectData ? "deletion protection, final snapshot, protect + retain secrets" : "off"],
        ...eks,
      ],
      "  ",
    ),
    ...plan.warnings.flatMap((w) => wrap(`warning: ${w}`)),
  ].join("\n");
}

/** What the profile cost report carries (cost/profile.ts): the lines and total, a range when roles scale. */
export interface ProfileCostView {
  readonly lines: readonly CostLine[];
  readonly monthlyTotal: number;
  readonly monthlyRange?: { readonly min: number; readonly max: number };
  readonly onDemandX86Reference?: number;
  readonly prices?: string;
  readonly assumptions?: readonly string[];
  readonly warnings?: readonly string[];
}

export function renderProfileCost(cost: ProfileCostView): string {
  const range =
    cost.monthlyRange && cost.monthlyRange.min !== cost.monthlyRange.max
      ? `; range ${usd(cost.monthlyRange.min)}..${usd(cost.monthlyRange.max)} USD at min..max`
      : "";
  return [
    costTable(cost.lines),
    "",
    ...wrap(`monthly total: ${usd(cost.monthlyTotal)} USD expected${range}`, WIDTH, "  "),
    ...(cost.onDemandX86Reference ? wrap(`all on-demand x86 (ref.): ${usd(cost.onDemandX86Reference)} USD`) : []),
    ...(cost.prices ? wrap(`prices: ${cost.prices}`) : []),
    ...(cost.assumptions ?? []).flatMap((a) => wrap(`assumption: ${a}`)),
    ...(cost.warnings ?? []).flatMap((x) => wrap(`warning: ${x}`)),
  ].join("\n");
}
