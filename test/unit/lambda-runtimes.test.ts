import { afterEach, describe, expect, it, vi } from "vitest";
import { LAMBDA_NODE_RUNTIMES, LAMBDA_RUNTIMES_SOURCE, LAMBDA_RUNTIME, RUNTIME_WARN_DAYS, runtimeStatus } from "../../catalog/lambda-runtimes";
import { ConfigError } from "../../config/errors";
import { IMAGE_ARCHITECTURE_NOT_VERIFIED, deployTimeChecks } from "../../sizing/catalog-checks";
import { planFor } from "../stack";

const day = (iso: string) => new Date(`${iso}T12:00:00Z`);
const QUEUE = { worker: { scaling: { mode: "queue" } } };
const STATIC = { worker: { scaling: { mode: "static" } } };

describe("Lambda runtime catalogue", () => {
  it("carries AWS's dates, a verification date and the source for every Node.js runtime", () => {
    expect(LAMBDA_NODE_RUNTIMES["nodejs20.x"]).toMatchObject({ deprecation: "2026-04-30", blockCreate: "2026-08-31", blockUpdate: "2026-09-30" });
    expect(LAMBDA_NODE_RUNTIMES["nodejs22.x"]).toMatchObject({ deprecation: "2027-04-30", blockCreate: "2027-06-01", blockUpdate: "2027-07-01" });
    for (const e of Object.values(LAMBDA_NODE_RUNTIMES)) {
      expect(e.source).toBe("https://docs.aws.amazon.com/lambda/latest/dg/lambda-runtimes.html");
      expect(e.verified).toMatch(/^\d{4}-\d{2}-\d{2}$/);
      expect(e.deprecation <= e.blockCreate && e.blockCreate <= e.blockUpdate).toBe(true);
    }
    expect(LAMBDA_RUNTIMES_SOURCE).toBe("https://docs.aws.amazon.com/lambda/latest/dg/lambda-runtimes.html");
  });

  it("the program's runtime is nodejs22.x, not the blocked nodejs20.x", () => {
    expect(LAMBDA_RUNTIME).toBe("nodejs22.x");
  });
});

describe("runtimeStatus", () => {
  it("nodejs20.x is blocked from its block-create date on", () => {
    expect(runtimeStatus("nodejs20.x", day("2026-08-30")).status).toBe("warn");
    const s = runtimeStatus("nodejs20.x", day("2026-08-31"));
    expect(s).toMatchObject({ status: "blocked", blockedSince: "2026-08-31" });
    expect(runtimeStatus("nodejs20.x", day("2026-12-02"))).toMatchObject({
      status: "blocked",
      message: expect.stringContaining("since 2026-08-31 and updating them since 2026-09-30"),
    });
  });

  it("warns within 60 days of the deprecation date and after it, until the block", () => {
    expect(RUNTIME_WARN_DAYS).toBe(60);
    expect(runtimeStatus("nodejs22.x", day("2026-12-02")).status).toBe("ok");
    expect(runtimeStatus("nodejs22.x", day("2027-02-28")).status).toBe("ok");
    const warn = runtimeStatus("nodejs22.x", day("2027-03-02"));
    expect(warn).toMatchObject({ status: "warn", message: expect.stringContaining("is deprecated on 2027-04-30 (in 59 days)") });
    expect(runtimeStatus("nodejs22.x", day("2027-05-15"))).toMatchObject({ status: "warn", message: expect.stringContaining("was deprecated on 2027-04-30") });
    expect(runtimeStatus("nodejs22.x", day("2027-06-01")).status).toBe("blocked");
  });
});

describe("deployTimeChecks", () => {
  it("refuses a blocked runtime, naming the program's constant, the functions, the runtime and its block date", () => {
    const r = deployTimeChecks(QUEUE, day("2026-12-02"), "nodejs20.x");
    expect(r.problems).toHaveLength(1);
    expect(r.problems[0]).toMatchObject({ key: "LAMBDA_RUNTIME (catalog/lambda-runtimes.ts)", value: "nodejs20.x" });
    expect(r.problems[0]!.message).toMatch(/^the rotation-restart and queue-metric functions would run on nodejs20\.x, which AWS blocks from 2026-08-31/);
  });

  it("refuses it under static scaling too: every stack deploys the rotation-restart function", () => {
    expect(deployTimeChecks(STATIC, day("2026-12-02"), "nodejs20.x").problems[0]!.message).toMatch(/^the rotation-restart function would run on nodejs20\.x/);
  });

  it("warns within the window", () => {
    const r = deployTimeChecks(QUEUE, day("2027-03-15"), "nodejs22.x");
    expect(r.problems).toEqual([]);
    expect(r.warnings[0]).toMatch(/^the rotation-restart and queue-metric functions: Lambda runtime nodejs22\.x is deprecated on 2027-04-30/);
    expect(deployTimeChecks(STATIC, day("2027-03-15"), "nodejs22.x").warnings[0]).toMatch(/^the rotation-restart function: /);
  });

  it("always notes that the image architecture is checked only during pulumi up", () => {
    expect(IMAGE_ARCHITECTURE_NOT_VERIFIED).toBe("image architecture: not verified offline (checked during pulumi up)");
    expect(deployTimeChecks(QUEUE, day("2026-12-02")).warnings).toEqual([IMAGE_ARCHITECTURE_NOT_VERIFIED]);
  });
});

describe("plan() calls the check with today's date", () => {
  afterEach(() => {
    vi.useRealTimers();
  });

  it("refuses every stack once the program's runtime is blocked", () => {
    vi.useFakeTimers({ toFake: ["Date"] });
    vi.setSystemTime(day("2027-06-02"));
    let error: unknown;
    try {
      planFor("prod", { worker: { scaling: { mode: "queue", min: 2, max: 60 } } });
    } catch (e) {
      error = e;
    }
    expect(error).toBeInstanceOf(ConfigError);
    expect((error as ConfigError).problems.map((p) => p.key)).toEqual(["LAMBDA_RUNTIME (catalog/lambda-runtimes.ts)"]);
    expect((error as ConfigError).message).toContain("nodejs22.x, which AWS blocks from 2027-06-01");
    expect(() => planFor("prod")).toThrow(/the rotation-restart function would run on nodejs22\.x/);
    vi.setSystemTime(day("2026-12-02"));
    expect(() => planFor("prod")).not.toThrow();
  });

  it("puts the image-architecture note in the plan's warnings on both platforms", () => {
    expect(planFor("prod").warnings).toContain(IMAGE_ARCHITECTURE_NOT_VERIFIED);
    expect(planFor("prod", { platform: "eks" }).warnings).toContain(IMAGE_ARCHITECTURE_NOT_VERIFIED);
  });
});
