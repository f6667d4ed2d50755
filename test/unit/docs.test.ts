import { readFileSync } from "node:fs";
import { parse } from "yaml";
import { describe, expect, it } from "vitest";
import { renderPulumiYaml, renderReadme } from "../../cli/docs";
import { referenceRows } from "../../config/reference";
import { StackConfigSchema } from "../../config/schema";

describe("generated documentation stays in step with the schema", () => {
  it("Pulumi.yaml declares exactly the schema's keys (run `npm run docs` if this fails)", () => {
    expect(readFileSync("Pulumi.yaml", "utf8")).toBe(renderPulumiYaml());
    const declared = Object.keys(parse(readFileSync("Pulumi.yaml", "utf8")).config).sort();
    expect(declared).toEqual(Object.keys(StackConfigSchema.shape).sort());
  });

  it("the README's config reference and cost tables are current (run `npm run docs` if this fails)", () => {
    const readme = readFileSync("README.md", "utf8");
    expect(readme).toBe(renderReadme(readme));
  });

  it("documents every config field with a description", () => {
    const undocumented = referenceRows().filter((r) => r.description.trim() === "").map((r) => r.key);
    expect(undocumented).toEqual([]);
  });

  it("gives every optional top-level key a Pulumi default, so Pulumi never demands it", () => {
    const config = parse(readFileSync("Pulumi.yaml", "utf8")).config as Record<string, { default?: unknown }>;
    const required = ["environment", "region", "image", "frontendUrl", "peakConcurrentFlows"];
    for (const [k, decl] of Object.entries(config)) expect(decl.default === undefined).toBe(required.includes(k));
  });
});
