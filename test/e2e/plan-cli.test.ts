import { spawnSync } from "node:child_process";
import { mkdtempSync, readFileSync } from "node:fs";
import { tmpdir } from "node:os";
import * as path from "node:path";
import { describe, expect, it } from "vitest";
import { planJson, policyJson } from "../unit/cli-json";

const root = path.join(__dirname, "..", "..");
const tsx = path.join(root, "node_modules", ".bin", "tsx");

function spawn(command: string, args: string[]) {
  const r = spawnSync(command, args, { cwd: root, encoding: "utf8" });
  return { code: r.status, stdout: r.stdout, stderr: r.stderr };
}
const plan = (...args: string[]) => spawn(tsx, ["cli/plan.ts", ...args]);

describe("npm run plan (offline, real index.ts under mocks)", () => {
  it.each(["staging", "prod"])("plans %s: exit 0 and prints the plan, resources, cost and policy tables", (stack) => {
    const r = plan("--stack", stack);
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

  it("`npm run -s plan -- --stack prod --json` prints exactly one JSON document, valid against docs/plan-output.schema.json", () => {
    const r = spawn("npm", ["run", "-s", "plan", "--", "--stack", "prod", "--json"]);
    expect(r.code).toBe(0);
    const out = planJson(r.stdout);
    expect(Object.keys(out).sort()).toEqual(["contract", "contractCheck", "cost", "exitCode", "plan", "platform", "policy", "resources", "schemaVersion", "stack"]);
    expect(out).toMatchObject({ schemaVersion: 1, exitCode: 0 });
    expect(out.contract).toEqual({ line: "0.82", covers: "0.82.x and later", verifiedRelease: "0.83.0", sourceCommit: "04c19239" });
    expect(out.contractCheck).toMatchObject({ ok: true, extras: [] });
    expect(out.contractCheck.edges.map((e: { role: string; target: string }) => `${e.role} -> ${e.target}`)).toEqual([
      "app -> postgres", "app -> redis", "app -> s3", "app -> secret:encryptionKey", "app -> secret:jwtSecret", "app -> secret:redisAuth",
      "app -> secret:databasePassword", "worker -> app", "worker -> secret:workerToken",
    ]);
    expect(out).toMatchObject({ stack: "prod", platform: "fargate", cost: { currency: "USD" }, policy: { violations: expect.any(Array) } });
    expect(Object.keys(out.cost.lines[0]).sort()).toEqual(["component", "item", "monthly", "quantity", "unit", "unitPrice"]);
    expect(Object.keys(out.resources[0]).sort()).toEqual(["inputs", "name", "options", "parent", "type", "urn"]);
    const db = out.resources.find((x: { type: string }) => x.type === "aws:rds/instance:Instance");
    expect(db.options).toMatchObject({ protect: true, deleteBeforeReplace: true });
    expect(out.resources.some((x: { type: string }) => x.type === "aws:ecs/service:Service")).toBe(true);
  });

  it("bin/activepieces-plan.js runs the same command: a config error under --json is one JSON document with every problem", () => {
    const r = spawn(process.execPath, ["bin/activepieces-plan.js", "--config-file", "test/fixtures/config/bad-everything.yaml", "--json"]);
    expect(r.code).toBe(2);
    expect(r.stderr).toBe("");
    const out = planJson(r.stdout);
    expect(out).toMatchObject({ schemaVersion: 1, exitCode: 2, error: { kind: "config" } });
    expect(out.error.problems).toHaveLength(5);
  });

  it.each([
    ["--stack", "staging"],
    ["--stack", "prod"],
    ["--config-file", "examples/eks-prod.yaml"],
  ])("the shipped %s %s passes the policy pack with zero mandatory violations and its runtime contract check", (flag, value) => {
    const r = plan(flag, value, "--json");
    const out = planJson(r.stdout);
    expect(out.policy.violations.filter((v: { enforcementLevel: string }) => v.enforcementLevel === "mandatory")).toEqual([]);
    expect(out.contractCheck).toMatchObject({ ok: true, extras: [] });
    expect(r.code).toBe(0);
    expect(out.exitCode).toBe(0);
  });

  it("an existing VPC outside us-east-1 keeps every resource in the stack's region and passes the pack", () => {
    const r = plan("--config-file", "test/fixtures/config/eu-existing-vpc.yaml", "--json");
    expect(r.code).toBe(0);
    const out = planJson(r.stdout);
    expect(out.policy.violations.filter((v: { enforcementLevel: string }) => v.enforcementLevel === "mandatory")).toEqual([]);
    expect(out.resources.some((x: { type: string }) => x.type === "awsx:ec2:Vpc")).toBe(false);
    const provider = out.resources.find((x: { type: string }) => x.type === "pulumi:providers:aws");
    expect(provider.inputs.region).toBe("eu-west-1");
  });

  it("--compare prices the same config on both platforms", () => {
    const r = plan("--config-file", "examples/eks-prod.yaml", "--compare", "--json");
    expect(r.code).toBe(0);
    const out = planJson(r.stdout);
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
    const check = spawn(tsx, ["cli/policy-check.ts", "check", "--file", file, "--json"]);
    expect(check.code).toBe(0);
    expect(policyJson(check.stdout).violations).toEqual(planJson(r.stdout).policy.violations);
  });

  it("never prints a secret value: generated secrets appear only as [secret]", () => {
    const out = planJson(plan("--stack", "staging", "--json").stdout);
    const versions = out.resources.filter((x: { type: string }) => x.type === "aws:secretsmanager/secretVersion:SecretVersion");
    expect(versions.length).toBeGreaterThan(0);
    for (const v of versions) expect(v.inputs.secretString).toBe("[secret]");
  });

  // Every other failure (usage, paths, other config errors, internal) is tested in-process: test/unit/plan-cli.test.ts.
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

  it("refuses an export path it cannot write before the run: exit 2, one line, no stack trace", () => {
    const r = plan("--stack", "prod", "--export", "/nonexistent/dir/prod.json");
    expect(r).toEqual({
      code: 2, stdout: "",
      stderr: "error: export file /nonexistent/dir/prod.json cannot be written: directory /nonexistent/dir: no such file or directory (ENOENT)\n",
    });
  });
});
