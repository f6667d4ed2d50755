import { describe, expect, it } from "vitest";
// In-process (main() with the real run): a config error stops the command before the program runs.
import { plan } from "./plan-runs";

const keys = (stderr: string) =>
  stderr
    .split("\n")
    .filter((l) => l.startsWith("  - "))
    .map((l) => l.slice(4, l.indexOf(":")));

describe("npm run plan refuses what a real EKS pulumi up would reject (exit 2, nothing registered)", () => {
  it("refuses Cluster Autoscaler's price expander, naming the key and the expanders allowed", async () => {
    const r = await plan("--config-file", "test/fixtures/config/eks-price-expander.yaml");
    expect(r.code).toBe(2);
    expect(r.stdout).toBe("");
    expect(keys(r.stderr)).toEqual(["eks.autoscalerExpander"]);
    expect(r.stderr).toContain("expected least-waste, random, most-pods");
  });

  it("refuses a Kubernetes version past extended support and a KEDA chart version the catalogue does not list", async () => {
    const r = await plan("--config-file", "test/fixtures/config/eks-catalog-bad.yaml");
    expect(r.code).toBe(2);
    expect(r.stdout).toBe("");
    expect(keys(r.stderr)).toEqual(["eks.kubernetesVersion", "eks.kedaVersion"]);
    expect(r.stderr).toContain("reached the end of EKS extended support on 2026-11-26");
    expect(r.stderr).toContain("allowed: 2.20.2, 2.21.0");
  });
});
