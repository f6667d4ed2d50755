/**
 * Each SDK's internals are reached through one shim that names the versions it was written
 * against. These tests pin them: an upgrade of @pulumi/pulumi or @pulumi/policy fails here, with
 * the shim to re-check, instead of somewhere deep in the harness, the CLI or the policy server.
 */
import { readFileSync, readdirSync, statSync } from "node:fs";
import { createRequire } from "node:module";
import * as path from "node:path";
import { describe, expect, it } from "vitest";
import * as rootPulumi from "../../offline/sdk/pulumi";
import * as policyPolicy from "../../policies/engine/sdk-policy";
import * as policyPulumi from "../../policies/engine/sdk-pulumi";

const ROOT = path.join(__dirname, "..", "..");

interface Shim {
  readonly file: string;
  readonly writtenAgainst: { readonly package: string; readonly from: string; readonly below: string };
}

const SHIMS: readonly Shim[] = [
  { file: "offline/sdk/pulumi.ts", writtenAgainst: rootPulumi.WRITTEN_AGAINST },
  { file: "policies/engine/sdk-pulumi.ts", writtenAgainst: policyPulumi.WRITTEN_AGAINST },
  { file: "policies/engine/sdk-policy.ts", writtenAgainst: policyPolicy.WRITTEN_AGAINST },
];

/** The version of `pkg` that `file` resolves to (as node resolves it from the shim's folder). */
function installedVersion(file: string, pkg: string): string {
  const req = createRequire(path.join(ROOT, file));
  const json = JSON.parse(readFileSync(req.resolve(`${pkg}/package.json`), "utf8")) as { version: string };
  return json.version.replace(/^v/, ""); // @pulumi/policy writes "v1.21.0"
}

function parts(v: string): number[] {
  const m = /^(\d+)\.(\d+)\.(\d+)/.exec(v);
  if (!m) throw new Error(`not a version: ${v}`);
  return [Number(m[1]), Number(m[2]), Number(m[3])];
}

function compare(a: string, b: string): number {
  const [x, y] = [parts(a), parts(b)];
  for (let i = 0; i < 3; i++) if (x[i] !== y[i]) return x[i]! - y[i]!;
  return 0;
}

describe("SDK shims", () => {
  for (const shim of SHIMS) {
    const { package: pkg, from, below } = shim.writtenAgainst;
    it(`${shim.file} was written against the installed ${pkg}`, () => {
      const installed = installedVersion(shim.file, pkg);
      const inRange = compare(installed, from) >= 0 && compare(installed, below) < 0;
      if (!inRange) {
        throw new Error(
          `${pkg} ${installed} is installed, but ${shim.file} was written against >=${from} <${below}. ` +
            `Re-check every internal it reaches (the imports at its top and the members it declares), ` +
            `then update WRITTEN_AGAINST in ${shim.file}.`,
        );
      }
      expect(inRange).toBe(true);
    });
  }

  it("exports the installed @pulumi/pulumi version for stack export manifests", () => {
    expect(rootPulumi.PULUMI_VERSION).toBe(`v${installedVersion("offline/sdk/pulumi.ts", "@pulumi/pulumi")}`);
    expect(policyPulumi.PULUMI_VERSION).toBe(`v${installedVersion("policies/engine/sdk-pulumi.ts", "@pulumi/pulumi")}`);
  });

  it("reaches what it promises", () => {
    expect(typeof rootPulumi.waitForRPCs).toBe("function");
    expect(typeof rootPulumi.specialSigKey).toBe("string");
    expect(typeof policyPulumi.analyzer.AnalyzeRequest).toBe("function");
    expect(typeof policyPolicy.makeAnalyzeRpcFun).toBe("function");
    expect(typeof policyPolicy.UnknownValueError).toBe("function");
  });
});

/** Every .ts file of the repository outside node_modules, relative to the root. */
function sources(dir = ROOT, out: string[] = []): string[] {
  for (const name of readdirSync(dir)) {
    if (name === "node_modules" || name.startsWith(".")) continue;
    const full = path.join(dir, name);
    if (statSync(full).isDirectory()) sources(full, out);
    else if (/\.(ts|mts|cts)$/.test(name)) out.push(path.relative(ROOT, full));
  }
  return out;
}

describe("SDK internals and the offline runner", () => {
  const files = sources();

  it("reaches SDK internals only through the shims", () => {
    const deep =
      /from\s+["'](@pulumi\/pulumi\/(?:runtime|proto|version)[^"']*|@pulumi\/policy\/[^"']+)["']|require\(\s*["'](@pulumi\/pulumi\/(?:runtime|proto|version)[^"']*|@pulumi\/policy\/[^"']+)["']\s*\)/g;
    const offenders = files
      .filter((f) => !SHIMS.some((s) => s.file === f))
      .flatMap((f) => [...readFileSync(path.join(ROOT, f), "utf8").matchAll(deep)].map((m) => `${f}: ${m[1] ?? m[2]}`));
    expect(offenders, "import SDK internals through offline/sdk/pulumi.ts or policies/engine/sdk-*.ts").toEqual([]);
  });

  it("keeps policies/ self-contained (the pack is published on its own)", () => {
    const outside = files
      .filter((f) => f.startsWith(`policies${path.sep}`))
      .flatMap((f) =>
        [...readFileSync(path.join(ROOT, f), "utf8").matchAll(/from\s+["'](\.[^"']*)["']/g)]
          .filter((m) => !path.resolve(ROOT, path.dirname(f), m[1]!).startsWith(path.join(ROOT, "policies") + path.sep))
          .map((m) => `${f}: ${m[1]}`),
      );
    expect(outside).toEqual([]);
  });

  it("imports nothing from test/ outside test/", () => {
    const offenders = files
      .filter((f) => !f.startsWith(`test${path.sep}`))
      .flatMap((f) =>
        [...readFileSync(path.join(ROOT, f), "utf8").matchAll(/(?:from\s+|import\(|require\()\s*["'](\.[^"']*)["']/g)]
          .filter((m) => path.resolve(ROOT, path.dirname(f), m[1]!).startsWith(path.join(ROOT, "test") + path.sep))
          .map((m) => `${f}: ${m[1]}`),
      );
    expect(offenders).toEqual([]);
  });
});
