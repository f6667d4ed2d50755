/**
 * Generated documentation: the `config:` block of Pulumi.yaml, and the README's config reference
 * and cost tables. `npm run docs` rewrites them; test/unit/docs.test.ts fails when they are stale.
 */
import { readFileSync, writeFileSync } from "node:fs";
import { stringify } from "yaml";
import { loadStackFile, parseStackConfig, PROJECT, rawFromStackFile } from "../config/load";
import { pulumiConfigDeclarations, referenceMarkdown } from "../config/reference";
import { estimate } from "../cost/estimate";
import { PRICED_REGIONS, pricesFor, US_EAST_1 } from "../cost/regions";
import { pricesLabel } from "../cost/report";
import { plan } from "../sizing/plan";
import { comparison, platformName, rangeText } from "./compare";
import { usd } from "./render";

export const SHIPPED_STACKS = ["staging", "prod"] as const;

/** The whole Pulumi.yaml: project, runtime and the generated config declarations. */
export function renderPulumiYaml(): string {
  const doc = {
    name: PROJECT,
    description: "ActivePieces on AWS: a sized, costed ECS Fargate/Spot or EKS+KEDA split from one stack config.",
    runtime: { name: "nodejs", options: { typescript: true, packagemanager: "npm" } },
    config: pulumiConfigDeclarations(),
  };
  return `# Generated: edit config/schema.ts, then run \`npm run docs\`.\n${stringify(doc, { lineWidth: 0 })}`;
}

/** Cost of each shipped stack by component, with totals, the range, per flow slot and the on-demand x86 reference. */
export function costMarkdown(): string {
  const reports = SHIPPED_STACKS.map((s) => {
    const p = plan(loadStackFile(`Pulumi.${s}.yaml`));
    return { stack: s, plan: p, cost: estimate(p) };
  });
  const components = [...new Set(reports.flatMap((r) => r.cost.lines.map((l) => l.component)))];
  const sum = (r: (typeof reports)[number], c: string) => r.cost.lines.filter((l) => l.component === c).reduce((a, l) => a + l.monthly, 0);
  const rows = [
    `| USD / month | ${reports.map((r) => `${r.stack} (${r.plan.peakConcurrentFlows} flows: ${r.plan.app.desired} apps, ${r.plan.worker.desired} workers)`).join(" | ")} |`,
    `| --- | ${reports.map(() => "---:").join(" | ")} |`,
    ...components.map((c) => `| ${c} | ${reports.map((r) => usd(sum(r, c))).join(" | ")} |`),
    `| **total** | ${reports.map((r) => `**${usd(r.cost.monthlyTotal)}**`).join(" | ")} |`,
    `| range (workers at min..max) | ${reports.map((r) => rangeText(r.cost)).join(" | ")} |`,
    `| per flow slot | ${reports.map((r) => usd(r.cost.perFlowSlot)).join(" | ")} |`,
    `| all on-demand x86 reference | ${reports.map((r) => usd(r.cost.onDemandX86Reference)).join(" | ")} |`,
    `| ratio to reference | ${reports.map((r) => (r.cost.monthlyTotal / r.cost.onDemandX86Reference).toFixed(3)).join(" | ")} |`,
    `| prices | ${reports.map((r) => pricesLabel(r.cost)).join(" | ")} |`,
  ];
  return rows.join("\n");
}

/** Peak flows at which the platform comparison is tabulated. */
export const COMPARISON_PEAKS = [10, 50, 200] as const;

/** The queue-scaled example the README compares as `--compare` prints it. */
export const QUEUE_EXAMPLE = "examples/eks-prod.yaml";

/**
 * Fargate/Spot vs EKS+KEDA from `comparison()`, the function behind `--compare`: the prod config
 * at several peaks, and the queue-scaled example with its range.
 */
