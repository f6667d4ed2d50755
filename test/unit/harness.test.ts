import { describe, expect, it } from "vitest";
import * as aws from "@pulumi/aws";
import * as pulumi from "@pulumi/pulumi";
import { capture } from "../../offline/capture";

class Box extends pulumi.ComponentResource {
  constructor(name: string, opts?: pulumi.ComponentResourceOptions) {
    super("test:index:Box", name, {}, opts);
    new aws.s3.Bucket(`${name}-bucket`, { region: "eu-west-1" }, { parent: this });
    this.registerOutputs();
  }
}

describe("capture harness", () => {
  it("records type, parent, provider and inputs of every resource", async () => {
    const cap = await capture(() => {
      const provider = new aws.Provider("aws", { region: "us-east-1" });
      new Box("box", { providers: [provider] });
    });
    const bucket = cap.one("aws:s3/bucket:Bucket");
    expect(bucket.inputs.region).toBe("eu-west-1");
    expect(bucket.parent).toBe(cap.one("test:index:Box").urn);
    expect(bucket.provider).toMatch(/^urn:pulumi:test::activepieces-aws::.*pulumi:providers:aws::aws::aws-provider-id$/);
    expect(bucket.outputs.bucketRegion).toBe("eu-west-1");
  });

  it("surfaces errors thrown inside apply", async () => {
    await expect(
      capture(() => {
        pulumi.output("x").apply(() => {
          throw new Error("boom in apply");
        });
      }),
    ).rejects.toThrow(/boom in apply/);
  });

  it("starts every capture from fresh mocks: a provider of an earlier run lends nothing to a later one", async () => {
    const program = (region?: string) => () => {
      const provider = new aws.Provider("aws", region ? { region } : {});
      new aws.s3.Bucket("b", {}, { provider });
    };
    const first = await capture(program("eu-west-1"));
    expect(first.one("aws:s3/bucket:Bucket").outputs.bucketRegion).toBe("eu-west-1");
    // Same provider name, hence the same mock id, but no region: the default, not the earlier run's.
    const second = await capture(program());
    expect(second.one("aws:s3/bucket:Bucket").outputs.bucketRegion).toBe("us-east-1");
  });
});
