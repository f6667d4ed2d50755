import { describe, expect, it } from "vitest";
import { PolicyInputError, checkStackExport } from "../../policies/engine/check";
import { ecsStack, eksStack } from "./baseline";
import { SECRET_SIG, SIG, UNKNOWN, check, edit, expectOne, find, resource, stackExport } from "./support";

const TD = "aws:ecs/taskDefinition:TaskDefinition";
const RDS = "aws:rds/instance:Instance";

describe("stack export values", () => {
  it("reads a secret envelope exported with --show-secrets as its plaintext", async () => {
    const stack = edit(ecsStack(), TD, "ap-app", (p) => {
      const defs = JSON.parse(p.containerDefinitions as string) as { environment: unknown[] }[];
      defs[0]!.environment.push({ name: "DB_PASSWORD", value: "x" });
      p.containerDefinitions = { [SIG]: SECRET_SIG, plaintext: JSON.stringify(JSON.stringify(defs)) };
    });
    expectOne(await check(stack), "disallow-plaintext-secret-env", "sets DB_PASSWORD as a literal environment value");
  });

  it("gives an advisory instead of a pass when a secret is only ciphertext", async () => {
    const stack = edit(ecsStack(), TD, "ap-worker", (p) => {
      p.containerDefinitions = { [SIG]: SECRET_SIG, ciphertext: "v1:Zm9vYmFy:AAAA" };
    });
    const v = await check(stack);
    expect(v.length).toBeGreaterThan(0);
    expect(v.every((x) => x.enforcementLevel === "advisory")).toBe(true);
    const env = v.find((x) => x.policy === "disallow-plaintext-secret-env")!;
    expect(env.message).toContain(
      'Cannot verify aws:ecs/taskDefinition:TaskDefinition "ap-worker": string value at .containerDefinitions can\'t be known during preview',
    );
    expect(env.message).toContain("pulumi stack export --show-secrets");
  });

  it("turns values unknown during preview into 'cannot verify' advisories, never a pass", async () => {
    const stack = edit(ecsStack(), RDS, "ap-db", (p) => {
      p.publiclyAccessible = UNKNOWN;
    });
    const v = await check(stack);
    expectOne(
      v,
      "disallow-rds-public-access",
      'Cannot verify aws:rds/instance:Instance "ap-db": string value at .publiclyAccessible can\'t be known during preview',
      "advisory",
    );
  });

  it("reads a resource reference as the referenced resource's id", async () => {
    const stack = edit(ecsStack(), "aws:s3/bucketPublicAccessBlock:BucketPublicAccessBlock", "ap-files-pab", (p) => {
      p.bucket = {
        [SIG]: "5cf8f73096256a8f31e491e813e4eb8e",
        urn: "urn:pulumi:dev::shop::aws:s3/bucket:Bucket::ap-files",
        id: "ap-files-8d1e2f",
        packageVersion: "7.48.0",
      };
    });
    expect(await check(stack)).toEqual([]);
  });

  it("resolves the provider reference to read a region", async () => {
    const bucket = resource("aws:s3/bucket:Bucket", "logs", { bucket: "logs-1" });
    const cluster = resource("aws:ecs/cluster:Cluster", "c", { name: "c" });
    const doc = stackExport([cluster, bucket], "eu-west-1");
    // Same region on both through the one provider: silent. A second provider in another region for the bucket is not.
    expect((await checkStackExport(doc)).violations.filter((v) => v.policy === "require-s3-same-region")).toEqual([]);
    const other = resource("pulumi:providers:aws", "use2", { region: "us-east-2" }, { provider: null });
    bucket.provider = `${other.urn}::use2-id`;
    const v = (await checkStackExport(stackExport([cluster, bucket, other], "eu-west-1"))).violations.filter((x) => x.policy === "require-s3-same-region");
    expect(v.map((x) => x.message)).toEqual([
      expect.stringContaining('"logs" is in us-east-2 (from its provider "use2") but must be in the region of the stack\'s compute: eu-west-1'),
    ]);
  });

  it("skips resources pending deletion", async () => {
    const stack = edit(ecsStack(), RDS, "ap-db", (p) => {
      p.publiclyAccessible = true;
    });
    find(stack, RDS, "ap-db").delete = true;
    expect((await check(stack)).filter((v) => v.policy === "disallow-rds-public-access")).toEqual([]);
  });
});

