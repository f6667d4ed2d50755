import { mkdtempSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import * as path from "node:path";
import * as aws from "@pulumi/aws";
import * as pulumi from "@pulumi/pulumi";
import { describe, expect, it } from "vitest";
import { main } from "../../cli/policy-check";
import { toStackExport } from "../../cli/stack-export";
import { checkStackExport } from "../../policies/engine/check";
import { capture } from "../../offline/capture";
import { policyJson } from "../unit/cli-json";
import { ecsStack } from "./baseline";
import { stackExport } from "./support";

const dir = mkdtempSync(path.join(tmpdir(), "policy-check-"));
function file(name: string, content: string): string {
  const p = path.join(dir, name);
  writeFileSync(p, content);
  return p;
}

async function run(...argv: string[]): Promise<{ code: number; out: string; err: string }> {
  let out = "";
  let err = "";
  const code = await main(
    argv,
    (s) => {
      out += `${s}\n`;
    },
    (s) => {
      err += `${s}\n`;
    },
  );
  return { code, out, err };
}

const THIRD_PARTY = path.join(__dirname, "../fixtures/third-party-stack-export.json");

describe("npm run policy -- check", () => {
  it("exits 1 on a mandatory violation and prints the violations as one JSON document (docs/policy-check-output.schema.json)", async () => {
    const r = await run("check", "--file", THIRD_PARTY, "--json");
    expect(r.code).toBe(1);
    const parsed = policyJson(r.out) as {
      schemaVersion: number;
      exitCode: number;
      violations: { policy: string; enforcementLevel: string; urn: string; message: string }[];
    };
    expect(parsed).toMatchObject({ schemaVersion: 1, exitCode: 1 });
    expect(parsed.violations.map((v) => v.policy)).toEqual(["disallow-plaintext-secret-env", "require-rds-managed-master-password", "require-s3-same-region"]);
    expect(Object.keys(parsed.violations[0]!).sort()).toEqual(["enforcementLevel", "message", "policy", "urn"]);
  });

  it("exits 0 on a clean export and says so", async () => {
    const r = await run("check", "--file", file("clean.json", JSON.stringify(stackExport(ecsStack()))));
    expect(r).toEqual({ code: 0, out: "policy: no violations\n", err: "" });
  });

  it("exits 0 when the config lowers every finding to advisory", async () => {
    const r = await run("check", "--file", THIRD_PARTY, "--config", file("all-advisory.json", JSON.stringify({ all: "advisory" })));
    expect(r.code).toBe(0);
    expect(r.out).toContain("policy: 0 mandatory, 3 advisory");
  });

  it.each([
    [["check", "--file", "/nonexistent/export.json"], "cannot read stack export /nonexistent/export.json: ENOENT"],
    [["check", "--file", "BAD_JSON"], "is not valid JSON"],
    [["check", "--file", "V2"], "`version` is 2; only version 3"],
    [["check", "--file", "CLEAN", "--config", "BAD_CONFIG"], "limit-workers-per-app.workersPerApp: must be >= 1"],
    [["check"], "--file is required"],
    [["verify", "--file", "x"], "expected the command `check`"],
  ])("exits 2 for %j", async (argv, message) => {
    const subst: Record<string, string> = {
      BAD_JSON: file("bad.json", "{ not json"),
      V2: file("v2.json", JSON.stringify({ version: 2, deployment: { resources: [] } })),
      CLEAN: file("clean2.json", JSON.stringify(stackExport([]))),
      BAD_CONFIG: file("bad-config.json", JSON.stringify({ "limit-workers-per-app": { workersPerApp: 0 } })),
    };
    const r = await run(...argv.map((a) => subst[a] ?? a));
    expect(r.code).toBe(2);
    expect(r.err).toContain(message);
    if (argv.includes("BAD_CONFIG")) expect(r.err).toContain(subst.BAD_CONFIG);
    expect(r.out).toBe("");

    // Under --json the same failure is one JSON document on stdout, and stderr stays empty.
    const json = await run(...argv.map((a) => subst[a] ?? a), "--json");
    expect(json).toMatchObject({ code: 2, err: "" });
    const doc = policyJson(json.out);
    expect(doc).toMatchObject({ schemaVersion: 1, exitCode: 2, error: { kind: argv.includes("BAD_CONFIG") ? "config" : "usage" } });
    expect(doc.error.message).toContain(message);
  });

  it("an internal failure exits 3 with the stack on stderr; under --json also one JSON document on stdout", async () => {
    const clean = file("clean4.json", JSON.stringify(stackExport([])));
    const boom = () => Promise.reject(new Error("boom"));
    let out = "";
    let err = "";
    const io = [
      (s: string) => {
        out += `${s}\n`;
      },
      (s: string) => {
        err += `${s}\n`;
      },
    ] as const;
    expect(await main(["check", "--file", clean], ...io, boom)).toBe(3);
    expect(out).toBe("");
    expect(err).toMatch(/^internal error: Error: boom\n\s+at /);
    err = "";
    expect(await main(["check", "--file", clean, "--json"], ...io, boom)).toBe(3);
    expect(policyJson(out)).toEqual({ schemaVersion: 1, exitCode: 3, error: { kind: "internal", message: "boom" } });
    expect(err).toMatch(/^internal error: Error: boom\n\s+at /);
  });

  it("--json on a clean export: exit 0 and an empty list", async () => {
    const r = await run("check", "--file", file("clean3.json", JSON.stringify(stackExport(ecsStack()))), "--json");
    expect(r).toMatchObject({ code: 0, err: "" });
    expect(policyJson(r.out)).toEqual({ schemaVersion: 1, exitCode: 0, violations: [] });
  });
});

describe("toStackExport", () => {
  it("turns a capture into a version-3 export whose secrets and providers the pack reads", async () => {
    const cap = await capture(
      () => {
        const eu = new aws.Provider("eu", { region: "eu-west-1" });
        new aws.ecs.Cluster("c", { name: "c" });
        new aws.s3.Bucket("files", { bucket: "files-1", region: "eu-west-1" }, { provider: eu });
        new aws.rds.Instance("db", {
          engine: "postgres",
          instanceClass: "db.t4g.micro",
          allocatedStorage: 20,
          password: pulumi.secret("p4ss"),
          storageEncrypted: true,
          backupRetentionPeriod: 7,
        });
        return {};
      },
      { stack: "dev" },
    );
    const doc = toStackExport(cap, { defaultProviders: { aws: { region: "us-east-1" } }, time: "2026-11-02T00:00:00.000Z" });
    expect(doc.version).toBe(3);
    const db = doc.deployment.resources!.find((r) => r.type === "aws:rds/instance:Instance")!;
    expect(db.inputs!.password).toEqual({ "4dabf18193072939515e22adb298388d": "1b47061264138c4ac30d75fd1eb44270", plaintext: '"p4ss"' });
    expect(db.provider).toBe("urn:pulumi:dev::activepieces-aws::pulumi:providers:aws::default::aws-default-provider-id");
    const bucket = doc.deployment.resources!.find((r) => r.type === "aws:s3/bucket:Bucket")!;
    expect(bucket.provider).toBe("urn:pulumi:dev::activepieces-aws::pulumi:pulumi:Stack$pulumi:providers:aws::eu::eu-provider-id");
    expect(doc.deployment.resources!.find((r) => r.type === "pulumi:providers:aws" && r.urn.endsWith("::eu"))!.inputs!.region).toBe("eu-west-1");
    expect(db.parent).toBe("urn:pulumi:dev::activepieces-aws::pulumi:pulumi:Stack::activepieces-aws-dev");

    const verdict = (await checkStackExport(doc)).violations
      .filter((v) => v.enforcementLevel === "mandatory")
      .map((v) => v.policy)
      .sort();
    expect(verdict).toEqual(["require-rds-managed-master-password", "require-s3-encryption", "require-s3-public-access-block", "require-s3-same-region"]);
  });
});
