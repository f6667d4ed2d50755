import { spawnSync } from "node:child_process";
import * as path from "node:path";
import * as pulumi from "@pulumi/pulumi";
import fc from "fast-check";
import { describe, expect, it } from "vitest";
import { decodeNamespacedConfig, decodeTopLevel, engineConfig, engineText, PROJECT } from "../../config/decode";
import { ConfigError } from "../../config/errors";
import { loadStackFile, parseStackConfig, rawFromStackFile, readStackEntries, runtimeConfigFromStackFile } from "../../config/load";
import { loadPulumiConfig } from "../../config/pulumi";
import type { AnyStackConfig } from "../../config/load";
import type { StackConfig } from "../../config/defaults";
import { capture } from "../../offline/capture";

const root = path.join(__dirname, "..", "..");
const fixture = (name: string) => `test/fixtures/config/${name}`;

/** The runtime path: what `pulumi up` does with the stack file (PULUMI_CONFIG strings -> loadPulumiConfig). */
async function viaRuntime(file: string): Promise<{ config?: AnyStackConfig; error?: unknown }> {
  let config: AnyStackConfig | undefined;
  let error: unknown;
  await capture(
    () => {
      try {
        config = loadPulumiConfig();
      } catch (e) {
        error = e;
      }
    },
    { stack: "decode", config: runtimeConfigFromStackFile(file) },
  );
  return { config, error };
}

/** The offline plan's path: the YAML file read directly. */
function viaFile(file: string): { config?: StackConfig; error?: unknown } {
  try {
    return { config: loadStackFile(file) };
  } catch (e) {
    return { error: e };
  }
}

/** The problem lines of a ConfigError or of the RunError it became (the header names the source, which differs). */
const problemLines = (e: unknown) => (e as Error).message.split("\n").slice(1).sort();

