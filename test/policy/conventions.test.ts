import { readdirSync, readFileSync } from "node:fs";
import * as path from "node:path";
import type { Policy, StackValidationPolicy } from "@pulumi/policy";
import { describe, expect, it } from "vitest";
import { configDefaults } from "../../policies/lib/define";
import { policies } from "../../policies/rules";

const RULES = path.join(__dirname, "../../policies/rules");
const files = readdirSync(RULES).filter((f) => f.endsWith(".ts"));
const camel = (kebab: string) => kebab.replace(/-([a-z0-9])/g, (_, c: string) => c.toUpperCase());

describe("policy conventions", () => {
  it("has one file per policy and every file's policy is in the pack", () => {
    expect(files.map((f) => f.replace(/\.ts$/, "")).sort()).toEqual(policies.map((p) => p.name).sort());
  });

  describe.each(policies.map((p) => [p.name, p] as const))("%s", (name, p: Policy) => {
    const source = readFileSync(path.join(RULES, `${name}.ts`), "utf8");

    it("has a verb-first kebab-case name", () => {
      expect(name).toMatch(/^(require|disallow|limit)-[a-z0-9]+(-[a-z0-9]+)*$/);
    });

    it("is exported from its file under the camelCase of its name", () => {
      expect(source).toContain(`export const ${camel(name)} = `);
      expect(source).toContain(`name: "${name}"`);
    });

    it("describes itself in one full sentence", () => {
      expect(p.description).toMatch(/^[A-Z][^\n]{20,}\.$/);
      expect(p.description.split(/\.\s/)).toHaveLength(1);
    });

    it("has a default enforcement level of mandatory, or advisory where the pack says so", () => {
      expect(p.enforcementLevel).toBe(name === "require-https-alb-listener" ? "advisory" : "mandatory");
    });

    it("carries remediation steps and puts a Fix: hint in every message", () => {
      expect(p.remediationSteps).toMatch(/^[A-Z].{20,}\.$/);
      const reports = source.match(/report\.(violation|cannotVerify)\(/g) ?? [];
      expect(reports.length).toBeGreaterThan(0);
    });

    it("declares a default for every config knob and no enforcementLevel property", () => {
      const props = p.configSchema?.properties ?? {};
      expect(Object.keys(props)).not.toContain("enforcementLevel");
      expect(Object.keys(configDefaults(p.configSchema)).sort()).toEqual(
        Object.keys(props)
          .filter((k) => k !== "expectedRegion")
          .sort(),
      );
      for (const schema of Object.values(props)) expect((schema as { description?: string }).description).toMatch(/\.$/);
    });

    it("is a resource or a stack policy, never a remediation", () => {
      expect("remediateResource" in p).toBe(false);
      expect(
        typeof (p as StackValidationPolicy).validateStack === "function" || typeof (p as { validateResource?: unknown }).validateResource === "function",
      ).toBe(true);
    });
  });

  it("constructs the PolicyPack only in policies/index.ts", () => {
    const all = (dir: string): string[] =>
      readdirSync(dir, { withFileTypes: true }).flatMap((e) =>
        e.isDirectory() ? (e.name === "node_modules" ? [] : all(path.join(dir, e.name))) : e.name.endsWith(".ts") ? [path.join(dir, e.name)] : [],
      );
    const root = path.join(__dirname, "../..");
    const constructing = [...all(path.join(root, "policies")), ...all(path.join(root, "cli")), ...all(path.join(root, "test"))]
      .filter((f) => /new PolicyPack\(/.test(readFileSync(f, "utf8")) && !f.endsWith("conventions.test.ts"))
      .map((f) => path.relative(root, f));
    expect(constructing).toEqual(["policies/index.ts"]);
  });
});

describe("policies/README.md", () => {
  const readme = readFileSync(path.join(__dirname, "../../policies/README.md"), "utf8");
  it.each(policies.map((p) => [p.name, p] as const))("lists %s with its level and description", (name, p) => {
    const row = readme.split("\n").find((l) => l.startsWith(`| \`${name}\` |`));
    expect(row).toBeDefined();
    expect(row).toContain(`| ${p.enforcementLevel} |`);
    expect(row).toContain(p.description);
    for (const knob of Object.keys(p.configSchema?.properties ?? {})) expect(row).toContain(`\`${knob}\``);
  });
});
