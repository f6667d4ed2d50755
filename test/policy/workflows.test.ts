import { existsSync, readFileSync } from "node:fs";
import * as path from "node:path";
import { validateWorkflow } from "@action-validator/core";
import { describe, expect, it } from "vitest";
import { parse } from "yaml";

const root = path.join(__dirname, "../..");
const read = (name: string) => readFileSync(path.join(root, ".github/workflows", name), "utf8");

type Step = { uses?: string; run?: string; with?: Record<string, unknown>; "working-directory"?: string };
type Workflow = { on: Record<string, unknown>; jobs: Record<string, { steps: Step[]; strategy?: { matrix: { stack: string[] } } }> };

describe.each(["preview.yml", "policy-publish.yml"])("%s", (name) => {
  it("validates against the SchemaStore GitHub workflow schema", () => {
    // @action-validator/core embeds https://json.schemastore.org/github-workflow.json
    expect(validateWorkflow(read(name)).errors).toEqual([]);
  });
});

describe("workflow contents", () => {
  it("the validator rejects a broken workflow (it is not vacuous)", () => {
    expect(validateWorkflow("on: push\njobs:\n  a:\n    runs-onn: ubuntu-latest\n    steps: 3\n").errors.length).toBeGreaterThan(0);
  });

  it("preview runs pulumi preview with the local pack for every shipped stack", () => {
    const wf = parse(read("preview.yml")) as Workflow;
    const job = wf.jobs.preview!;
    const stacks = job.strategy!.matrix.stack;
    expect(stacks.sort()).toEqual(["prod", "staging"]);
    for (const s of stacks) expect(existsSync(path.join(root, `Pulumi.${s}.yaml`))).toBe(true);
    const preview = job.steps.find((s) => s.uses?.startsWith("pulumi/actions@"))!;
    expect(preview.with).toMatchObject({ command: "preview", policyPacks: "policies" });
    expect(job.steps.some((s) => s.run?.includes('npm run -s plan -- --stack "${{ matrix.stack }}"'))).toBe(true);
    expect(job.steps.some((s) => s.run?.includes("npm run -s policy -- check --file"))).toBe(true);
    expect(job.steps.some((s) => s.uses?.startsWith("actions/github-script@"))).toBe(true);
  });

  it("publish runs on policy-v tags and publishes from the policies folder", () => {
    const wf = parse(read("policy-publish.yml")) as Workflow;
    expect(wf.on).toEqual({ push: { tags: ["policy-v*"] } });
    const publish = wf.jobs.publish!.steps.find((s) => s.run?.includes("pulumi policy publish"))!;
    expect(publish["working-directory"]).toBe("policies");
  });
});