describe("one config decoder for the offline plan and `pulumi up`", () => {
  it.each(["Pulumi.prod.yaml", "Pulumi.staging.yaml", "examples/eks-prod.yaml", fixture("eu-existing-vpc.yaml"), fixture("cli-written.yaml")])(
    "reads %s to the same StackConfig on both paths",
    async (file) => {
      const file_ = viaFile(file);
      const runtime = await viaRuntime(file);
      expect(file_.error).toBeUndefined();
      expect(runtime.error).toBeUndefined();
      expect(runtime.config).toEqual(file_.config);
    },
  );

  it.each([fixture("cli-written-bad.yaml"), fixture("bad-everything.yaml"), fixture("contradiction.yaml"), fixture("eks-bad.yaml"), fixture("bad-cidrs.yaml")])(
    "refuses %s with the same problems on both paths",
    async (file) => {
      const file_ = viaFile(file);
      const runtime = await viaRuntime(file);
      expect(file_.error).toBeInstanceOf(ConfigError);
      expect(runtime.error).toBeInstanceOf(pulumi.RunError);
      expect(problemLines(file_.error).length).toBeGreaterThan(0);
      expect(problemLines(runtime.error)).toEqual(problemLines(file_.error));
    },
  );

  it("decodes a file written by `pulumi config set`: top-level strings typed by the schema, --path values as written", () => {
    const c = loadStackFile(fixture("cli-written.yaml"));
    expect(c).toMatchObject({
      peakConcurrentFlows: 120,
      workersPerApp: 12,
      protectData: true,
      image: "ghcr.io/activepieces/activepieces:0.83.0",
      network: { mode: "new", cidr: "10.20.0.0/16", azCount: 3 },
      worker: { scaling: { mode: "queue", min: 12, max: 120 } },
      database: { multiAz: true },
      loadBalancer: { allowedCidrs: ["203.0.113.0/24"] },
    });
  });

  it("decodes what the SDK's getNumber/getBoolean/getObject would read from the same runtime config", async () => {
    const raw = rawFromStackFile(fixture("cli-written.yaml"));
    let sdk: Record<string, unknown> = {};
    await capture(
      () => {
        const cfg = new pulumi.Config(PROJECT);
        sdk = {
          peakConcurrentFlows: cfg.requireNumber("peakConcurrentFlows"),
          workersPerApp: cfg.requireNumber("workersPerApp"),
          protectData: cfg.requireBoolean("protectData"),
          worker: cfg.requireObject("worker"),
          network: cfg.requireObject("network"),
          image: cfg.require("image"),
        };
      },
      { stack: "decode", config: runtimeConfigFromStackFile(fixture("cli-written.yaml")) },
    );
    expect(raw).toMatchObject(sdk);
  });

  it('the CLI-written stack file plans offline with exit 0 (the plan used to refuse "120")', () => {
    const tsx = path.join(root, "node_modules", ".bin", "tsx");
    const r = spawnSync(tsx, ["cli/plan.ts", "--config-file", fixture("cli-written.yaml"), "--json"], { cwd: root, encoding: "utf8" });
    expect(r.stderr).not.toMatch(/invalid config|internal error/);
    expect(r.status).toBe(0);
    const out = JSON.parse(r.stdout) as { plan: { peakConcurrentFlows: number; workersPerApp: number; worker: { min: number; max: number } } };
    expect(out.plan).toMatchObject({ peakConcurrentFlows: 120, workersPerApp: 12, worker: { min: 12, max: 120 } });
  });

  it("names every bad CLI-written value with the text as written", () => {
    let error: unknown;
    try {
      loadStackFile(fixture("cli-written-bad.yaml"));
    } catch (e) {
      error = e;
    }
    expect(error).toBeInstanceOf(ConfigError);
    const byKey = Object.fromEntries((error as ConfigError).problems.map((p) => [p.key, p]));
    expect(byKey.peakConcurrentFlows).toEqual({ key: "peakConcurrentFlows", value: "fifty", message: "expected a number of flows" });
    expect(byKey.protectData).toEqual({ key: "protectData", value: "yes", message: "expected true, false or auto" });
    expect(byKey.workersPerApp).toEqual({ key: "workersPerApp", value: "012", message: "expected a number of workers" });
    expect(byKey["worker.memory"]).toMatchObject({ value: "1024" });
    expect(byKey["network.cidr"]).toMatchObject({ value: "10.20.0.1/16", message: expect.stringMatching(/10\.20\.0\.0\/16/) });
  });
});

describe("decodeTopLevel: a string becomes the type its schema field takes, and nothing else", () => {
  it.each([
    ["peakConcurrentFlows", "120", 120],
    ["peakConcurrentFlows", "-3", -3],
    ["peakConcurrentFlows", "2.5", 2.5],
    ["peakConcurrentFlows", "1e3", 1000],
    ["peakConcurrentFlows", "fifty", "fifty"],
    ["peakConcurrentFlows", "0120", "0120"],
    ["peakConcurrentFlows", " 120", " 120"],
    ["peakConcurrentFlows", "", ""],
    ["protectData", "true", true],
    ["protectData", "false", false],
    ["protectData", "auto", "auto"],
    ["protectData", "True", "True"],
    ["protectData", "1", "1"],
    ["image", "123", "123"],
    ["image", "true", "true"],
    ["region", "us-east-1", "us-east-1"],
    ["environment", "123", "123"],
    ["worker", '{"cpu":512,"memory":1024}', { cpu: 512, memory: 1024 }],
    ["worker", '{"cpu":', '{"cpu":'],
    ["worker", "[1]", "[1]"],
    ["network", '{"mode":"existing"}', { mode: "existing" }],
    ["extraEnv", '{"AP_X":"1"}', { AP_X: "1" }],
    ["notAKey", "2", 2],
    ["notAKey", "two", "two"],
  ])("%s %j -> %j", (key, text, decoded) => {
    expect(decodeTopLevel(key, text)).toEqual(decoded);
  });

  it("gives the text the engine passes for each stack-file value", () => {
    expect([engineText("120"), engineText(120), engineText(true), engineText(null), engineText({ a: [1, "x"] })]).toEqual([
      "120",
      "120",
      "true",
      "null",
      '{"a":[1,"x"]}',
    ]);
    expect(engineConfig({ "aws:region": "us-east-1", [`${PROJECT}:worker`]: { cpu: 512 } })).toEqual({
      "aws:region": "us-east-1",
      [`${PROJECT}:worker`]: '{"cpu":512}',
    });
  });

  it("refuses a value encrypted with --secret instead of passing its ciphertext on", () => {
    expect(() => decodeNamespacedConfig({ [`${PROJECT}:image`]: { secure: "v1:abc" } }, "f")).toThrow(/image: is encrypted \(pulumi config set --secret\)/);
  });

  it("reads the stack file's entries as written (typed YAML, strings where the CLI quoted)", () => {
    const entries = readStackEntries(fixture("cli-written.yaml"));
    expect(entries[`${PROJECT}:peakConcurrentFlows`]).toBe("120");
    expect(entries[`${PROJECT}:network`]).toEqual({ azCount: 3, cidr: "10.20.0.0/16", mode: "new" });
    // `pulumi up` adds Pulumi.yaml's default for each key the stack lacks, as a string like the rest.
    const runtime = runtimeConfigFromStackFile(fixture("cli-written.yaml"));
    expect(entries[`${PROJECT}:platform`]).toBeUndefined();
    expect(runtime[`${PROJECT}:platform`]).toBe("fargate");
    expect(JSON.parse(runtime[`${PROJECT}:cost`]!)).toMatchObject({ spotDiscount: 0.7 });
    expect(runtime[`${PROJECT}:peakConcurrentFlows`]).toBe("120");
  });
});

