import { describe, expect, it } from "vitest";
import { checkStackExport } from "../../policies/engine/check";
import { ecsStack, eksStack } from "./baseline";
import { check, edit, expectOne, find, resource, stackExport } from "./support";

const BUCKET = "aws:s3/bucket:Bucket";

describe("require-s3-same-region", () => {
  it("rejects a bucket whose region input differs from the ECS cluster's", async () => {
    const v = await check(
      edit(ecsStack(), BUCKET, "ap-files", (p) => {
        p.region = "eu-west-1";
        p.bucketRegion = "eu-west-1";
      }),
    );
    const hit = expectOne(
      v,
      "require-s3-same-region",
      'S3 bucket "ap-files" is in eu-west-1 (from its `region`) but must be in the region of the stack\'s compute: us-east-1',
    );
    expect(hit.urn).toBe("urn:pulumi:dev::shop::aws:s3/bucket:Bucket::ap-files");
  });

  it("reads the region of a bucket without a region input from its provider", async () => {
    const stack = ecsStack().filter((r) => r.type !== BUCKET);
    const euProvider = resource("pulumi:providers:aws", "eu", { region: "eu-central-1" }, { provider: null });
    const bucket = resource(BUCKET, "ap-files", { bucket: "ap-files-8d1e2f" }, { provider: `${euProvider.urn}::eu-provider-id` });
    const v = await check([...stack, euProvider, bucket]);
    expectOne(v, "require-s3-same-region", 'S3 bucket "ap-files" is in eu-central-1 (from its provider "eu")');
  });

  it("matches the legacy BucketV2 type too", async () => {
    const v = await check(
      [...ecsStack(), resource("aws:s3/bucketV2:BucketV2", "legacy", { bucket: "legacy-1", region: "us-west-2" }, { provider: null })].map((r) => r),
    );
    expect(v.filter((x) => x.policy === "require-s3-same-region").map((x) => x.message)).toEqual([
      expect.stringContaining('S3 bucket "legacy" is in us-west-2'),
    ]);
  });

  it("compares against the EKS cluster region on EKS stacks", async () => {
    const v = await check(
      edit(eksStack(), "aws:eks/cluster:Cluster", "ap-eks", (p) => {
        p.region = "ap-southeast-2";
      }),
    );
    expect(v.filter((x) => x.policy === "require-s3-same-region").map((x) => x.message)).toEqual([
      expect.stringContaining('ap-southeast-2 (aws:eks/cluster:Cluster "ap-eks")'),
    ]);
  });

  it("uses a configured expectedRegion instead of the compute region", async () => {
    const v = (await checkStackExport(stackExport(ecsStack()), { "require-s3-same-region": { expectedRegion: "eu-west-1" } })).violations;
    expectOne(v, "require-s3-same-region", "but must be in the configured expectedRegion eu-west-1");
  });

  it("gives an advisory, not a pass, when the bucket's region is unknown during preview", async () => {
    const stack = ecsStack();
    const b = find(stack, BUCKET, "ap-files");
    b.outputs!.region = "04da6b54-80e4-46f7-96ec-b56ff0331ba9";
    const v = await check(stack);
    expectOne(v, "require-s3-same-region", 'Cannot verify the region of aws:s3/bucket:Bucket "ap-files"', "advisory");
  });

  it("stays silent on a stack without compute (nothing to compare with)", async () => {
    const v = await check([
      resource(BUCKET, "only", { bucket: "only-1", region: "eu-west-1" }),
      ...ecsStack().filter((r) => r.type.startsWith("aws:s3/bucket") && r.type !== BUCKET),
    ]);
    expect(v.filter((x) => x.policy === "require-s3-same-region")).toEqual([]);
  });
});
