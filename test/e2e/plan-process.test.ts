/**
 * The plan command as a real process, for what only a process shows: the exit status, stdout and
 * stderr as separate streams, npm's `-s` and the bin launcher. Everything else about the command
 * runs in-process (test/e2e/plan-cli.test.ts, test/unit/plan-cli.test.ts). Each config is planned
 * at most once here.
 */
import { describe, expect, it } from "vitest";
import { planJson } from "../unit/cli-json";
import { EDGES_082 } from "../unit/contract-check-support";
import { spawn, tsx } from "./plan-runs";

describe("npm run plan as a process", () => {
  it("`npm run -s plan -- --stack prod --json` prints exactly one JSON document, valid against docs/plan-output.schema.json", () => {
    const r = spawn("npm", ["run", "-s", "plan", "--", "--stack", "prod", "--json"]);
    expect(r.code).toBe(0);
    const out = planJson(r.stdout);
    expect(Object.keys(out).sort()).toEqual([
      "contract",
      "contractCheck",
      "cost",
      "exitCode",
      "plan",
      "platform",
      "policy",
      "resources",
      "schemaVersion",
      "stack",
    ]);
    expect(out).toMatchObject({ schemaVersion: 1, exitCode: 0 });
    expect(out.contract).toEqual({ line: "0.82", covers: "0.82.x and later", verifiedRelease: "0.83.0", sourceCommit: "04c19239" });
    expect(out.contractCheck).toMatchObject({ ok: true, extras: [] });
    expect(out.contractCheck.edges.map((e: { role: string; target: string }) => `${e.role} -> ${e.target}`)).toEqual(EDGES_082);
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

  // Every other failure (usage, paths, other config errors, internal) is tested in-process: test/unit/plan-cli.test.ts.
  it("rejects a bad config with exit 2, one line per problem naming key, value and range, and no stack trace", () => {
    const r = spawn(tsx, ["cli/plan.ts", "--config-file", "test/fixtures/config/bad-everything.yaml"]);
    expect(r.code).toBe(2);
    expect(r.stdout).toBe("");
    expect(r.stderr).not.toMatch(/\n\s+at /);
    const lines = r.stderr.split("\n").filter((l) => l.startsWith("  - "));
    expect(lines.sort()).toEqual([
      '  - image: expected a pinned version tag or @sha256 digest, not latest (got "activepieces/activepieces:latest")',
      "  - peakConcurrentFlows: expected a whole number from 1 to 10000 (got -3)",
      '  - region: expected an AWS region such as us-east-1 (got "us-middle-1")',
      "  - worker.memory: cpu 512 with memory 8192 is not a Fargate size; memory for cpu 512 must be 1024..4096 MiB in steps of 1024 (got 8192)",
      "  - workerConcurency: unknown key (check the spelling against the config reference) (got 2)",
    ]);
  });
});
