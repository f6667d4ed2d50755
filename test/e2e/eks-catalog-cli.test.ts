import { spawnSync } from "node:child_process";
import * as path from "node:path";
import { describe, expect, it } from "vitest";

const root = path.join(__dirname, "..", "..");
const tsx = path.join(root, "node_modules", ".bin", "tsx");

function plan(...args: string[]) {
  const r = spawnSync(tsx, ["cli/plan.ts", ...args], { cwd: root, encoding: "utf8" });
  return { code: r.status, stdout: r.stdout, stderr: r.stderr };
}

const keys = (stderr: string) => stderr.split("\n").filter((l) => l.startsWith("  - ")).map((l) => l.slice(4, l.indexOf(":")));

describe("npm run plan refuses what a real EKS pulumi up would reject (exit 2, nothing registered)", () => {
  it("refuses Cluster Autoscaler's price expander, naming the key and the expanders allowed", () => {
    const r = plan("--config-file", "test/fixtures/config/eks-price-expander.yaml");
    expect(r.code).toBe(2);
    expect(r.stdout).toBe("");
    expect(keys(r.stderr)).toEqual(["eks.autoscalerExpander"]);
    expect(r.stderr).toContain("expected least-waste, random, most-pods");
  });

  it("refuses a Kubernetes version past extended support and a KEDA chart version the catalogue does not list", () => {
    const r = plan("--config-file", "test/fixtures/config/eks-catalog-bad.yaml");
    expect(r.code).toBe(2);
    expect(r.stdout).toBe("");
    expect(keys(r.stderr)).toEqual(["eks.kubernetesVersion", "eks.kedaVersion"]);
    expect(r.stderr).toContain("reached the end of EKS extended support on 2026-11-26");
    expect(r.stderr).toContain("allowed: 2.20.2, 2.21.0");
  });
});
