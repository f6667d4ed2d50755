/**
 * The plan command's outcomes, in-process: every failure path (usage, paths, config, internal)
 * and the exit-1 outcomes are reached without spawning a process or running the whole program
 * (test/e2e/plan-cli.test.ts runs the real program).
 */
import { chmodSync, existsSync, mkdirSync, mkdtempSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import * as path from "node:path";
import * as aws from "@pulumi/aws";
import * as pulumi from "@pulumi/pulumi";
import { describe, expect, it } from "vitest";
import { type PlanResult, main, runPlan } from "../../cli/plan";
import { withProgramLog } from "../../cli/program-log";
import { policyVerdict } from "../../cli/verdict";
import { WIDTH } from "../../cli/wrap";
import { checkContract } from "../../contract/check";
import { estimate } from "../../cost/estimate";
import { capture } from "../../offline/capture";
import { planFor } from "../stack";
import { planJson } from "./cli-json";

const dir = mkdtempSync(path.join(tmpdir(), "plan-cli-"));

/** A run that must not happen: the failure has to come before it. */
const noRun = async (): Promise<PlanResult> => {
  throw new Error("the program ran, but the failure should have stopped the command before it");
};

/** The real run: a config error stops it before the program (which vitest cannot load) runs. */
const untilConfig = (configFile: string, stack: string) => runPlan(configFile, stack, () => undefined);

async function run(argv: string[], runner: (configFile: string, stack: string) => Promise<PlanResult> = noRun) {
  let out = "";
  let err = "";
  const code = await main(
    argv,
    {
      out: (s) => {
        out += `${s}\n`;
      },
      err: (s) => {
        err += `${s}\n`;
      },
    },
    { run: runner },
  );
  return { code, out, err };
}

describe("usage errors: exit 2, one error line and the usage in text, one JSON document under --json", () => {
  it.each([
    [["--stak", "prod"], "Unknown option '--stak'"],
    [[], "one of --stack or --config-file is required"],
    [["--stack", "prod", "extra"], "Unexpected argument 'extra'"],
  ])("%j", async (argv, message) => {
    const text = await run(argv);
    expect(text.code).toBe(2);
    expect(text.out).toBe("");
    expect(text.err.split("\n")[0]).toContain(`error: ${message}`);
    expect(text.err).toContain("usage: npm run -s plan -- --stack <name>");

    const json = await run([...argv, "--json"]);
    expect(json.code).toBe(2);
    expect(json.err).toBe("");
    const doc = planJson(json.out);
    expect(doc).toMatchObject({ schemaVersion: 1, exitCode: 2, error: { kind: "usage" } });
    expect(doc.error.message).toContain(message);
  });
});

it("a malformed --json=<value> still gets its usage error as JSON", async () => {
  const r = await run(["--stack", "prod", "--json=yes"]);
  expect(r).toMatchObject({ code: 2, err: "" });
  expect(planJson(r.out).error).toEqual({ kind: "usage", message: expect.stringContaining("Option '--json' does not take an argument") });
});

describe("paths are checked before the run: exit 2, one line, no stack trace", () => {
  const exportDir = path.join(dir, "exports");
  mkdirSync(exportDir);
  const readOnly = path.join(dir, "read-only");
  mkdirSync(readOnly);
  chmodSync(readOnly, 0o500);

  it.each([
    [["--stack", "nope"], "config file Pulumi.nope.yaml (from --stack nope) cannot be read: no such file or directory (ENOENT)"],
    [["--config-file", "examples"], "config file examples cannot be read: it is a directory"],
    [["--config-file", "missing/x.yaml"], "config file missing/x.yaml cannot be read: no such file or directory (ENOENT)"],
    [
      ["--stack", "prod", "--export", "/nonexistent/dir/x.json"],
      "export file /nonexistent/dir/x.json cannot be written: directory /nonexistent/dir: no such file or directory (ENOENT)",
    ],
    [["--stack", "prod", "--export", exportDir], `export file ${exportDir} cannot be written: it is a directory`],
    [
      ["--stack", "prod", "--export", "Pulumi.prod.yaml/x.json"],
      `export file Pulumi.prod.yaml/x.json cannot be written: ${path.resolve("Pulumi.prod.yaml")} is not a directory`,
    ],
  ])("%j", async (argv, message) => {
    const text = await run(argv);
    expect(text).toMatchObject({ code: 2, out: "" });
    expect(text.err.startsWith("error: ")).toBe(true);
    expect(text.err.trimEnd().split("\n")).toHaveLength(1);
    expect(text.err).toContain(message);

    const json = await run([...argv, "--json"]);
    expect(json).toMatchObject({ code: 2, err: "" });
    const doc = planJson(json.out);
    expect(doc.error.kind).toBe("usage");
    expect(doc.error.message).toContain(message);
  });

  it.skipIf(process.getuid?.() === 0)("an export into a directory this user cannot write (skipped as root, who can)", async () => {
    const r = await run(["--stack", "prod", "--export", path.join(readOnly, "x.json"), "--json"]);
    expect(r.code).toBe(2);
    expect(planJson(r.out).error.message).toContain("permission denied (EACCES)");
  });

  it("creates no export file when the run fails", async () => {
    const file = path.join(exportDir, "never.json");
    const r = await run(["--config-file", "test/fixtures/config/contradiction.yaml", "--export", file], untilConfig);
    expect(r.code).toBe(2);
    expect(existsSync(file)).toBe(false);
  });
});

describe("config errors: exit 2, every bad key named; under --json one document with the problems", () => {
  it("lists every problem of a bad file as { key, value, message }", async () => {
    const r = await run(["--config-file", "test/fixtures/config/bad-everything.yaml", "--json"], untilConfig);
    expect(r).toMatchObject({ code: 2, err: "" });
    const doc = planJson(r.out);
    expect(doc.error.kind).toBe("config");
    expect(doc.error.message).toBe("invalid config in test/fixtures/config/bad-everything.yaml");
    expect(doc.error.problems).toContainEqual({ key: "peakConcurrentFlows", value: -3, message: "expected a whole number from 1 to 10000" });
    expect(doc.error.problems.map((p: { key: string }) => p.key).sort()).toEqual([
      "image",
      "peakConcurrentFlows",
      "region",
      "worker.memory",
      "workerConcurency",
    ]);
  });

  it("omits the value of a key that is missing", async () => {
    const file = path.join(dir, "no-image.yaml");
    writeFileSync(
      file,
      "config:\n  activepieces-aws:environment: staging\n  activepieces-aws:region: us-east-1\n  activepieces-aws:frontendUrl: http://a.example.com\n  activepieces-aws:peakConcurrentFlows: 2\n",
    );
    const doc = planJson((await run(["--config-file", file, "--json"], untilConfig)).out);
    expect(doc.error.problems).toContainEqual({ key: "image", message: "is required" });
  });

  it("names a file that is not YAML as key (file)", async () => {
    const file = path.join(dir, "broken.yaml");
    writeFileSync(file, "config: [unclosed\n");
    const doc = planJson((await run(["--config-file", file, "--json"], untilConfig)).out);
    expect(doc.error.problems).toHaveLength(1);
    expect(doc.error.problems[0]).toMatchObject({ key: "(file)", value: file });
    expect(doc.error.problems[0].message).toMatch(/^is not valid YAML/);
  });

  it("rejects contradictory options", async () => {
    const r = await run(["--config-file", "test/fixtures/config/contradiction.yaml"], untilConfig);
    expect(r).toMatchObject({ code: 2, out: "" });
    expect(r.err).toContain("worker.capacity.onDemandBase: is larger than the most workers that will run (4); allowed 0..4 (got 6)");
  });

  it("rejects impossible EKS options, naming each key", async () => {
    const r = await run(["--config-file", "test/fixtures/config/eks-bad.yaml"], untilConfig);
    expect(r).toMatchObject({ code: 2, out: "" });
    const keys = r.err
      .split("\n")
      .filter((l) => l.startsWith("  - "))
      .map((l) => l.slice(4, l.indexOf(":")))
      .sort();
    expect(keys).toEqual(["eks.workerInstanceTypes", "eks.workerInstanceTypes.0", "worker.capacity.onDemandBase", "worker.scaling.max"]);
    expect(r.err).toContain("c7g.large cannot hold one worker pod");
    expect(r.err).toContain("a Spot pool with a single instance type");
  });
});

describe("internal errors: exit 3, the stack on stderr, one JSON document under --json", () => {
  const boom = async (): Promise<PlanResult> => {
    throw new Error("boom");
  };

  it("text: `internal error:` and the stack on stderr, nothing on stdout", async () => {
    const r = await run(["--stack", "staging"], boom);
    expect(r).toMatchObject({ code: 3, out: "" });
    expect(r.err).toMatch(/^internal error: Error: boom\n\s+at /);
  });

  it("--json: the error on stdout, the stack still on stderr", async () => {
    const r = await run(["--stack", "staging", "--json"], boom);
    expect(r.code).toBe(3);
    expect(planJson(r.out)).toEqual({ schemaVersion: 1, exitCode: 3, error: { kind: "internal", message: "boom" } });
    expect(r.err).toMatch(/\n\s+at /);
  });

  it("a non-Error thrown is reported too", async () => {
    const r = await run(["--stack", "staging", "--json"], () => Promise.reject("plain string"));
    expect(planJson(r.out).error).toEqual({ kind: "internal", message: "plain string" });
  });
});

describe("exit 1: a mandatory violation and a broken runtime contract", () => {
  /** A real judgement of a stack that is not ours: one unencrypted bucket, none of the contract's edges. */
  async function judged(): Promise<PlanResult> {
    const plan = planFor("staging");
    const cap = await capture(
      () => {
        new aws.s3.Bucket("files", { bucket: "files-1" });
        return {};
      },
      { stack: "staging" },
    );
    return {
      stack: "staging",
      platform: plan.platform,
      plan,
      cost: estimate(plan),
      capture: cap,
      violations: await policyVerdict(cap),
      contractCheck: await checkContract(plan, cap.resources),
    };
  }

  it("--json: exitCode 1, the violations and the broken edges, valid against the schema", async () => {
    const result = await judged();
    const r = await run(["--stack", "staging", "--json"], async () => result);
    expect(r).toMatchObject({ code: 1, err: "" });
    const doc = planJson(r.out);
    expect(doc.exitCode).toBe(1);
    expect(doc.policy.violations.some((v: { enforcementLevel: string }) => v.enforcementLevel === "mandatory")).toBe(true);
    expect(doc.contractCheck.ok).toBe(false);
    expect(doc.contractCheck.edges.every((e: { ok: boolean; missing?: string }) => !e.ok && typeof e.missing === "string")).toBe(true);
    expect(doc.resources).toEqual([expect.objectContaining({ type: "aws:s3/bucket:Bucket", name: "files", inputs: { bucket: "files-1" } })]);
  });

  it("text: exit 1, every line within 100 columns but the cost table's", async () => {
    const result = await judged();
    const r = await run(["--stack", "staging"], async () => result);
    if (process.env.SHOW_PLAN_TEXT) console.info(r.out);
    expect(r.code).toBe(1);
    expect(r.out).toContain("contract check: 9 of 9 edges broken");
    const sections = r.out.split(/^(?===)/m).filter((s) => !s.startsWith("== monthly cost"));
    for (const line of sections.join("").split("\n")) expect(line.length, line).toBeLessThanOrEqual(WIDTH);
    expect(r.out).toContain("\n      aws:s3/Bucket::files\n");
  });

  it("--export still writes the stack export on exit 1", async () => {
    const result = await judged();
    const file = path.join(dir, "exit1.json");
    const r = await run(["--stack", "staging", "--export", file, "--json"], async () => result);
    expect(r.code).toBe(1);
    expect(existsSync(file)).toBe(true);
  });
});

describe("withProgramLog: the program's copies of the plan's warnings are dropped, nothing reaches stdout", () => {
  it("drops a known warning, sends every other line (info included) to stderr, and restores the console", async () => {
    const lines: string[] = [];
    const log = console.log;
    await withProgramLog(
      ["known warning"],
      (l) => lines.push(l),
      () =>
        capture(() => {
          pulumi.log.warn("known warning");
          pulumi.log.warn("another warning");
          pulumi.log.info("an info line");
          console.log("stray %s", "output");
          return {};
        }),
    );
    expect(lines).toEqual(["warning: [runtime] another warning", "info: [runtime] an info line", "stray output"]);
    expect(console.log).toBe(log);
  });

  it("restores the console when the run fails", async () => {
    const warn = console.warn;
    await expect(
      withProgramLog(
        [],
        () => undefined,
        async () => {
          throw new Error("x");
        },
      ),
    ).rejects.toThrow("x");
    expect(console.warn).toBe(warn);
  });

  it("does not loop when the sink itself writes to the console", async () => {
    const seen: string[] = [];
    const error = console.error;
    console.error = (s: string) => {
      seen.push(`stderr:${s}`);
    };
    try {
      await withProgramLog(
        [],
        (l) => console.error(l),
        async () => {
          console.warn("warning: [runtime] w");
        },
      );
    } finally {
      console.error = error;
    }
    expect(seen).toEqual(["stderr:warning: [runtime] w"]);
  });
});

describe("docs/plan-output.schema.json", () => {
  it("is not vacuous: it refuses a document without schemaVersion, an unknown top-level key, and a config error without problems", () => {
    const ok = { schemaVersion: 1, exitCode: 2, error: { kind: "usage", message: "m" } };
    expect(() => planJson(JSON.stringify(ok))).not.toThrow();
    for (const bad of [
      { exitCode: 2, error: { kind: "usage", message: "m" } },
      { ...ok, extra: true },
      { ...ok, error: { kind: "config", message: "m" } },
      { ...ok, exitCode: 3 },
      { ...ok, error: { kind: "usage", message: "m", problems: [{ key: "k", message: "m" }] } },
    ])
      expect(() => planJson(JSON.stringify(bad)), JSON.stringify(bad)).toThrow();
  });
});
