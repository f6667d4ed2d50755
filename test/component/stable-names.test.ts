/**
 * Logical names of per-item resources come from the item, not its position, and existing stacks
 * keep every resource on upgrade. test/fixtures/urns/<stack>.json hold the URNs the shipped stacks
 * had at git revision eb309ac2d7678db684b013c39c1a0ff400efdcbd (before names became stable),
 * captured from a clean checkout of that revision by test/fixtures/urns/capture-urns.ts.
 * A URN that changes without an alias fails here on purpose: `pulumi up` would delete the old
 * resource and create a new one. Do not regenerate the fixtures to make a failure go away;
 * add an alias instead (or, for an intended replacement, say so in the change and then regenerate).
 */
import { readFileSync } from "node:fs";
import { join } from "node:path";
import * as pulumi from "@pulumi/pulumi";
import { beforeAll, describe, expect, it } from "vitest";
import { createPodRole } from "../../components/eks/pod-identity";
import { createTaskRole } from "../../components/fargate/iam";
import { assertKeys, principalKey } from "../../components/stable-names";
import { parseStackConfig, rawFromStackFile } from "../../config";
import { plan } from "../../sizing/plan";
import { capture, type Capture } from "../../offline/capture";
import { captureStack } from "../stack";

const STACKS = { staging: "Pulumi.staging.yaml", prod: "Pulumi.prod.yaml", "eks-prod": "examples/eks-prod.yaml" } as const;
const ATTACHMENT = "aws:iam/rolePolicyAttachment:RolePolicyAttachment";

function capturedFile(file: string, stack: string, overrides: Record<string, unknown> = {}): Promise<Capture> {
  return captureStack(plan(parseStackConfig({ ...rawFromStackFile(file), ...overrides }, file)), stack);
}

const urnsOf = (cap: Capture) => cap.resources.map((r) => r.urn).sort();

/** Old URNs the new program neither registers nor adopts through exactly one alias. */
function lostUrns(before: readonly string[], cap: Capture): string[] {
  const live = new Set(cap.resources.map((r) => r.urn));
  const adopters = new Map<string, number>();
  for (const r of cap.resources) for (const a of r.options.aliases ?? []) adopters.set(a, (adopters.get(a) ?? 0) + 1);
  return before.filter((urn) => !live.has(urn) && adopters.get(urn) !== 1);
}

describe.each(Object.entries(STACKS))("%s: upgrading from index names", (stack, file) => {
  let cap: Capture;
  let before: string[];
  beforeAll(async () => {
    before = JSON.parse(readFileSync(join(__dirname, "../fixtures/urns", `${stack}.json`), "utf8")) as string[];
    cap = await capturedFile(file, stack);
  });

  it("keeps every resource the stack had: same URN or the alias of exactly one resource", () => {
    expect(before.length).toBeGreaterThan(0);
    expect(lostUrns(before, cap)).toEqual([]);
  });

  it("aliases only URNs that no resource of the program still uses (the engine refuses both at once)", () => {
    const live = new Set(cap.resources.map((r) => r.urn));
    expect(cap.resources.flatMap((r) => r.options.aliases ?? []).filter((a) => live.has(a))).toEqual([]);
  });

  it("names no resource after a list position any more", () => {
    expect(
      cap
        .ofType(ATTACHMENT)
        .map((r) => r.name)
        .filter((n) => /-(node-policy|task-policy|managed)-\d+$/.test(n)),
    ).toEqual([]);
  });
});

