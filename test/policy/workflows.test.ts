import { spawnSync } from "node:child_process";
import { copyFileSync, mkdtempSync, readdirSync, readFileSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import * as path from "node:path";
import { validateWorkflow } from "@action-validator/core";
import { describe, expect, it } from "vitest";
import { parse } from "yaml";

const root = path.join(__dirname, "../..");
const read = (name: string) => readFileSync(path.join(root, ".github/workflows", name), "utf8");
const workflowFiles = readdirSync(path.join(root, ".github/workflows"))
  .filter((f) => /\.ya?ml$/.test(f))
  .sort();

type Step = { id?: string; name?: string; uses?: string; run?: string; with?: Record<string, unknown>; "working-directory"?: string };
type Job = {
  needs?: string | string[];
  outputs?: Record<string, string>;
  steps: Step[];
  strategy?: { matrix: Record<string, unknown> };
};
type Workflow = { on: Record<string, unknown>; jobs: Record<string, Job> };

/** The stacks shipped in the repository: one per Pulumi.<stack>.yaml. */
const shippedStacks = readdirSync(root)
  .map((f) => /^Pulumi\.(.+)\.yaml$/.exec(f)?.[1])
  .filter((s): s is string => !!s)
  .sort();

const needsOf = (job: Job) => (job.needs === undefined ? [] : Array.isArray(job.needs) ? job.needs : [job.needs]);

/** Runs a workflow `run:` script with bash in `cwd` and returns what it wrote to $GITHUB_OUTPUT. */
function runStep(script: string, cwd: string): { status: number | null; outputs: Record<string, string>; stderr: string } {
  const outputFile = path.join(cwd, ".github-output");
  writeFileSync(outputFile, "");
  const r = spawnSync("bash", ["-e", "-c", script], { cwd, encoding: "utf8", env: { ...process.env, GITHUB_OUTPUT: outputFile } });
  const outputs = Object.fromEntries(
    readFileSync(outputFile, "utf8")
      .split("\n")
      .filter(Boolean)
      .map((l) => {
        const i = l.indexOf("=");
        return [l.slice(0, i), l.slice(i + 1)];
      }),
  );
  return { status: r.status, outputs, stderr: r.stderr };
}

describe.each(workflowFiles)("%s", (name) => {
  it("validates against the SchemaStore GitHub workflow schema", () => {
    // @action-validator/core embeds https://json.schemastore.org/github-workflow.json
    expect(validateWorkflow(read(name)).errors).toEqual([]);
  });

  it("sets up Node from package.json's engines, the one Node version of the project", () => {
    const wf = parse(read(name)) as Workflow;
    const setups = Object.values(wf.jobs)
      .flatMap((j) => j.steps)
      .filter((s) => s.uses?.startsWith("actions/setup-node@"));
    expect(setups.length).toBeGreaterThan(0);
    for (const s of setups) {
      expect(s.with).toMatchObject({ "node-version-file": "package.json" });
      expect(s.with).not.toHaveProperty("node-version");
    }
  });
});

describe("workflow contents", () => {
  it("the validator rejects a broken workflow (it is not vacuous)", () => {
    expect(validateWorkflow("on: push\njobs:\n  a:\n    runs-onn: ubuntu-latest\n    steps: 3\n").errors.length).toBeGreaterThan(0);
  });

  it("package.json's engines names one Node major line, the one CI installs", () => {
    const engines = (JSON.parse(readFileSync(path.join(root, "package.json"), "utf8")) as { engines: { node: string } }).engines.node;
    expect(engines).toMatch(/^\^\d+\.\d+\.\d+$/);
    // The lockfile was resolved for the same range (npm copies it into the root package entry).
    const lock = JSON.parse(readFileSync(path.join(root, "package-lock.json"), "utf8")) as { packages: Record<string, { engines?: { node?: string } }> };
    expect(lock.packages[""]!.engines?.node).toBe(engines);
  });

  describe("preview.yml", () => {
    const wf = parse(read("preview.yml")) as Workflow;

    it("runs the project's tests, with the same steps as .ci/run, before any preview", () => {
      const test = wf.jobs.test!;
      const runs = test.steps.map((s) => s.run ?? "");
      // Every command of .ci/run (install, the Redis and PostgreSQL the integration tests use, npm test).
      const ciCommands = readFileSync(path.join(root, ".ci/run"), "utf8")
        .split("\n")
        .map((l) => l.trim())
        .filter((l) => /^(npm ci|bash scripts\/|npm test)/.test(l));
      expect(ciCommands).toEqual(["npm ci --no-audit --no-fund", "bash scripts/redis/start.sh", "bash scripts/postgres/start.sh", "npm test"]);
      for (const c of ciCommands) expect(runs).toContain(c);
      // ... in that order.
      const at = (c: string) => runs.indexOf(c);
      expect(ciCommands.map(at)).toEqual([...ciCommands.map(at)].sort((a, b) => a - b));
      expect(needsOf(wf.jobs.preview!)).toContain("test");
    });

    it("previews the stacks listed from the Pulumi.<stack>.yaml files, naming none itself", () => {
      const preview = wf.jobs.preview!;
      expect(needsOf(preview)).toContain("stacks");
      expect(preview.strategy!.matrix.stack).toBe("${{ fromJSON(needs.stacks.outputs.stacks) }}");
      expect(wf.jobs.stacks!.outputs).toEqual({ stacks: "${{ steps.list.outputs.stacks }}" });
      // No shipped stack's name appears anywhere in the workflow (steps use matrix.stack).
      expect(shippedStacks.length).toBeGreaterThan(0);
      const text = read("preview.yml");
      for (const s of shippedStacks) expect(text).not.toMatch(new RegExp(`(^|[^A-Za-z0-9_-])${s}([^A-Za-z0-9_-]|$)`, "m"));
    });

    it("its listing step finds exactly the repository's stacks, and a new one without an edit", () => {
      const list = wf.jobs.stacks!.steps.find((s) => s.id === "list")!;
      const dir = mkdtempSync(path.join(tmpdir(), "stacks-"));
      for (const f of readdirSync(root).filter((f) => /^Pulumi\..*ya?ml$/.test(f))) copyFileSync(path.join(root, f), path.join(dir, f));
      const found = runStep(list.run!, dir);
      expect(found.status).toBe(0);
      expect((JSON.parse(found.outputs.stacks!) as string[]).sort()).toEqual(shippedStacks);

      writeFileSync(path.join(dir, "Pulumi.dev-eu.yaml"), "config: {}\n");
      const more = runStep(list.run!, dir);
      expect((JSON.parse(more.outputs.stacks!) as string[]).sort()).toEqual([...shippedStacks, "dev-eu"].sort());

      const empty = runStep(list.run!, mkdtempSync(path.join(tmpdir(), "stacks-none-")));
      expect(empty.status).not.toBe(0);
      expect(empty.stderr).toMatch(/no Pulumi\.<stack>\.yaml file/);
    });

    it("runs pulumi preview with the local pack, the offline plan, the policy check and the PR comment per stack", () => {
      const job = wf.jobs.preview!;
      const preview = job.steps.find((s) => s.uses?.startsWith("pulumi/actions@"))!;
      expect(preview.with).toMatchObject({ command: "preview", policyPacks: "policies" });
      expect(String(preview.with!["stack-name"])).toMatch(/\$\{\{ matrix\.stack \}\}$/);
      expect(job.steps.some((s) => s.run?.includes('npm run -s plan -- --stack "${{ matrix.stack }}"'))).toBe(true);
      expect(job.steps.some((s) => s.run?.includes("npm run -s policy -- check --file"))).toBe(true);
      expect(job.steps.some((s) => s.uses?.startsWith("actions/github-script@"))).toBe(true);
    });
  });

  it("publish runs on policy-v tags and publishes from the policies folder", () => {
    const wf = parse(read("policy-publish.yml")) as Workflow;
    expect(wf.on).toEqual({ push: { tags: ["policy-v*"] } });
    const publish = wf.jobs.publish!.steps.find((s) => s.run?.includes("pulumi policy publish"))!;
    expect(publish["working-directory"]).toBe("policies");
  });
});