export function comparisonMarkdown(): string {
  const raw = rawFromStackFile("Pulumi.prod.yaml");
  const rows = COMPARISON_PEAKS.map((peak) => {
    const p = plan(parseStackConfig({ ...raw, peakConcurrentFlows: peak }, "Pulumi.prod.yaml"));
    const [fargate, eks] = comparison(p);
    return `| ${peak} | ${usd(fargate!.monthlyTotal)} | ${usd(fargate!.perFlowSlot)} | ${usd(eks!.monthlyTotal)} | ${usd(eks!.perFlowSlot)} |`;
  });
  const q = plan(loadStackFile(QUEUE_EXAMPLE));
  const queue = comparison(q);
  return [
    "| peak flows | Fargate/Spot USD/month | per flow slot | EKS+KEDA USD/month | per flow slot |",
    "| ---: | ---: | ---: | ---: | ---: |",
    ...rows,
    "",
    `\`${QUEUE_EXAMPLE}\` (queue scaling ${q.worker.min}..${q.worker.max} workers, ${q.peakConcurrentFlows} peak flows, ` +
      `expected at ${Math.round(q.costAssumptions.expectedWorkerUtilisation * 100)}% utilisation), as \`--compare\` prints it:`,
    "",
    "| platform | expected USD/month | range USD (min..max workers) | per flow slot | all on-demand x86 |",
    "| --- | ---: | ---: | ---: | ---: |",
    ...queue.map((c) => `| ${platformName(c.platform)} | ${usd(c.monthlyTotal)} | ${rangeText(c)} | ${usd(c.perFlowSlot)} | ${usd(c.onDemandX86Reference)} |`),
  ].join("\n");
}

/** One row per priced region: a few of its prices, how they were obtained, and the multiplier. */
export function regionPricesMarkdown(): string {
  const price = (n: number) => String(n);
  const rows = PRICED_REGIONS.map((region) => {
    const p = pricesFor(region).prices;
    const derived = Object.entries(p.status)
      .filter(([, v]) => v === "derived")
      .map(([k]) => k);
    const multiplier = p.region === "us-east-1" ? "-" : (p.ec2Hourly["m7g.large"]! / US_EAST_1.ec2Hourly["m7g.large"]!).toFixed(3);
    return (
      `| ${region} | ${p.verified} | ${price(p.fargate.arm64.vcpuHour)} / ${price(p.fargate.arm64.gbHour)} | ${price(p.elasticacheHourly["cache.t4g.small"]!)} ` +
      `| ${price(p.rdsHourly["db.t4g.small"]!)} | ${price(p.ec2Hourly["m7g.large"]!)} | ${price(p.natHour)} / ${price(p.natGb)} | ${price(p.albHour)} ` +
      `| ${multiplier} | ${derived.length === 0 ? "none" : derived.join(", ")} |`
    );
  });
  const sources = [...new Map(PRICED_REGIONS.flatMap((r) => pricesFor(r).prices.sources).map((s) => [s.url, s])).values()];
  return [
    "| region | verified | Fargate arm64 vCPU-h / GB-h | cache.t4g.small h | db.t4g.small h | m7g.large h | NAT h / GB | ALB h | multiplier | derived |",
    "| --- | --- | ---: | ---: | ---: | ---: | ---: | ---: | ---: | --- |",
    ...rows,
    "",
    "Sources:",
    "",
    ...sources.map((s) => `- ${s.what}${s.dataDate ? ` (data ${s.dataDate})` : ""}: <${s.url}>`),
  ].join("\n");
}

function replaceBetween(text: string, name: string, body: string): string {
  const begin = `<!-- ${name}:begin (generated by npm run docs) -->`;
  const end = `<!-- ${name}:end -->`;
  const i = text.indexOf(begin);
  const j = text.indexOf(end);
  if (i < 0 || j < i) throw new Error(`README.md lacks the ${begin} ... ${end} markers`);
  return `${text.slice(0, i + begin.length)}\n${body}\n${text.slice(j)}`;
}

/** README with its generated sections replaced. */
export function renderReadme(readme: string): string {
  let out = replaceBetween(readme, "config-reference", referenceMarkdown());
  out = replaceBetween(out, "cost-table", costMarkdown());
  out = replaceBetween(out, "region-prices", regionPricesMarkdown());
  return replaceBetween(out, "platform-comparison", comparisonMarkdown());
}

if (require.main === module) {
  writeFileSync("Pulumi.yaml", renderPulumiYaml());
  writeFileSync("README.md", renderReadme(readFileSync("README.md", "utf8")));
  console.log("regenerated Pulumi.yaml and the README's config reference and cost tables");
}
