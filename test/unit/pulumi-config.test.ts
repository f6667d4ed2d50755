import * as pulumi from "@pulumi/pulumi";
import { describe, expect, it } from "vitest";
import { encodeRuntimeConfig, loadStackFile, rawFromStackFile } from "../../config";
import { runtimeConfigFromStackFile } from "../../config/load";
import { loadPulumiConfig } from "../../config/pulumi";
import { isProfileConfig } from "../../config/profile-schema";
import { capture } from "../../offline/capture";

describe("config under `pulumi up` (the runtime path index.ts takes)", () => {
  it("reads the stack file's values back from the Pulumi runtime, typed", async () => {
    let environment: string | undefined;
    let peak: number | undefined;
    await capture(
      () => {
        const c = loadPulumiConfig();
        environment = c.environment;
        peak = isProfileConfig(c) ? undefined : c.peakConcurrentFlows;
      },
      { stack: "prod", config: encodeRuntimeConfig(rawFromStackFile("Pulumi.prod.yaml")) },
    );
    expect(environment).toBe("prod");
    expect(peak).toBe(50);
  });

  it("reads PULUMI_CONFIG as the engine passes it (every key a string, objects as JSON) to the offline plan's config", async () => {
    const runtime = runtimeConfigFromStackFile("test/fixtures/config/cli-written.yaml");
    expect(runtime).toMatchObject({
      "activepieces-aws:peakConcurrentFlows": "120",
      "activepieces-aws:protectData": "true",
      "activepieces-aws:worker": '{"scaling":{"max":120,"min":12,"mode":"queue"}}',
      "aws:region": "us-east-1",
    });
    let config: unknown;
    await capture(
      () => {
        config = loadPulumiConfig();
      },
      { stack: "prod", config: runtime },
    );
    expect(config).toEqual(loadStackFile("test/fixtures/config/cli-written.yaml"));
  });

  it("refuses an aws:region that disagrees with region, as the offline plan does", async () => {
    let error: unknown;
    await capture(
      () => {
        try {
          loadPulumiConfig();
        } catch (e) {
          error = e;
        }
      },
      { stack: "prod", config: { ...runtimeConfigFromStackFile("Pulumi.prod.yaml"), "aws:region": "eu-west-1" } },
    );
    expect(error).toBeInstanceOf(pulumi.RunError);
    expect((error as Error).message).toContain("region: disagrees with aws:region (eu-west-1)");
  });

  it("fails with a RunError (no stack trace) naming every bad key, before any resource exists", async () => {
    let error: unknown;
    const cap = await capture(
      () => {
        try {
          loadPulumiConfig();
        } catch (e) {
          error = e;
        }
      },
      {
        stack: "prod",
        config: {
          ...encodeRuntimeConfig(rawFromStackFile("Pulumi.prod.yaml")),
          "activepieces-aws:peakConcurrentFlows": "0",
          "activepieces-aws:image": "x/y:latest",
        },
      },
    );
    expect(error).toBeInstanceOf(pulumi.RunError);
    expect((error as Error).message).toContain("peakConcurrentFlows: expected a whole number from 1 to 10000 (got 0)");
    expect((error as Error).message).toContain('image: expected a pinned version tag or @sha256 digest, not latest (got "x/y:latest")');
    expect(cap.resources).toEqual([]);
  });
});
