import { describe, expect, it } from "vitest";
import { ConfigError, loadStackFile, parseStackConfig, rawFromNamespaced } from "../../config";

const base = {
  environment: "prod",
  region: "us-east-1",
  image: "ghcr.io/activepieces/activepieces:0.79.0",
  frontendUrl: "https://flows.example.com",
  peakConcurrentFlows: 50,
};

function problems(raw: Record<string, unknown>): { key: string; value: unknown; message: string }[] {
  try {
    parseStackConfig(raw, "test.yaml");
  } catch (e) {
    expect(e).toBeInstanceOf(ConfigError);
    return [...(e as ConfigError).problems];
  }
  throw new Error("expected a ConfigError");
}

describe("stack config schema", () => {
  it("fills staging defaults: cheap, single NAT, no replica, data unprotected", () => {
    const c = parseStackConfig({ ...base, environment: "staging" }, "t");
    expect(c.network).toEqual({ mode: "new", cidr: "10.0.0.0/16", azCount: 2, natGateways: "single" });
    expect(c.database.multiAz).toBe(false);
    expect(c.redis).toMatchObject({ replicas: 0 });
    expect(c.protectData).toBe(false);
  });

  it("fills prod defaults: NAT per AZ, Multi-AZ, a Redis replica, protected data", () => {
    const c = parseStackConfig(base, "t");
    expect(c.network).toMatchObject({ natGateways: "perAz" });
    expect(c.database).toMatchObject({ multiAz: true, backupRetentionDays: 14, performanceInsights: true });
    expect(c.redis).toMatchObject({ replicas: 1 });
    expect(c.protectData).toBe(true);
    expect(c).toMatchObject({ workerConcurrency: 1, workersPerApp: 10, architecture: "arm64", platform: "fargate" });
    expect(c.app).toMatchObject({ cpuTarget: 70, scaleOutCooldownSeconds: 60, scaleInCooldownSeconds: 300 });
    expect(c.worker.scaling).toEqual({ mode: "static" });
  });

  it.each([
    [-5, "expected a whole number from 1 to 10000"],
    [0, "expected a whole number from 1 to 10000"],
    [2.5, "expected a whole number from 1 to 10000"],
    [10001, "expected a whole number from 1 to 10000"],
    ["fifty", "expected a number of flows"],
  ])("rejects peakConcurrentFlows %j naming the key, the value and the range", (value, message) => {
    expect(problems({ ...base, peakConcurrentFlows: value })).toEqual([{ key: "peakConcurrentFlows", value, message }]);
  });

  it.each(["activepieces/activepieces:latest", "activepieces/activepieces", "registry:5000/activepieces"])("rejects the unpinned image %s", (image) => {
    const [p] = problems({ ...base, image });
    expect(p).toMatchObject({ key: "image", value: image });
    expect(p!.message).toMatch(/pinned/);
  });

  it("accepts a digest-pinned image and a registry with a port", () => {
    expect(parseStackConfig({ ...base, image: "registry:5000/ap/activepieces:0.79.0" }, "t").image).toContain(":0.79.0");
    expect(parseStackConfig({ ...base, image: `activepieces/activepieces@sha256:${"a".repeat(64)}` }, "t").image).toContain("@sha256");
  });

  it("rejects an impossible Fargate size with the allowed memory range", () => {
    expect(problems({ ...base, worker: { cpu: 512, memory: 8192 } })).toEqual([
      {
        key: "worker.memory",
        value: 8192,
        message: "cpu 512 with memory 8192 is not a Fargate size; memory for cpu 512 must be 1024..4096 MiB in steps of 1024",
      },
    ]);
    expect(problems({ ...base, app: { cpu: 1000, memory: 2048 } })[0]!.message).toMatch(/cpu must be one of 256, 512, 1024/);
  });

  it("rejects an unknown region", () => {
    expect(problems({ ...base, region: "us-middle-1" })).toEqual([
      { key: "region", value: "us-middle-1", message: "expected an AWS region such as us-east-1" },
    ]);
  });

  it("rejects unknown keys at any depth, catching typos", () => {
    const found = problems({ ...base, peakConcurrentFlow: 5, database: { multiAZ: true } }).sort((a, b) => a.key.localeCompare(b.key));
    expect(found).toEqual([
      { key: "database.multiAZ", value: true, message: expect.stringMatching(/unknown key/) },
      { key: "peakConcurrentFlow", value: 5, message: expect.stringMatching(/unknown key/) },
    ]);
  });

  it("rejects an on-demand base larger than the worker count", () => {
    expect(problems({ ...base, peakConcurrentFlows: 4, worker: { capacity: { onDemandBase: 6 } } })).toEqual([
      { key: "worker.capacity.onDemandBase", value: 6, message: "is larger than the most workers that will run (4); allowed 0..4" },
    ]);
  });

  it("rejects SANDBOX_PROCESS on Fargate (privileged containers)", () => {
    expect(problems({ ...base, executionMode: "SANDBOX_PROCESS" })[0]).toMatchObject({ key: "executionMode", value: "SANDBOX_PROCESS" });
  });

  it("rejects a queue mode whose min exceeds its max, and a missing max", () => {
    expect(problems({ ...base, worker: { scaling: { mode: "queue", min: 5, max: 2 } } })[0]).toMatchObject({ key: "worker.scaling.min", value: 5 });
    expect(problems({ ...base, worker: { scaling: { mode: "queue", min: 1 } } })[0]).toMatchObject({ key: "worker.scaling.max", message: "is required" });
  });

  it("rejects a certificate from another region", () => {
    const arn = "arn:aws:acm:eu-west-1:123456789012:certificate/0d3c1a52-6d5e-4a8e-9f3b-2f1e6a7b8c9d";
    expect(problems({ ...base, loadBalancer: { certificateArn: arn } })[0]).toMatchObject({ key: "loadBalancer.certificateArn", value: arn });
  });

  it("reports every problem at once", () => {
    expect(
      problems({ ...base, peakConcurrentFlows: 0, image: "x:latest", region: "nowhere" })
        .map((p) => p.key)
        .sort(),
    ).toEqual(["image", "peakConcurrentFlows", "region"]);
  });

  it.each([{ worker: "x" }, { worker: { capacity: 3 } }, { app: null }, { loadBalancer: [] }])(
    "reports odd-typed objects as problems instead of crashing: %j",
    (raw) => {
      const [p] = problems({ ...base, ...raw });
      expect(p!.message).toMatch(/^Invalid input: expected object/);
    },
  );

  it("rejects a stack file whose aws:region disagrees with region", () => {
    expect(() => rawFromNamespaced({ "activepieces-aws:region": "us-east-1", "aws:region": "eu-west-1" }, "f")).toThrow(/disagrees with aws:region/);
  });

  it("rejects keys in a misspelt namespace instead of dropping them", () => {
    expect(() => rawFromNamespaced({ "activepiece-aws:peakConcurrentFlows": 5, "aws:profile": "x" }, "f")).toThrow(
      /activepiece-aws:peakConcurrentFlows: is not a key of this program; stack keys are activepieces-aws:<key>/,
    );
    expect(rawFromNamespaced({ "activepieces-aws:peakConcurrentFlows": 5, "aws:profile": "x" }, "f")).toEqual({ peakConcurrentFlows: 5 });
  });

  it("decodes top-level strings as `pulumi config set` stores them, by the type each key takes", () => {
    const raw = rawFromNamespaced(
      {
        "activepieces-aws:peakConcurrentFlows": "120",
        "activepieces-aws:protectData": "true",
        "activepieces-aws:image": "registry:5000/ap:123",
        "activepieces-aws:worker": '{"cpu":1024,"memory":2048}',
        "aws:region": "us-east-1",
        "activepieces-aws:region": "us-east-1",
      },
      "f",
    );
    expect(raw).toEqual({
      peakConcurrentFlows: 120,
      protectData: true,
      image: "registry:5000/ap:123",
      worker: { cpu: 1024, memory: 2048 },
      region: "us-east-1",
    });
    expect(parseStackConfig({ ...base, ...raw }, "t")).toMatchObject({ peakConcurrentFlows: 120, protectData: true, worker: { cpu: 1024 } });
  });

  it("keeps a string the key cannot take as a number or boolean, so the message shows it as written", () => {
    const raw = rawFromNamespaced({ "activepieces-aws:peakConcurrentFlows": "120 flows", "activepieces-aws:protectData": "on" }, "f");
    expect(problems({ ...base, ...raw }).sort((a, b) => a.key.localeCompare(b.key))).toEqual([
      { key: "peakConcurrentFlows", value: "120 flows", message: "expected a number of flows" },
      { key: "protectData", value: "on", message: "expected true, false or auto" },
    ]);
  });

  it("loads both shipped stack files", () => {
    expect(loadStackFile("Pulumi.staging.yaml").environment).toBe("staging");
    expect(loadStackFile("Pulumi.prod.yaml").peakConcurrentFlows).toBe(50);
  });

  it("names the file when it cannot be read", () => {
    expect(() => loadStackFile("Pulumi.nope.yaml")).toThrow(/Pulumi\.nope\.yaml.*cannot be read/s);
  });
});
