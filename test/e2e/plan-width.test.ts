import { beforeAll, describe, expect, it } from "vitest";
import { plan, planAll } from "./plan-runs";

// Each config planned once for the file; every command line below reuses its run (./plan-runs).
beforeAll(() =>
  planAll([
    ["Pulumi.prod.yaml", "prod"],
    ["Pulumi.staging.yaml", "staging"],
    ["examples/eks-prod.yaml", "eks-prod"],
  ]),
);

/** `npm run -s plan -- <args>` text output. */
async function planText(...args: string[]): Promise<string> {
  const r = await plan(...args);
  expect(r.stderr).not.toMatch(/internal error/);
  return r.stdout;
}

describe("npm run plan text output fits 100 columns", () => {
  it.each(["--stack prod", "--stack staging", "--config-file examples/eks-prod.yaml", "--config-file examples/eks-prod.yaml --compare"])(
    "every line of `npm run -s plan -- %s` is at most 100 columns",
    async (args) => {
      const text = await planText(...args.split(" "));
      expect(text).toContain("== monthly cost");
      const wide = text
        .split("\n")
        .filter((l) => l.length > 100)
        .map((l) => `${l.length}: ${l}`);
      expect(wide).toEqual([]);
    },
  );

  it("prints the cost per flow slot and the prices used in the default output", async () => {
    const text = await planText("--stack", "prod");
    expect(text).toMatch(/^per flow slot: +[\d.]+ USD \(expected total \/ 50 peak concurrent flows\)$/m);
    expect(text).toMatch(/^prices: +us-east-1 prices, verified \d{4}-\d{2}-\d{2}/m);
  });
});