describe("typed and CLI-written values decode the same (property)", () => {
  const base = {
    [`${PROJECT}:environment`]: "prod",
    [`${PROJECT}:region`]: "us-east-1",
    [`${PROJECT}:image`]: "ghcr.io/activepieces/activepieces:0.83.0",
    [`${PROJECT}:frontendUrl`]: "http://flows.example.com",
  };
  const written = <T>(value: T, asString: boolean) => (asString ? engineText(value) : value);

  it("a stack file with values typed, or as the CLI writes them, or as the engine passes them, gives one config", () => {
    fc.assert(
      fc.property(
        fc.integer({ min: 1, max: 10000 }),
        fc.integer({ min: 1, max: 50 }),
        fc.constantFrom<boolean | "auto">(true, false, "auto"),
        fc.record({ min: fc.integer({ min: 0, max: 10 }), extra: fc.integer({ min: 1, max: 100 }) }),
        fc.boolean(),
        fc.boolean(),
        fc.boolean(),
        fc.boolean(),
        (peak, perApp, protect, scaling, s1, s2, s3, s4) => {
          const typed = {
            ...base,
            [`${PROJECT}:peakConcurrentFlows`]: peak,
            [`${PROJECT}:workersPerApp`]: perApp,
            [`${PROJECT}:protectData`]: protect,
            [`${PROJECT}:worker`]: { scaling: { mode: "queue", min: scaling.min, max: scaling.min + scaling.extra } },
          };
          const cli = {
            ...base,
            [`${PROJECT}:peakConcurrentFlows`]: written(peak, s1),
            [`${PROJECT}:workersPerApp`]: written(perApp, s2),
            [`${PROJECT}:protectData`]: written(protect, s3),
            [`${PROJECT}:worker`]: written(typed[`${PROJECT}:worker`], s4),
          };
          const expected = parseStackConfig(decodeNamespacedConfig(typed, "typed"), "typed");
          expect(parseStackConfig(decodeNamespacedConfig(cli, "cli"), "cli")).toEqual(expected);
          expect(parseStackConfig(decodeNamespacedConfig(engineConfig(cli), "engine"), "engine")).toEqual(expected);
          expect(expected).toMatchObject({ peakConcurrentFlows: peak, workersPerApp: perApp });
        },
      ),
      { numRuns: 200 },
    );
  });
});