describe("EKS admin access entries", () => {
  const A = "arn:aws:iam::123456789012:role/platform-admins";
  const B = "arn:aws:iam::123456789012:role/ops/break-glass";
  const withAdmins = (adminRoleArns: string[]) => {
    const raw = rawFromStackFile(STACKS["eks-prod"]);
    return capturedFile(STACKS["eks-prod"], "eks-prod", { eks: { ...(raw.eks as object), adminRoleArns } });
  };
  const admins = (cap: Capture, type: string) => cap.ofType(type).filter((r) => r.name.includes("-admin-"));
  let ab: Capture;
  let ba: Capture;
  beforeAll(async () => {
    ab = await withAdmins([A, B]);
    ba = await withAdmins([B, A]);
  });

  it("are named by role, and reordering adminRoleArns changes no URN", () => {
    expect(admins(ab, "aws:eks/accessEntry:AccessEntry").map((r) => r.name)).toEqual([
      `ap-eks-prod-admin-platform-admins-${principalKey(A).split("-").pop()}`,
      `ap-eks-prod-admin-break-glass-${principalKey(B).split("-").pop()}`,
    ]);
    expect(urnsOf(ba)).toEqual(urnsOf(ab));
  });

  it("alias the entry and its policy association to the index name of their position", () => {
    for (const type of ["aws:eks/accessEntry:AccessEntry", "aws:eks/accessPolicyAssociation:AccessPolicyAssociation"]) {
      const [first, second] = admins(ab, type);
      expect(first!.options.aliases).toEqual([first!.urn.replace(/::[^:]+$/, "::ap-eks-prod-admin-0")]);
      expect(second!.options.aliases).toEqual([second!.urn.replace(/::[^:]+$/, "::ap-eks-prod-admin-1")]);
    }
  });
});

describe("principal keys", () => {
  it("tell apart roles of the same name in other accounts or paths, the same way every run", () => {
    const keys = ["arn:aws:iam::111111111111:role/admins", "arn:aws:iam::222222222222:role/admins", "arn:aws:iam::111111111111:role/x/admins"].map(
      principalKey,
    );
    expect(new Set(keys).size).toBe(3);
    expect(keys.every((k) => /^admins-[0-9a-f]{8}$/.test(k))).toBe(true);
    expect(principalKey("arn:aws:iam::111111111111:role/admins")).toBe(keys[0]);
  });

  it("refuse a principal listed twice, and keys that read as an old position name", () => {
    const arn = "arn:aws:iam::111111111111:role/admins";
    expect(() => assertKeys([arn, arn].map(principalKey), "eks.adminRoleArns")).toThrow(/listed twice/);
    expect(() => assertKeys(["0"], "policies")).toThrow(/not usable/);
    expect(() => assertKeys(["a b"], "policies")).toThrow(/not usable/);
  });
});

/** Captures policy attachments made by `make` under a component parent, as the splits make them. */
function underParent(make: (parent: pulumi.Resource) => void): Promise<Capture> {
  return capture(() => {
    make(new pulumi.ComponentResource("test:index:Split", "split"));
  });
}

describe.each([
  [
    "Fargate task role",
    "task-policy",
    (p: Record<string, string>) => (parent: pulumi.Resource) => {
      createTaskRole("ap-app", p, parent);
    },
  ],
  [
    "EKS pod role",
    "managed",
    (p: Record<string, string>) => (parent: pulumi.Resource) => {
      createPodRole("ap-app", { clusterName: "c", namespace: "n", serviceAccount: "s", policyArns: p, description: "d" }, parent);
    },
  ],
] as const)("%s policies", (_label, infix, program) => {
  const storage = "arn:aws:iam::123456789012:policy/ap-files-access";
  const extra = "arn:aws:iam::aws:policy/AmazonSQSReadOnlyAccess";

  it("are named by key, and reordering them changes no URN", async () => {
    const forward = await underParent(program({ storage, extra }));
    const backward = await underParent(program({ extra, storage }));
    expect(
      forward
        .ofType(ATTACHMENT)
        .map((r) => r.name)
        .sort(),
    ).toEqual([`ap-app-${infix}-extra`, `ap-app-${infix}-storage`]);
    expect(urnsOf(backward)).toEqual(urnsOf(forward));
  });

  it("alias each attachment to the index name of its position, under the same parent", async () => {
    const cap = await underParent(program({ storage, extra }));
    const parent = "urn:pulumi:test::activepieces-aws::test:index:Split$aws:iam/rolePolicyAttachment:RolePolicyAttachment";
    expect(cap.one(ATTACHMENT, "-storage").options.aliases).toEqual([`${parent}::ap-app-${infix}-0`]);
    expect(cap.one(ATTACHMENT, "-extra").options.aliases).toEqual([`${parent}::ap-app-${infix}-1`]);
  });
});
