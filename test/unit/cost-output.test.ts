import { describe, expect, it } from "vitest";
import { comparisonMarkdown, costMarkdown, QUEUE_EXAMPLE } from "../../cli/docs";
import { comparison, renderComparison } from "../../cli/compare";
import { renderCost, unitPriceText, wrapItem } from "../../cli/render";
import { loadStackFile, parseStackConfig, rawFromStackFile } from "../../config";
import { estimateEks } from "../../cost/eks";
import { estimate, estimateFargate } from "../../cost/estimate";
import { plan } from "../../sizing/plan";
import type { Plan } from "../../sizing/types";

const CONFIGS = ["Pulumi.prod.yaml", "Pulumi.staging.yaml", "examples/eks-prod.yaml"] as const;
const planOf = (file: string) => plan(loadStackFile(file));

function inRegion(file: string, region: string): Plan {
  const raw = rawFromStackFile(file);
  const lb = raw.loadBalancer as { certificateArn?: string } | undefined;
  const loadBalancer = lb?.certificateArn ? { ...lb, certificateArn: lb.certificateArn.replace(":us-east-1:", `:${region}:`) } : lb;
  return plan(parseStackConfig({ ...raw, region, ...(loadBalancer ? { loadBalancer } : {}) }, `${file} in ${region}`));
}

/** The rows of the cost table with a quantity: [qty, unit price, monthly] as printed. */
function printedRows(text: string): { qty: number; price: number; monthly: number; raw: string }[] {
  const lines = text.split("\n");
  const dashes = lines[1]!;
  const starts = [0, ...[...dashes.matchAll(/ {2}-/g)].map((m) => m.index + 2)];
  const cell = (l: string, i: number) => l.slice(starts[i], starts[i + 1] ?? l.length).trim();
  const num = (s: string) => Number(s.replaceAll(",", ""));
  const rows = [];
  for (const l of lines.slice(2)) {
    if (l === "") break;
    if (cell(l, 2) === "") continue; // a wrapped item's continuation
    rows.push({ qty: num(cell(l, 2)), price: num(cell(l, 3)), monthly: num(cell(l, 5)), raw: l });
  }
  return rows;
}

const reports = () => [
  ...CONFIGS.map((f) => estimate(planOf(f))),
  estimate(inRegion("Pulumi.prod.yaml", "ap-northeast-1")),
  estimate(inRegion("examples/eks-prod.yaml", "eu-west-2")),
  estimate(inRegion("Pulumi.staging.yaml", "sa-east-1")),
  estimateFargate(planOf("examples/eks-prod.yaml")),
  estimateEks(planOf("Pulumi.prod.yaml")),
];

describe("cost table output", () => {
  it("keeps every line of the cost table and its notes within 100 columns", () => {
    for (const r of reports()) {
      for (const l of renderCost(r).split("\n")) expect(l.length, l).toBeLessThanOrEqual(100);
    }
  });

  it("prints unit prices precise enough that quantity x unit price = the line's monthly amount, on every line", () => {
    for (const r of reports()) {
      const rows = printedRows(renderCost(r));
      expect(rows.length).toBe(r.lines.length);
      for (const row of rows) expect(Math.round((row.qty * row.price + Number.EPSILON) * 100) / 100, row.raw).toBe(row.monthly);
    }
  });

  it("uses the fewest decimals that are exact or reproduce the amount", () => {
    expect(unitPriceText({ quantity: 320, unitPrice: 0.045, monthly: 14.4 })).toBe("0.045");
    expect(unitPriceText({ quantity: 5, unitPrice: 28.835, monthly: 144.18 })).toBe("28.835");
    expect(unitPriceText({ quantity: 9.5, unitPrice: 16.37573, monthly: 155.57 })).toBe("16.376");
    expect(unitPriceText({ quantity: 43800, unitPrice: 0.000001866675, monthly: 0.08 })).toBe("0.0000019");
  });

  it("wraps a long item on spaces and inside slash-joined instance lists", () => {
    expect(wrapItem("Spot c7g.large/c6g.large/m7g.large/m6g.large nodes (27.5 worker pods)", 24)).toEqual([
      "Spot c7g.large/",
      "c6g.large/m7g.large/",
      "m6g.large nodes (27.5",
      "worker pods)",
    ]);
  });

  it("shows the cost per flow slot, the range for queue scaling and the prices used", () => {
    // Continuation lines of the summary are indented to its value column.
    const queue = renderCost(estimate(planOf("examples/eks-prod.yaml"))).replace(/\n {26}/g, " ");
    expect(queue).toMatch(/^per flow slot: +[\d.]+ USD \(expected total \/ 50 peak concurrent flows\)$/m);
    expect(queue).toMatch(
      /^monthly total: +[\d,.]+ USD expected \(27\.5 workers on average, 50% utilisation\); range [\d,.]+\.\.[\d,.]+ USD at 5\.\.50 workers$/m,
    );
    expect(queue).toMatch(/^prices: +us-east-1 prices, verified \d{4}-\d{2}-\d{2}/m);
    expect(renderCost(estimate(planOf("Pulumi.prod.yaml")))).toMatch(/^monthly total: +[\d,.]+ USD \(50 workers, static\)$/m);
  });
});

describe("--compare and the README use one function", () => {
  it("prints the same numbers for a queue-scaled config in --compare and in the README tables", () => {
    const p = planOf(QUEUE_EXAMPLE);
    const rows = comparison(p);
    const text = renderComparison(p);
    const md = comparisonMarkdown();
    for (const c of rows) {
      const money = (n: number) => n.toLocaleString("en-US", { minimumFractionDigits: 2, maximumFractionDigits: 2 });
      for (const n of [c.monthlyTotal, c.perFlowSlot, c.monthlyRange.min, c.monthlyRange.max]) {
        expect(text).toContain(money(n));
        expect(md).toContain(money(n));
      }
    }
    // And they match the platform's own estimate: the expected total, not the minimum.
    expect(rows[1]!.monthlyTotal).toBe(estimateEks(p).monthlyTotal);
    expect(rows[1]!.monthlyTotal).toBeGreaterThan(rows[1]!.monthlyRange.min);
    for (const l of text.split("\n")) expect(l.length, l).toBeLessThanOrEqual(100);
  });

  it("tabulates each shipped stack's per-slot cost, range and prices in the README", () => {
    const md = costMarkdown();
    expect(md).toMatch(/^\| per flow slot \| [\d.]+ \| [\d.]+ \|$/m);
    expect(md).toMatch(/^\| prices \| us-east-1 prices, verified \d{4}-\d{2}-\d{2} \|/m);
  });
});
