import { pricesLabel } from "../cost/report";
import type { CostLine, CostReport } from "../cost/types";
import type { Plan, RolePlan } from "../sizing/types";
import type { Violation } from "../policies/engine/check";
import { NBSP, WIDTH, wrap } from "./wrap";

/** Plain-text tables for the plan command. */

export function table(headers: readonly string[], rows: readonly (readonly (string | number)[])[], rightAlign: readonly number[] = []): string {
  const cells = [headers, ...rows].map((r) => r.map(String));
  const widths = headers.map((_, i) => Math.max(...cells.map((r) => (r[i] ?? "").length)));
  const fmt = (r: readonly string[]) =>
    r
      .map((c, i) => (rightAlign.includes(i) ? c.padStart(widths[i]!) : c.padEnd(widths[i]!)))
      .join("  ")
      .trimEnd();
  return [fmt(cells[0]!), widths.map((w) => "-".repeat(w)).join("  "), ...cells.slice(1).map(fmt)].join("\n");
}

export function usd(n: number): string {
  return n.toLocaleString("en-US", { minimumFractionDigits: 2, maximumFractionDigits: 2 });
}

function capacity(r: RolePlan): string {
  return r.capacity.map((c) => `${c.capacityProvider}${c.base ? ` base ${c.base}` : ""} w${c.weight}`).join(" + ");
}

function roleRow(plan: Plan, r: RolePlan): (string | number)[] {
  const where = plan.eks ? (r.role === "app" ? "on-demand nodes" : "Spot nodes") : capacity(r);
  return [
    r.role,
    r.desired,
    `${r.min}..${r.max}`,
    `${r.cpu / 1024} vCPU / ${r.memory / 1024} GB`,
    where,
    `${r.nodeHeapMb} MiB`,
    `${r.stopTimeoutSeconds} s`,
    r.dbPoolSize,
  ];
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
  const network =
    plan.network.mode === "new"
      ? `new VPC ${plan.network.cidr}, ${plan.network.azCount} AZs, ${plan.network.natGateways} NAT gateway(s), S3 gateway endpoint`
      : `existing ${plan.network.vpcId}, ${plan.network.privateSubnetIds.length} private subnets`;
  const scaling =
    plan.workerScaling.mode === "queue"
      ? `queue depth${plan.eks ? " (KEDA)" : ""}: ${plan.workerScaling.backlogPerWorker} job(s) per worker`
      : "static for peak";
  return [
    ...wrap(
      `${plan.environment} on ${plan.platform} in ${plan.region} (${plan.architecture}), ${plan.peakConcurrentFlows} peak concurrent flows, image${NBSP}${plan.image}`,
    ),
    "",
    table(["role", "desired", "min..max", "size", "capacity", "heap", "stop", "db pool"], [roleRow(plan, plan.app), roleRow(plan, plan.worker)], [1]),
    "",
    table(
      ["item", "value"],
      [
        [
          "app scaling",
          plan.eks
            ? `HPA on CPU ${plan.appScaling.cpuTarget}%`
            : `CPU ${plan.appScaling.cpuTarget}% or ${plan.appScaling.requestsPerTarget} requests/target, cooldown out ${plan.appScaling.scaleOutCooldownSeconds} s / in ${plan.appScaling.scaleInCooldownSeconds} s`,
        ],
        ["worker scaling", scaling],
        [
          "database",
          `${db.instanceClass}${db.multiAz ? " Multi-AZ" : ""}, Postgres ${db.engineVersion}, ${db.allocatedStorageGb}..${db.maxAllocatedStorageGb} GB, backups ${db.backupRetentionDays} d`,
        ],
        ["pool budget", `${db.poolConnectionsAtMax} of ${db.poolBudget} (80% of max_connections ${db.maxConnections})`],
        ["redis", `${plan.redis.nodeType} x${1 + plan.redis.replicas}, Redis ${plan.redis.engineVersion}, TLS + auth, ${plan.redis.maxmemoryPolicy}`],
        ["network", network],
        [
          "load balancer",
          `${plan.loadBalancer.scheme}, ${plan.loadBalancer.https ? "HTTPS" : "HTTP only"}, from ${[...plan.loadBalancer.allowedCidrs, ...plan.loadBalancer.allowedPrefixListIds].join(", ")}`,
        ],
        ["data protection", plan.protectData ? "deletion protection, final snapshot, protect + retain secrets" : "off"],
        ...eksRows(plan),
      ],
    ),
    ...plan.warnings.flatMap((w) => wrap(`warning: ${w}`)),
  ].join("\n");
}

