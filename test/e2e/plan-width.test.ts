import { spawnSync } from "node:child_process";
import * as path from "node:path";
import { describe, expect, it } from "vitest";

const root = path.join(__dirname, "..", "..");
const tsx = path.join(root, "node_modules", ".bin", "tsx");

/** `npm run -s plan -- <args>` text output. */
function planText(...args: string[]): string {
  const r = spawnSync(tsx, ["cli/plan.ts", ...args], { cwd: root, encoding: "utf8" });
  expect(r.stderr).not.toMatch(/internal error/);
  return r.stdout;
}

describe("npm run plan text output fits 100 columns", () => {
  it.each([
    "--stack prod",
    "--stack staging",
    "--config-file examples/eks-prod.yaml",
    "--config-file examples/eks-prod.yaml --compare",
  ])("every line of `npm run -s plan -- %s` is at most 100 columns", (args) => {
    const text = planText(...args.split(" "));
    expect(text).toContain("== monthly cost");
    const wide = text.split("\n").filter((l) => l.length > 100).map((l) => `${l.length}: ${l}`);
    expect(wide).toEqual([]);
  });

  it("prints the cost per flow slot and the prices used in the default output", () => {
    const text = planText("--stack", "prod");
    expect(text).toMatch(/^per flow slot: +[\d.]+ USD \(expected total \/ 50 peak concurrent flows\)$/m);
    expect(text).toMatch(/^prices: +us-east-1 prices, verified \d{4}-\d{2}-\d{2}/m);
  });
});
