/**
 * Workload profiles end to end: the shipped examples (examples/langfuse*.yaml, examples/membrane*.yaml)
 * planned on both platforms through the real program (index.ts -> stack-profile.ts) under mocks,
 * the policy pack and the profile contract check; the Membrane code runner's exposure asserted on
 * the captured resources; bad profile configs refused with exit 2 before anything registers.
 */
import { existsSync, mkdtempSync, readFileSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import * as path from "node:path";
import { beforeAll, describe, expect, it } from "vitest";
import { parse as parseYaml, stringify } from "yaml";
import type { CapturedResource } from "../../offline/capture";
import type { ProfilePlanResult } from "../../cli/plan";
import { stackExport } from "../../cli/verdict";
import { checkStackExport } from "../../policies/engine/check";
import { planJson } from "../unit/cli-json";
import { plan, planAll, planOnce, root } from "./plan-runs";

const dir = mkdtempSync(path.join(tmpdir(), "profiles-"));
const KEY = "activepieces-aws:";
type StackFile = { config: Record<string, unknown> };

const read = (file: string): StackFile => parseYaml(readFileSync(path.resolve(root, file), "utf8")) as StackFile;
const platformOf = (f: StackFile) => (f.config[`${KEY}platform`] as string | undefined) ?? "fargate";

/** A stack file written next to the others for this run (relative to the repository root is not needed: main() resolves absolute paths). */
function write(name: string, f: StackFile): string {
  const file = path.join(dir, `${name}.yaml`);
  writeFileSync(file, stringify(f));
  return file;
}

/**
 * The example of a profile on a platform: the shipped file for it (`<name>.yaml` or `<name>-eks.yaml`)
 * when there is one, else the other platform's file with only `platform` changed.
 */
function exampleFor(name: string, platform: "fargate" | "eks"): string {
  const candidates = [`examples/${name}.yaml`, `examples/${name}-eks.yaml`, `examples/${name}-fargate.yaml`].filter((f) => existsSync(path.join(root, f)));
  const shipped = candidates.find((f) => platformOf(read(f)) === platform);
  if (shipped) return shipped;
  const base = read(candidates[0]!);
  return write(`${name}-${platform}`, { config: { ...base.config, [`${KEY}platform`]: platform } });
}

const RUNS = (["langfuse", "membrane"] as const).flatMap((name) =>
  (["fargate", "eks"] as const).map((platform) => ({ name, platform, file: exampleFor(name, platform) })),
);
const stackOf = (r: { name: string; platform: string }) => `${r.name}-${r.platform}`;

beforeAll(() => planAll(RUNS.map((r) => [r.file, stackOf(r)] as const)), 300_000);

async function result(name: string, platform: string): Promise<ProfilePlanResult> {
  const run = RUNS.find((r) => r.name === name && r.platform === platform)!;
  const p = await planOnce(run.file, stackOf(run));
  expect(p.result.kind).toBe("profile");
  return p.result as ProfilePlanResult;
}

describe.each(RUNS)("the $name example on $platform", (run) => {
  it("plans with exit 0: zero mandatory violations, the contract check holds, the JSON validates", async () => {
    const r = await plan("--config-file", run.file, "--stack", stackOf(run), "--json");
    const doc = planJson(r.stdout);
    const mandatory = doc.policy.violations.filter((v: { enforcementLevel: string }) => v.enforcementLevel === "mandatory");
    expect(mandatory).toEqual([]);
    expect(doc.contractCheck.extras).toEqual([]);
    expect(doc.contractCheck.edges.filter((e: { ok: boolean }) => !e.ok)).toEqual([]);
    expect(r.code).toBe(0);
    expect(doc).toMatchObject({ exitCode: 0, platform: run.platform, profile: run.name, plan: { kind: "profile", platform: run.platform } });
    expect(doc.cost.monthlyTotal).toBeGreaterThan(0);
  });

  it("prints the role table, the data tier, cost, policy and the profile contract", async () => {
    const r = await plan("--config-file", run.file, "--stack", stackOf(run));
    expect(r.code).toBe(0);
    for (const heading of ["== plan", "== resources", "== monthly cost", "== policy", "== runtime contract"]) expect(r.stdout).toContain(heading);
    expect(r.stdout).toMatch(/^role +capacity +min\.\.max +cpu \/ memory +scaling$/m);
    expect(r.stdout).toMatch(/^role +exposure +connects$/m);
    expect(r.stdout).toMatch(/^postgres /m);
    expect(r.stdout).toMatch(/contract check: \d+ edges ok/);
    const res = await result(run.name, run.platform);
    for (const role of res.plan.roles) expect(r.stdout).toMatch(new RegExp(`^${role.name} `, "m"));
  });

  it("keeps every line of the text output within 100 columns (cli/wrap.ts WIDTH)", async () => {
    const r = await plan("--config-file", run.file, "--stack", stackOf(run));
    expect(r.stdout).toContain("== runtime contract");
    const wide = r.stdout
      .split("\n")
      .filter((l) => l.length > 100)
      .map((l) => `${l.length}: ${l}`);
    expect(wide).toEqual([]);
  });

  it("tags every resource with the profile's name, not activepieces", async () => {
    const res = await result(run.name, run.platform);
    const provider = res.capture.resources.find((x) => x.type === "pulumi:providers:aws")!;
    // Provider inputs reach the engine as JSON strings.
    const tags = provider.inputs.defaultTags;
    expect((typeof tags === "string" ? (JSON.parse(tags) as { tags: Record<string, string> }) : (tags as { tags: Record<string, string> })).tags.app).toBe(
      run.name,
    );
  });
});

/** Names of things in the captured resources that route to or admit a role. */
function exposureOf(rs: readonly CapturedResource[], role: string) {
  const ecs = rs.filter((x) => x.type === "aws:ecs/service:Service" && x.name.endsWith(`-${role}-service`));
  return {
    ecs,
    targetGroups: rs.filter((x) => x.type === "aws:lb/targetGroup:TargetGroup" && new RegExp(`-${role}(-tg)?$`).test(x.name)),
  };
}

describe.each(["fargate", "eks"] as const)("the Membrane code runner on %s", (platform) => {
  /** The internal role api and queued-worker reach that nothing else does: the custom code runner. */
  async function runnerOf() {
    const r = await result("membrane", platform);
    const internal = r.plan.roles.filter((x) => x.exposure.kind === "internal");
    const callers = (name: string) => r.plan.roles.filter((x) => x.connects.some((e) => e.target === "role" && e.role === name)).map((x) => x.name);
    const runner = internal.find((x) => /code|runner|sandbox/.test(x.name)) ?? internal.find((x) => callers(x.name).length > 0);
    expect(runner, "an internal code runner role").toBeDefined();
    return { r, runner: runner!, callers: callers(runner!.name).sort() };
  }

  it("is needed by api and queued-worker (the roles that run custom code), and is internal and never public", async () => {
    const { runner, callers } = await runnerOf();
    expect(callers).toEqual(expect.arrayContaining(["api", "queued-worker"]));
    expect(runner.exposure.kind).toBe("internal");
  });

  it("has no public exposure: no target group, listener rule or Ingress path", async () => {
    const { r, runner } = await runnerOf();
    const rs = r.capture.resources;
    if (platform === "fargate") {
      const service = rs.find((x) => x.type === "aws:ecs/service:Service" && x.name.endsWith(`-${runner.name}-service`));
      expect(service, "the runner's ECS service").toBeDefined();
      expect((service!.inputs.loadBalancers as unknown[] | undefined) ?? []).toEqual([]);
      expect(exposureOf(rs, runner.name).targetGroups).toEqual([]);
      const rules = rs.filter((x) => x.type === "aws:lb/listenerRule:ListenerRule");
      expect(rules.filter((x) => x.name.includes(runner.name))).toEqual([]);
    } else {
      const services = rs.filter((x) => x.type === "kubernetes:core/v1:Service" && (x.inputs.metadata as { name?: string })?.name === runner.name);
      for (const s of services) expect((s.inputs.spec as { type?: string }).type ?? "ClusterIP").toBe("ClusterIP");
      const ingresses = rs.filter((x) => x.type === "kubernetes:networking.k8s.io/v1:Ingress");
      expect(ingresses.length).toBeGreaterThan(0);
      const backends = JSON.stringify(ingresses.map((x) => x.inputs.spec));
      expect(backends).not.toContain(`"name":"${runner.name}"`);
    }
  });

  it("admits exactly the callers' traffic on its port, from nothing else", async () => {
    const { r, runner, callers } = await runnerOf();
    const rs = r.capture.resources;
    if (platform === "fargate") {
      const sgId = (role: string) => {
        const sg = rs.find((x) => x.type === "aws:ec2/securityGroup:SecurityGroup" && x.name.endsWith(`-${role}-sg`));
        expect(sg, `${role} security group`).toBeDefined();
        return sg!.id;
      };
      const rules = rs.filter((x) => x.type === "aws:vpc/securityGroupIngressRule:SecurityGroupIngressRule" && x.inputs.securityGroupId === sgId(runner.name));
      expect(rules.map((x) => x.inputs.referencedSecurityGroupId).sort()).toEqual(callers.map(sgId).sort());
      for (const x of rules) expect(x.inputs).toMatchObject({ ipProtocol: "tcp", fromPort: runner.port, toPort: runner.port });
      expect(rs.filter((x) => x.type === "aws:ec2/securityGroupRule:SecurityGroupRule")).toEqual([]);
    } else {
      const policies = rs.filter(
        (x) => x.type === "kubernetes:networking.k8s.io/v1:NetworkPolicy" && (x.inputs.metadata as { name?: string }).name === runner.name,
      );
      expect(policies).toHaveLength(1);
      const spec = policies[0]!.inputs.spec as {
        podSelector: { matchLabels: Record<string, string> };
        policyTypes: string[];
        ingress: { from: Record<string, unknown>[]; ports: { port: number }[] }[];
      };
      expect(spec.policyTypes).toContain("Ingress");
      const labelsOf = (role: string) => {
        const dep = rs.find((x) => x.type === "kubernetes:apps/v1:Deployment" && (x.inputs.metadata as { name?: string }).name === role)!;
        return (dep.inputs.spec as { template: { metadata: { labels: Record<string, string> } } }).template.metadata.labels;
      };
      const onPort = spec.ingress.filter((i) => i.ports.some((p) => p.port === runner.port));
      const peers = onPort.flatMap((i) => i.from);
      expect(peers.every((p) => Object.keys(p).join() === "podSelector")).toBe(true);
      const admitted = r.plan.roles
        .map((x) => x.name)
        .filter((role) =>
          peers.some((p) => Object.entries((p.podSelector as { matchLabels: Record<string, string> }).matchLabels).every(([k, v]) => labelsOf(role)[k] === v)),
        );
      expect(admitted.sort()).toEqual(callers);
      // Any other ingress rule is the role's own metrics port, never its serving port.
      for (const i of spec.ingress.filter((x) => !onPort.includes(x))) expect(i.ports.every((p) => p.port === runner.metrics?.port)).toBe(true);
    }
    // The contract check agrees: the edges to the runner hold and nothing beyond them is open.
    const edges = r.contractCheck.edges.filter((e) => e.target === `role:${runner.name}`);
    expect(edges.map((e) => e.role).sort()).toEqual(callers);
    expect(edges.every((e) => e.ok)).toBe(true);
    expect(r.contractCheck.extras).toEqual([]);
  });
});

describe("bad profile configs: exit 2 before anything registers, naming the role and the key", () => {
  /** The Membrane example with one change to its profile. */
  function membraneWith(name: string, change: (roles: Record<string, Record<string, unknown>>, profile: Record<string, unknown>) => void): string {
    const f = read(exampleFor("membrane", "fargate"));
    const profile = structuredClone(f.config[`${KEY}profile`]) as Record<string, unknown>;
    change(profile.roles as Record<string, Record<string, unknown>>, profile);
    return write(`bad-${name}`, { config: { ...f.config, [`${KEY}profile`]: profile } });
  }
  const publicRoles = (roles: Record<string, Record<string, unknown>>) => Object.keys(roles).filter((n) => typeof roles[n]!.exposure === "object");
  const internalRoles = (roles: Record<string, Record<string, unknown>>) => Object.keys(roles).filter((n) => roles[n]!.exposure === "internal");

  const cases: [string, (roles: Record<string, Record<string, unknown>>, p: Record<string, unknown>) => void, RegExp, RegExp][] = [
    [
      "no public role",
      (roles) => {
        for (const n of publicRoles(roles)) roles[n]!.exposure = "internal";
      },
      /^profile\.roles$/,
      /no public role/,
    ],
    [
      "two public roles on the same path and host",
      (roles) => {
        const [a] = publicRoles(roles);
        const other = Object.keys(roles).find((n) => n !== a && roles[n]!.neverPublic !== true)!;
        roles[other]!.exposure = structuredClone(roles[a!]!.exposure);
      },
      /^profile\.roles\.[a-z-]+\.exposure$/,
      /like role [a-z-]+/,
    ],
    [
      "an internal role marked public",
      (roles) => {
        const runner = internalRoles(roles).find((n) => roles[n]!.neverPublic === true) ?? internalRoles(roles)[0]!;
        roles[runner]!.neverPublic = true;
        roles[runner]!.exposure = { public: { path: "/run/*" } };
      },
      /^profile\.roles\.[a-z-]+\.exposure$/,
      /internal role marked public/,
    ],
    [
      "min above max",
      (roles) => {
        const n = Object.keys(roles)[0]!;
        roles[n]!.bounds = { staging: { min: 1, max: 2 }, prod: { min: 5, max: 3 } };
      },
      /^profile\.roles\.[a-z-]+\.bounds\.prod\.min$/,
      /above bounds\.prod\.max/,
    ],
    [
      "an unknown connection target",
      (roles) => {
        const n = Object.keys(roles)[0]!;
        roles[n]!.connects = [...((roles[n]!.connects as string[]) ?? []), "role:nonexistent"];
      },
      /^profile\.roles\.[a-z-]+\.connects\.\d+$/,
      /role nonexistent/,
    ],
    [
      "a literal secret",
      (roles) => {
        const n = Object.keys(roles)[0]!;
        roles[n]!.secrets = { ...((roles[n]!.secrets as Record<string, string>) ?? {}), API_KEY: "sk-live-abcdef123456" };
      },
      /^profile\.roles\.[a-z-]+\.secrets\.API_KEY$/,
      /not a Secrets Manager reference/,
    ],
  ];

  it.each(cases)("%s", async (name, change, key, message) => {
    const file = membraneWith(name.replace(/\W+/g, "-"), change);
    const r = await plan("--config-file", file, "--json");
    expect(r.code).toBe(2);
    const doc = planJson(r.stdout);
    expect(doc.error.kind).toBe("config");
    const problem = doc.error.problems.find((p: { key: string; message: string }) => key.test(p.key) && message.test(p.message));
    expect(problem, JSON.stringify(doc.error.problems)).toBeDefined();
    // The role is named in the key (or, for the whole map, in the message); a secret's value never appears.
    expect(r.stdout).not.toContain("sk-live-abcdef123456");

    const text = await plan("--config-file", file);
    expect(text.code).toBe(2);
    expect(text.stdout).toBe("");
  });
});

describe("the policy pack on a profile stack still catches real problems", () => {
  it("a literal secret in a role's container environment is a mandatory violation", async () => {
    const r = await result("membrane", "fargate");
    const doc = stackExport(r.capture);
    const td = (doc.deployment.resources ?? []).find((x) => x.type === "aws:ecs/taskDefinition:TaskDefinition" && String(x.urn).endsWith("-api-task"))!;
    expect(td, "the api task definition").toBeDefined();
    const defs = JSON.parse(td.inputs!.containerDefinitions as string) as { environment?: { name: string; value: string }[] }[];
    defs[0]!.environment = [...(defs[0]!.environment ?? []), { name: "MONGO_PASSWORD", value: "hunter2-literal-value" }];
    td.inputs!.containerDefinitions = JSON.stringify(defs);
    const { violations } = await checkStackExport(doc);
    expect(violations.filter((v) => v.enforcementLevel === "mandatory").map((v) => v.policy)).toContain("disallow-plaintext-secret-env");
  });
});
