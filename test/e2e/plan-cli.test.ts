/**
 * The plan command end to end: the real program (index.ts) under mocks, the policy pack and the
 * contract check, through main() in-process with each config planned once for the whole file
 * (./plan-runs). What only a process shows is in ./plan-process.test.ts.
 */
import { mkdtempSync, readFileSync } from "node:fs";
import { tmpdir } from "node:os";
import * as path from "node:path";
import { beforeAll, describe, expect, it } from "vitest";
import { main as policyMain } from "../../cli/policy-check";
import { planJson, policyJson } from "../unit/cli-json";
import { plan, planAll } from "./plan-runs";

beforeAll(() =>
  planAll([
    ["Pulumi.staging.yaml", "staging"],
    ["Pulumi.prod.yaml", "prod"],
    ["examples/eks-prod.yaml", "eks-prod"],
    ["test/fixtures/config/eu-existing-vpc.yaml", "eu-existing-vpc"],
  ]),
);

/** `npm run -s policy -- <argv>` in-process. */
async function policy(...argv: string[]) {
  let stdout = "";
  const code = await policyMain(
    argv,
    (s) => {
      stdout += `${s}\n`;
    },
    () => undefined,
  );
  return { code, stdout };
}

describe("npm run plan (offline, real index.ts under mocks)", () => {
  it.each(["staging", "prod"])("plans %s: exit 0 and prints the plan, resources, cost and policy tables", async (stack) => {
    const r = await plan("--stack", stack);
    expect(r.stderr).toBe(""); // the program's copies of the plan's warnings are not printed again
    expect(r.code).toBe(0);
    for (const heading of ["== plan", "== resources", "== monthly cost", "== policy", "== runtime contract"]) expect(r.stdout).toContain(heading);
    expect(r.stdout).toMatch(/all on-demand x86 \(ref\.\)/);
    expect(r.stdout).toContain("== runtime contract\nrelease line 0.82: 0.82.x and later (verified 0.83.0, source 04c19239)\ncontract check: 9 edges ok");
    // Each warning printed once.
    const warnings = r.stdout.split("\n").filter((l) => l.startsWith("warning: "));
    expect(warnings.length).toBeGreaterThan(0);
    expect(new Set(warnings).size).toBe(warnings.length);
    expect(r.stdout).not.toContain("[runtime]");
    // 100 columns, but for the cost table (cli/render.ts renderCost; test/e2e/plan-width.test.ts checks it).
    const sections = r.stdout.split(/^(?===)/m).filter((s) => !s.startsWith("== monthly cost"));
    for (const line of sections.join("").split("\n")) expect(line.length, line).toBeLessThanOrEqual(100);
    expect(r.stdout).toMatch(/^aws:s3\/BucketPolicy +2$/m);
  });

  it.each([
    ["--stack", "staging"],
    ["--stack", "prod"],
    ["--config-file", "examples/eks-prod.yaml"],
  ])("the shipped %s %s passes the policy pack with zero mandatory violations and its runtime contract check", async (flag, value) => {
    const r = await plan(flag, value, "--json");
    const out = planJson(r.stdout);
    expect(out.policy.violations.filter((v: { enforcementLevel: string }) => v.enforcementLevel === "mandatory")).toEqual([]);
    expect(out.contractCheck).toMatchObject({ ok: true, extras: [] });
    expect(r.code).toBe(0);
    expect(out.exitCode).toBe(0);
  });

  it("an existing VPC outside us-east-1 keeps every resource in the stack's region and passes the pack", async () => {
    const r = await plan("--config-file", "test/fixtures/config/eu-existing-vpc.yaml", "--json");
    expect(r.code).toBe(0);
    const out = planJson(r.stdout);
    expect(out.policy.violations.filter((v: { enforcementLevel: string }) => v.enforcementLevel === "mandatory")).toEqual([]);
    expect(out.resources.some((x: { type: string }) => x.type === "awsx:ec2:Vpc")).toBe(false);
    const provider = out.resources.find((x: { type: string }) => x.type === "pulumi:providers:aws");
    expect(provider.inputs.region).toBe("eu-west-1");
  });

  it("--compare prices the same config on both platforms", async () => {
    const r = await plan("--config-file", "examples/eks-prod.yaml", "--compare", "--json");
    expect(r.code).toBe(0);
    const out = planJson(r.stdout);
    expect(out.platform).toBe("eks");
    expect(out.comparison.map((c: { platform: string }) => c.platform)).toEqual(["fargate", "eks"]);
    for (const c of out.comparison) expect(c.perFlowSlot).toBeCloseTo(c.monthlyTotal / out.plan.peakConcurrentFlows, 2);
    const types = new Set(out.resources.map((x: { type: string }) => x.type));
    for (const t of ["aws:eks/cluster:Cluster", "aws:eks/nodeGroup:NodeGroup", "kubernetes:helm.sh/v3:Release", "kubernetes:keda.sh/v1alpha1:ScaledObject"]) {
      expect(types).toContain(t);
    }
    const text = (await plan("--config-file", "examples/eks-prod.yaml", "--compare")).stdout;
    expect(text).toMatch(/Fargate\/Spot\s+[\d,.]+/);
    expect(text).toMatch(/EKS\+KEDA\s+[\d,.]+/);
  });

  it("--export writes a version-3 stack export that the offline policy check reads with the same verdict", async () => {
    const file = path.join(mkdtempSync(path.join(tmpdir(), "plan-export-")), "staging.json");
    const r = await plan("--stack", "staging", "--export", file, "--json");
    expect(r.code).toBe(0);
    const doc = JSON.parse(readFileSync(file, "utf8"));
    expect(doc.version).toBe(3);
    expect(doc.deployment.resources.some((x: { type: string }) => x.type === "aws:ecs/service:Service")).toBe(true);
    const check = await policy("check", "--file", file, "--json");
    expect(check.code).toBe(0);
    expect(policyJson(check.stdout).violations).toEqual(planJson(r.stdout).policy.violations);
  });

  it("never prints a secret value: generated secrets appear only as [secret]", async () => {
    const out = planJson((await plan("--stack", "staging", "--json")).stdout);
    const versions = out.resources.filter((x: { type: string }) => x.type === "aws:secretsmanager/secretVersion:SecretVersion");
    expect(versions.length).toBeGreaterThan(0);
    for (const v of versions) expect(v.inputs.secretString).toBe("[secret]");
  });

  it("refuses an export path it cannot write before the run: exit 2, one line, no stack trace", async () => {
    const r = await plan("--stack", "prod", "--export", "/nonexistent/dir/prod.json");
    expect(r).toEqual({
      code: 2,
      stdout: "",
      stderr: "error: export file /nonexistent/dir/prod.json cannot be written: directory /nonexistent/dir: no such file or directory (ENOENT)\n",
    });
  });
});