describe("odd inputs", () => {
  it("answers a non-JSON containerDefinitions with advisories, not a crash", async () => {
    const v = await check(
      edit(ecsStack(), TD, "ap-worker", (p) => {
        p.containerDefinitions = "[{oops";
      }),
    );
    expect(v.length).toBeGreaterThan(0);
    expect(v.every((x) => x.enforcementLevel === "advisory" && x.message.includes("`containerDefinitions` is not valid JSON"))).toBe(true);
  });

  it("answers wrongly typed fields with an advisory naming the field", async () => {
    const v = await check(
      edit(ecsStack(), RDS, "ap-db", (p) => {
        p.backupRetentionPeriod = { days: 7 };
        p.storageEncrypted = "yes";
      }),
    );
    expect(v.map((x) => [x.policy, x.enforcementLevel])).toEqual(
      expect.arrayContaining([
        ["require-rds-backup-retention", "advisory"],
        ["require-rds-storage-encryption", "advisory"],
      ]),
    );
    expect(v.find((x) => x.policy === "require-rds-storage-encryption")!.message).toContain('`storageEncrypted` is string "yes", expected a boolean');
  });

  it("judges resources with no inputs at all as leaving every setting unset", async () => {
    const bare = [
      TD,
      RDS,
      "aws:ecs/service:Service",
      "kubernetes:apps/v1:Deployment",
      "aws:s3/bucket:Bucket",
      "aws:elasticache/replicationGroup:ReplicationGroup",
    ].map((t, i) => ({ urn: `urn:pulumi:dev::shop::${t}::bare${i}`, type: t, custom: true }));
    const v = (await checkStackExport({ version: 3, deployment: { resources: bare } })).violations;
    expect(v.map((x) => `${x.enforcementLevel} ${x.policy}`)).toEqual([
      "mandatory require-rds-managed-master-password",
      "mandatory require-rds-storage-encryption",
      "mandatory require-rds-backup-retention",
      "mandatory require-redis-encryption",
      "mandatory require-redis-encryption",
      "advisory require-s3-same-region",
      "mandatory require-redis-noeviction",
      "mandatory require-s3-public-access-block",
      "mandatory require-s3-encryption",
    ]);
  });
});

describe("pack config", () => {
  it("lowers a policy to advisory", async () => {
    const stack = edit(ecsStack(), RDS, "ap-db", (p) => {
      p.publiclyAccessible = true;
    });
    expectOne(await check(stack, { "disallow-rds-public-access": "advisory" }), "disallow-rds-public-access", "publiclyAccessible", "advisory");
  });

  it("disables a policy", async () => {
    const stack = edit(ecsStack(), RDS, "ap-db", (p) => {
      p.publiclyAccessible = true;
    });
    expect(await check(stack, { "disallow-rds-public-access": { enforcementLevel: "disabled" } })).toEqual([]);
  });

  it("sets every policy's level with `all`", async () => {
    const stack = edit(ecsStack(), RDS, "ap-db", (p) => {
      p.publiclyAccessible = true;
    });
    expectOne(await check(stack, { all: "advisory" }), "disallow-rds-public-access", "publiclyAccessible", "advisory");
  });

  it.each([
    [{ "limit-worker-concurrency": { maxConcurrency: 0 } }, "limit-worker-concurrency.maxConcurrency: must be >= 1"],
    [{ "limit-worker-concurrency": { maxConcurency: 2 } }, "limit-worker-concurrency.maxConcurency: is not a setting of this policy"],
    [{ "require-s3-same-region": { expectedRegion: 42 } }, "require-s3-same-region.expectedRegion: must be string"],
    [{ "no-such-policy": "advisory" }, "no-such-policy: no policy of this name in the pack"],
    [
      { "disallow-rds-public-access": "strict" },
      'disallow-rds-public-access: enforcement level "strict" is not one of advisory, mandatory, remediate, disabled',
    ],
    [{ "disallow-rds-public-access": { ports: [1] } }, "disallow-rds-public-access.ports: this policy takes no configuration"],
    [[1, 2], "the pack config must be a JSON object"],
  ])("rejects %j naming the key", async (config, message) => {
    const err = await checkStackExport(stackExport([]), config).catch((e: unknown) => e);
    expect(err).toBeInstanceOf(PolicyInputError);
    expect((err as PolicyInputError).input).toBe("config");
    expect((err as Error).message).toContain(message);
  });
});

describe("document shape", () => {
  it.each([
    ["a string", "not an export", "must be a JSON object"],
    ["version 2", { version: 2, deployment: {} }, "`version` is 2; only version 3"],
    ["no deployment", { version: 3 }, "`deployment` is missing"],
    ["a resource without urn", { version: 3, deployment: { resources: [{ type: "aws:s3/bucket:Bucket" }] } }, "deployment.resources[0].urn is missing"],
    [
      "inputs that are a list",
      { version: 3, deployment: { resources: [{ urn: "urn:pulumi:a::b::t::n", type: "t", inputs: [] }] } },
      "deployment.resources[0].inputs is not an object",
    ],
  ])("rejects %s", async (_what, doc, message) => {
    const err = await checkStackExport(doc).catch((e: unknown) => e);
    expect(err).toBeInstanceOf(PolicyInputError);
    expect((err as PolicyInputError).input).toBe("export");
    expect((err as Error).message).toContain(message);
  });
});

describe("request pre-filtering", () => {
  it("gives the same verdict as sending every resource to every policy", async () => {
    const broken = edit(
      edit(ecsStack(), RDS, "ap-db", (p) => {
        p.publiclyAccessible = true;
        p.instanceClass = "db.x2g.large";
      }),
      "aws:s3/bucket:Bucket",
      "ap-files",
      (p) => {
        p.region = "eu-west-1";
      },
    );
    for (const stack of [ecsStack(), eksStack(), broken]) {
      const fast = await checkStackExport(stackExport(stack));
      const full = await checkStackExport(stackExport(stack), undefined, { prefilter: false });
      expect(fast.violations.map((v) => JSON.stringify(v)).sort()).toEqual(full.violations.map((v) => JSON.stringify(v)).sort());
    }
  });
});