/**
 * A type token without the member segment when it only repeats the type's name in lower camel
 * case: `aws:s3/bucketPolicy:BucketPolicy` -> `aws:s3/BucketPolicy`,
 * `random:index/randomId:RandomId` -> `random:index/RandomId`. Other tokens
 * (`kubernetes:apps/v1:Deployment`, `activepieces:fargate:RoleService`) stay as they are.
 */
export function shortType(type: string): string {
  const m = /^([^:/]+):([^:/]+)\/([^:/]+):([^:/]+)$/.exec(type);
  if (!m) return type;
  const [, pkg, module, member, name] = m as unknown as [string, string, string, string, string];
  return member === name.charAt(0).toLowerCase() + name.slice(1) ? `${pkg}:${module}/${name}` : type;
}

export function renderResources(types: readonly string[]): string {
  const counts = new Map<string, number>();
  for (const t of types) counts.set(t, (counts.get(t) ?? 0) + 1);
  // Two tokens that would shorten alike keep their full form.
  const shortened = new Map<string, string[]>();
  for (const t of counts.keys()) shortened.set(shortType(t), [...(shortened.get(shortType(t)) ?? []), t]);
  const label = (t: string) => (shortened.get(shortType(t))!.length === 1 ? shortType(t) : t);
  const rows = [...counts.entries()].map(([t, n]) => [label(t), n] as const).sort((a, b) => a[0].localeCompare(b[0]));
  return [table(["resource type", "count"], rows, [1]), `${types.length} resources; aws:s3/BucketPolicy stands for aws:s3/bucketPolicy:BucketPolicy`].join(
    "\n",
  );
}

/** Cost table: item column wrapped so every line keeps to {@link WIDTH} columns. */
const COST_HEADERS = ["component", "item", "qty", "unit price", "unit", "monthly USD"] as const;

function grouped(n: number, decimals: number): string {
  return n.toLocaleString("en-US", { minimumFractionDigits: decimals, maximumFractionDigits: decimals });
}

/** A quantity as printed: up to 2 decimals (cost/types.ts `line` rounds quantities so). */
export function quantityText(q: number): string {
  return q.toLocaleString("en-US", { maximumFractionDigits: 2 });
}

/**
 * A unit price with the fewest decimals (at least 2) that either show it exactly or make
 * quantity x the printed price round to the line's monthly amount, so every row can be checked by hand.
 */
export function unitPriceText(l: Pick<CostLine, "quantity" | "unitPrice" | "monthly">): string {
  for (let d = 2; d <= 10; d++) {
    const shown = Number(l.unitPrice.toFixed(d));
    const exact = Math.abs(shown - l.unitPrice) < 1e-12;
    if (exact || Math.round((l.quantity * shown + Number.EPSILON) * 100) / 100 === l.monthly) return grouped(shown, d);
  }
  return String(l.unitPrice);
}

/** Splits an item into lines of at most `width`, on spaces and, inside a long word, after "/". */
export function wrapItem(item: string, width: number): string[] {
  const tokens: { text: string; glued: boolean }[] = [];
  for (const word of item.split(/ +/).filter((w) => w !== "")) {
    const parts = word.length > width ? word.split(/(?<=\/)/) : [word];
    parts.forEach((text, i) => tokens.push({ text, glued: i > 0 }));
  }
  const out: string[] = [];
  let current = "";
  for (const t of tokens) {
    const next = current === "" ? t.text : `${current}${t.glued ? "" : " "}${t.text}`;
    if (next.length <= width || current === "") current = next;
    else {
      out.push(current);
      current = t.text;
    }
  }
  if (current !== "") out.push(current);
  return out;
}

