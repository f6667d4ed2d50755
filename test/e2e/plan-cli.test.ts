import { spawnSync } from "node:child_process";
import { mkdtempSync, readFileSync } from "node:fs";
import { tmpdir } from "node:os";
import * as path from "node:path";
import { describe, expect, it } from "vitest";

const root = path.join(__dirname, "..", "..");
const tsx = path.join(root, "node_modules", ".bin", "tsx");

function plan(...args: string[]) {
  const r = spawnSync(tsx, ["cli/plan.ts", ...args], { cwd: root, encoding: "utf8" });
  return { code: r.status, stdout: r.stdout, stderr: r.stderr };
}

describe("npm run plan (offline, real index.ts under mocks)", () => {
  it.each(["staging", "prod"])("plans %s: exit 0 and prints the plan, resources, cost and policy tables", (stack) => {
    const r = plan("--stack", stack);
    expect(r.stderr).not.toMatch(/internal error/);
    expect(r.code).toBe(0);
    for (const heading of ["== plan", "== resources", "== monthly cost", "== policy"]) expect(r.stdout).toContain(heading);
    expect(r.stdout).toMatch(/all on-demand x86 \(ref\.\)/);
  });

  it("--json matches the documented shape", () => {
    const r = plan("--stack", "prod", "--json");
    expect(r.code).toBe(0);
    const out = JSON.parse(r.stdout);
    expect(Object.keys(out).sort()).toEqual(["cost", "plan", "platform", "policy", "resources", "stack"]);
    expect(out).toMatchObject({ stack: "prod", platform: "fargate", cost: { currency: "USD" }, policy: { violations: expect.any(Array) } });
    expect(Object.keys(out.cost).sort()).toEqual(["currency", "lines", "monthlyTotal", "onDemandX86Reference"]);
    expect(Object.keys(out.cost.lines[0]).sort()).toEqual(["component", "item", "monthly", "quantity", "unit", "unitPrice"]);
    expect(Object.keys(out.resources[0]).sort()).toEqual(["inputs", "name", "parent", "type", "urn"]);
    expect(out.resources.some((x: { type: string }) => x.type === "aws:ecs/service:Service")).toBe(true);
    for (const v of out.policy.violations) expect(Object.keys(v).sort()).toEqual(["enforcementLevel", "message", "policy", "urn"]);
  });

  it.each([
    ["--stack", "staging"],
    ["--stack", "prod"],
    ["--config-file", "examples/eks-prod.yaml"],
  ])("the shipped %s %s passes the policy pack with zero mandatory violations", (flag, value) => {
    const r = plan(flag, value, "--json");
    expect(r.code).toBe(0);
    const out = JSON.parse(r.stdout);
    expect(out.policy.violations.filter((v: { enforcementLevel: string }) => v.enforcementLevel === "mandatory")).toEqual([]);
  });

  it("an existing VPC outside us-east-1 keeps every resource in the stack's region and passes the pack", () => {
    const r = plan("--config-file", "test/fixtures/config/eu-existing-vpc.yaml", "--json");
    expect(r.code).toBe(0);
    const out = JSON.parse(r.stdout);
    expect(out.policy.violations.filter((v: { enforcementLevel: string }) => v.enforcementLevel === "mandatory")).toEqual([]);
    expect(out.resources.some((x: { type: string }) => x.type === "awsx:ec2:Vpc")).toBe(false);
    const provider = out.resources.find((x: { type: string }) => x.type === "pulumi:providers:aws");
    expect(provider.inputs.region).toBe("eu-west-1");
  });

  it("--compare prices the same config on both platforms", () => {
    const r = plan("--config-file", "examples/eks-prod.yaml", "--compare", "--json");
    expect(r.code).toBe(0);
    const out = JSON.parse(r.stdout);
    expect(out.platform).toBe("eks");
    expect(out.comparison.map((c: { platform: string }) => c.platform)).toEqual(["fargate", "eks"]);
    for (const c of out.comparison) expect(c.perFlowSlot).toBeCloseTo(c.monthlyTotal / out.plan.peakConcurrentFlows, 2);
    const types = new Set(out.resources.map((x: { type: string }) => x.type));
    for (const t of ["aws:eks/cluster:Cluster", "aws:eks/nodeGroup:NodeGroup", "kubernetes:helm.sh/v3:Release", "kubernetes:keda.sh/v1alpha1:ScaledObject"]) {
      expect(types).toContain(t);
    }
    const text = plan("--config-file", "examples/eks-prod.yaml", "--compare").stdout;
    expect(text).toMatch(/Fargate\/Spot\s+[\d,.]+/);
    expect(text).toMatch(/EKS\+KEDA\s+[\d,.]+/);
  });

  it("--export writes a version-3 stack export that the offline policy check reads with the same verdict", () => {
    const file = path.join(mkdtempSync(path.join(tmpdir(), "plan-export-")), "staging.json");
    const r = plan("--stack", "staging", "--export", file, "--json");
    expect(r.code).toBe(0);
    const doc = JSON.parse(readFileSync(file, "utf8"));
    expect(doc.version).toBe(3);
    expect(doc.deployment.resources.some((x: { type: string }) => x.type === "aws:ecs/service:Service")).toBe(true);
    const check = spawnSync(tsx, ["cli/policy-check.ts", "check", "--file", file, "--json"], { cwd: root, encoding: "utf8" });
    expect(check.status).toBe(0);
    expect(JSON.parse(check.stdout).violations).toEqual(JSON.parse(r.stdout).policy.violations);
  });

  it("never prints a secret value: generated secrets appear only as [secret]", () => {
    const out = JSON.parse(plan("--stack", "staging", "--json").stdout);
    const versions = out.resources.filter((x: { type: string }) => x.type === "aws:secretsmanager/secretVersion:SecretVersion");
    expect(versions.length).toBeGreaterThan(0);
    for (const v of versions) expect(v.inputs.secretString).toBe("[secret]");
  });

  it("rejects a bad config with exit 2, one line per problem naming key, value and range, and no stack trace", () => {
    const r = plan("--config-file", "test/fixtures/config/bad-everything.yaml");
    expect(r.code).toBe(2);
    expect(r.stdout).toBe("");
    expect(r.stderr).not.toMatch(/\n\s+at /);
    const lines = r.stderr.split("\n").filter((l) => l.startsWith("  - "));
    expect(lines.sort()).toEqual([
      "  - image: expected a pinned version tag or @sha256 digest, not latest (got \"activepieces/activepieces:latest\")",
      "  - peakConcurrentFlows: expected a whole number from 1 to 10000 (got -3)",
      "  - region: expected an AWS region such as us-east-1 (got \"us-middle-1\")",
      "  - worker.memory: cpu 512 with memory 8192 is not a Fargate size; memory for cpu 512 must be 1024..4096 MiB in steps of 1024 (got 8192)",
      "  - workerConcurency: unknown key (check the spelling against the config reference) (got 2)",
    ]);
  });

  it("rejects contradictory options with exit 2", () => {
    const r = plan("--config-file", "test/fixtures/config/contradiction.yaml");
    expect(r.code).toBe(2);
    expect(r.stderr).toContain("worker.capacity.onDemandBase: is larger than the most workers that will run (4); allowed 0..4 (got 6)");
  });

  it("rejects impossible EKS options with exit 2, naming each key", () => {
    const r = plan("--config-file", "test/fixtures/config/eks-bad.yaml");
    expect(r.code).toBe(2);
    expect(r.stdout).toBe("");
    const keys = r.stderr.split("\n").filter((l) => l.startsWith("  - ")).map((l) => l.slice(4, l.indexOf(":"))).sort();
    expect(keys).toEqual(["eks.workerInstanceTypes", "eks.workerInstanceTypes.0", "worker.capacity.onDemandBase", "worker.scaling.max"]);
    expect(r.stderr).toContain("c7g.large cannot hold one worker pod");
    expect(r.stderr).toContain("a Spot pool with a single instance type");
  });

  it("rejects bad usage with exit 2", () => {
    expect(plan("--stak", "prod").code).toBe(2);
    expect(plan().code).toBe(2);
    expect(plan("--stack", "nope").stderr).toMatch(/Pulumi\.nope\.yaml[\s\S]*cannot be read/);
  });
});
