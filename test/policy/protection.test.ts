/**
 * What a stack declares decides its verdict, not its name: protection follows environment tags
 * (resource tags, provider default tags) or pack config; the worker concurrency the program's
 * config accepts is what the pack lets pass.
 */
import { describe, expect, it } from "vitest";
import { StackConfigSchema } from "../../config/schema";
import { WORKER_CONCURRENCY } from "../../policies/facts/activepieces";
import { checkStackExport } from "../../policies/engine/check";
import { ecsStack } from "./baseline";
import { tagResource, withEnvironment } from "./environments";
import { checkIn, webStack } from "./other-teams";
import { check, edit, editContainers, expectOne, find, onStack, setEnv, stackExport } from "./support";

const RDS = "aws:rds/instance:Instance";
const unprotectedDb = () =>
  edit(webStack(), RDS, "db", (p) => {
    p.deletionProtection = false;
  });

describe("protected environments come from tags, not stack names", () => {
  it("a stack named prod that declares no environment is not judged as protected", async () => {
    const v = (await checkStackExport(onStack(stackExport(unprotectedDb()), "prod"))).violations;
    expect(v).toEqual([]);
  });

  it("a stack named dev whose provider default tags say production is", async () => {
    const v = await checkIn(unprotectedDb(), "production");
    const hit = expectOne(v, "require-rds-deletion-protection", 'RDS instance "db" on protected stack "dev" does not set `deletionProtection: true`');
    expect(hit.message).toContain('protected because its environment is "production" (from the default tags of its provider "default_7_48_0")');
  });

  it("reads the database's own tag, in any case of key and value, over the provider's", async () => {
    const stack = unprotectedDb();
    tagResource(find(stack, RDS, "db"), { Environment: "PROD" });
    expectOne(await checkIn(stack), "require-rds-deletion-protection", 'its environment is "PROD" (from its `tags`)');
    tagResource(find(stack, RDS, "db"), { Environment: "staging" });
    expect(await checkIn(stack, "production")).toEqual([]);
  });

  it("takes other environment names and tag keys from the pack config", async () => {
    const config = { "require-rds-deletion-protection": { protectedEnvironments: ["live-*"], environmentTagKeys: ["Stage"] } };
    const doc = withEnvironment(stackExport(unprotectedDb()), "live-eu", "Stage");
    expectOne((await checkStackExport(doc, config)).violations, "require-rds-deletion-protection", 'its environment is "live-eu"');
    expect((await checkStackExport(withEnvironment(stackExport(unprotectedDb()), "production", "Stage"), config)).violations).toEqual([]);
  });

  it("lets the pack config override the tags both ways", async () => {
    expectOne(
      await checkIn(unprotectedDb(), undefined, { "require-rds-deletion-protection": { protected: true } }),
      "require-rds-deletion-protection",
      "the pack config sets `protected: true`",
    );
    expect(await checkIn(unprotectedDb(), "production", { "require-rds-deletion-protection": { protected: false } })).toEqual([]);
  });

  it("rejects a `protected` value other than true, false or auto, naming the key", async () => {
    const err = await checkStackExport(stackExport([]), { "require-rds-multi-az": { protected: "yes" } }).catch((e: unknown) => e);
    expect((err as Error).message).toContain("require-rds-multi-az.protected: must be equal to one of the allowed values");
  });

  it("judges the same resources the same way under any stack name", async () => {
    for (const name of ["prod", "production", "dev", "Pulumi.eks-prod"]) {
      const v = (await checkStackExport(onStack(withEnvironment(stackExport(unprotectedDb()), "staging"), name))).violations;
      expect(v).toEqual([]);
    }
  });
});

describe("worker concurrency: the program's config and the pack agree", () => {
  const base = {
    environment: "prod",
    region: "us-east-1",
    image: "ghcr.io/activepieces/activepieces:0.79.0",
    frontendUrl: "https://flows.example.com",
    peakConcurrentFlows: 10,
  };

  it("every value the config accepts passes the pack without a mandatory violation", async () => {
    for (let n = WORKER_CONCURRENCY.min; n <= WORKER_CONCURRENCY.max; n++) {
      expect(StackConfigSchema.safeParse({ ...base, workerConcurrency: n }).success).toBe(true);
      const v = await check(editContainers(ecsStack(), "ap-worker", ([w]) => setEnv(w!, "AP_WORKER_CONCURRENCY", String(n))));
      expect(v.filter((x) => x.enforcementLevel === "mandatory")).toEqual([]);
      expect(v.map((x) => x.enforcementLevel)).toEqual(n > WORKER_CONCURRENCY.recommended ? ["advisory"] : []);
    }
  });

  it("the first value above the config's maximum fails both", async () => {
    const n = WORKER_CONCURRENCY.max + 1;
    expect(StackConfigSchema.safeParse({ ...base, workerConcurrency: n }).success).toBe(false);
    const v = await check(editContainers(ecsStack(), "ap-worker", ([w]) => setEnv(w!, "AP_WORKER_CONCURRENCY", String(n))));
    expectOne(v, "limit-worker-concurrency", `sets AP_WORKER_CONCURRENCY=${n}, above the allowed ${WORKER_CONCURRENCY.max}`);
  });

  it("keeps the reason in the advisory", async () => {
    const v = await check(editContainers(ecsStack(), "ap-worker", ([w]) => setEnv(w!, "AP_WORKER_CONCURRENCY", "2")));
    const hit = expectOne(v, "limit-worker-concurrency", "above the recommended 1", "advisory");
    expect(hit.message).toContain(WORKER_CONCURRENCY.reason);
  });
});