export function costTable(lines: readonly CostLine[]): string {
  const cells = lines.map((l) => [l.component, l.item, quantityText(l.quantity), unitPriceText(l), l.unit, usd(l.monthly)]);
  const widthOf = (i: number) => Math.max(COST_HEADERS[i]!.length, ...cells.map((c) => c[i]!.length));
  const others = [0, 2, 3, 4, 5].reduce((s, i) => s + widthOf(i), 0);
  const itemWidth = Math.max(COST_HEADERS[1].length, WIDTH - others - 2 * (COST_HEADERS.length - 1));
  // Continuation lines are indented by one column, so wrap one column short.
  const rows = cells.flatMap((c) =>
    wrapItem(c[1]!, itemWidth - 1).map((text, i) => (i === 0 ? [c[0]!, text, ...c.slice(2)] : ["", ` ${text}`, "", "", "", ""])),
  );
  return table(COST_HEADERS, rows, [2, 3, 5]);
}

/** "label:   text", the text wrapped in its own column so continuation lines stay aligned under it. */
function labelled(label: string, text: string): string[] {
  const pad = " ".repeat(26);
  return wrap(`${pad}${text}`, WIDTH, "").map((l, i) => (i === 0 ? `${`${label}:`.padEnd(26)}${l.slice(26)}` : l));
}

export function renderCost(cost: CostReport): string {
  const ratio = cost.onDemandX86Reference > 0 ? cost.monthlyTotal / cost.onDemandX86Reference : 0;
  const w = cost.workers;
  const total =
    w.mode === "queue"
      ? `${usd(cost.monthlyTotal)} USD expected (${quantityText(w.expected)} workers on average, ${Math.round(w.utilisation * 100)}% ` +
        `utilisation); range ${usd(cost.monthlyRange.min)}..${usd(cost.monthlyRange.max)} USD at ${w.min}..${w.max} workers`
      : `${usd(cost.monthlyTotal)} USD (${w.expected} workers, static)`;
  return [
    costTable(cost.lines),
    "",
    ...labelled("monthly total", total),
    ...labelled("per flow slot", `${usd(cost.perFlowSlot)} USD (expected total / ${cost.peakConcurrentFlows} peak concurrent flows)`),
    ...labelled("all on-demand x86 (ref.)", `${usd(cost.onDemandX86Reference)} USD (this plan costs ${ratio.toFixed(3)}x the reference)`),
    ...labelled("prices", `${pricesLabel(cost)} (sources: --json cost.pricing)`),
    ...cost.pricing.notes.flatMap((n) => wrap(`price note: ${n}`)),
    ...cost.assumptions.flatMap((a) => wrap(`assumption: ${a}`)),
    ...cost.warnings.flatMap((x) => wrap(`warning: ${x}`)),
  ].join("\n");
}

/**
 * The resource a URN names, as `<short type>::<name>` (`aws:lb/Listener::ap-prod-http`): a full URN
 * (stack, project, every parent type) is wider than a line. `--json` keeps the URN. Anything
 * that is not a URN comes back as it is.
 */
export function urnResource(urn: string): string {
  const parts = urn.split("::");
  if (!urn.startsWith("urn:pulumi:") || parts.length < 4) return urn;
  const type = parts[2]!.split("$").at(-1)!;
  return `${shortType(type)}::${parts.slice(3).join("::")}`;
}

export function renderPolicy(violations: readonly Violation[]): string {
  if (violations.length === 0) return "policy: no violations";
  const mandatory = violations.filter((v) => v.enforcementLevel === "mandatory").length;
  return [
    `policy: ${mandatory} mandatory, ${violations.length - mandatory} advisory`,
    ...violations.flatMap((v) => [...wrap(`  [${v.enforcementLevel}] ${v.policy}: ${v.message}`, WIDTH, "    "), ...wrap(`      ${urnResource(v.urn)}`)]),
  ].join("\n");
}
