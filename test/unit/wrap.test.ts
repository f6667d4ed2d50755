import fc from "fast-check";
import { describe, expect, it } from "vitest";
import { parseStackConfig, rawFromStackFile } from "../../config/load";
import { renderPlan, renderPolicy, renderResources, shortType, urnResource } from "../../cli/render";
import { NBSP, WIDTH, wrap, wrapText } from "../../cli/wrap";
import { plan as makePlan } from "../../sizing/plan";

describe("wrap", () => {
  it("leaves a line that fits alone, spaces and all", () => {
    expect(wrap("a  b   c", 10)).toEqual(["a  b   c"]);
    expect(wrap("x".repeat(WIDTH))).toEqual(["x".repeat(WIDTH)]);
  });

  it("breaks on spaces with a hanging indent under the line's own indent", () => {
    expect(wrap("warning: one two three four", 14)).toEqual(["warning: one", "  two three", "  four"]);
    expect(wrap("  [mandatory] p: aaa bbb ccc", 16, "    ")).toEqual(["  [mandatory] p:", "      aaa bbb", "      ccc"]);
  });

  it("never breaks a word longer than the line (a URN): it stands alone and overflows", () => {
    const urn = "urn:pulumi:prod::activepieces-aws::aws:s3/bucket:Bucket::files";
    expect(wrap(`see ${urn} now`, 20)).toEqual(["see", `  ${urn}`, "  now"]);
  });

  it("keeps words joined by a no-break space together and prints them with a plain space", () => {
    expect(wrap(`flows, image${NBSP}ghcr.io/x:1`, 16)).toEqual(["flows,", "  image ghcr.io/x:1"]);
    expect(wrap(`a${NBSP}b`, 10)).toEqual(["a b"]);
  });

  it("wrapText wraps each line of a block", () => {
    expect(wrapText("short\nlong line here", 9)).toBe("short\nlong line\n  here");
  });

  it("keeps every word, in order, and every line within the width unless it is one word", () => {
    const word = fc.stringMatching(/^[a-z:/.-]{1,30}$/);
    fc.assert(
      fc.property(fc.array(word, { minLength: 1, maxLength: 40 }), fc.integer({ min: 10, max: 120 }), (words, width) => {
        const lines = wrap(words.join(" "), width);
        expect(lines.join(" ").split(/ +/).filter(Boolean)).toEqual(words);
        for (const l of lines) if (l.length > width) expect(l.trim()).not.toContain(" ");
        for (const l of lines.slice(1)) expect(l.startsWith("  ")).toBe(true);
      }),
    );
  });
});

describe("shortType", () => {
  it.each([
    ["aws:s3/bucketPolicy:BucketPolicy", "aws:s3/BucketPolicy"],
    ["aws:s3/bucketServerSideEncryptionConfiguration:BucketServerSideEncryptionConfiguration", "aws:s3/BucketServerSideEncryptionConfiguration"],
    ["aws:s3/bucketV2:BucketV2", "aws:s3/BucketV2"],
    ["random:index/randomPassword:RandomPassword", "random:index/RandomPassword"],
    ["kubernetes:apps/v1:Deployment", "kubernetes:apps/v1:Deployment"],
    ["kubernetes:helm.sh/v3:Release", "kubernetes:helm.sh/v3:Release"],
    ["pulumi-nodejs:dynamic/activepieces:ImageArchitectureCheck", "pulumi-nodejs:dynamic/activepieces:ImageArchitectureCheck"],
    ["activepieces:fargate:RoleService", "activepieces:fargate:RoleService"],
    ["awsx:ec2:Vpc", "awsx:ec2:Vpc"],
    ["pulumi:providers:aws", "pulumi:providers:aws"],
  ])("%s -> %s", (full, short) => expect(shortType(full)).toBe(short));
});

describe("renderResources", () => {
  it("counts by type under the short token and says what the short form stands for", () => {
    const text = renderResources(["aws:s3/bucket:Bucket", "aws:s3/bucket:Bucket", "aws:iam/role:Role"]);
    expect(text.split("\n")).toEqual([
      "resource type  count",
      "-------------  -----",
      "aws:iam/Role       1",
      "aws:s3/Bucket      2",
      "3 resources; aws:s3/BucketPolicy stands for aws:s3/bucketPolicy:BucketPolicy",
    ]);
  });

  it("keeps the full tokens of two types that would shorten alike", () => {
    const text = renderResources(["x:m/thing:Thing", "x:m/Thing"]);
    expect(text).toContain("x:m/thing:Thing");
    expect(text).toMatch(/^x:m\/Thing +1$/m);
  });
});

describe("the plan's text fits 100 columns", () => {
  it.each(["Pulumi.prod.yaml", "Pulumi.staging.yaml", "examples/eks-prod.yaml", "test/fixtures/config/eu-existing-vpc.yaml"])("renderPlan of %s", (file) => {
    const p = makePlan(parseStackConfig(rawFromStackFile(file), file));
    const lines = renderPlan(p).split("\n");
    for (const l of lines) expect(l.length, l).toBeLessThanOrEqual(WIDTH);
    // Each warning once, its continuation indented.
    for (const w of p.warnings) expect(lines.filter((l) => l.startsWith(`warning: ${w.slice(0, 30)}`))).toHaveLength(1);
    expect(lines[0]).toMatch(/^\w+ on (fargate|eks) in [a-z0-9-]+ \((arm64|x86_64)\), \d+ peak concurrent flows,/);
    expect(lines.slice(0, 2).join("\n")).toContain(`image ${p.image}`); // the image and its label stay on one line
  });

  it("renderPolicy wraps a long message and names the resource by short type and name, not by its 130-column URN", () => {
    const urn = "urn:pulumi:eks-prod::activepieces-aws::activepieces:eks:EksSplit$kubernetes:networking.k8s.io/v1:Ingress::ap-eks-prod-app-ingress";
    const text = renderPolicy([{ policy: "require-alb-access-logs", enforcementLevel: "mandatory", urn, message: "word ".repeat(60).trim() }]);
    const lines = text.split("\n");
    expect(lines[0]).toBe("policy: 1 mandatory, 0 advisory");
    expect(lines[1]!.startsWith("  [mandatory] require-alb-access-logs: word word")).toBe(true);
    expect(lines.at(-1)).toBe("      kubernetes:networking.k8s.io/v1:Ingress::ap-eks-prod-app-ingress");
    for (const l of lines) expect(l.length).toBeLessThanOrEqual(WIDTH);
    expect(lines.slice(2, -1).every((l) => l.startsWith("      word"))).toBe(true);
  });

  it.each([
    ["urn:pulumi:prod::activepieces-aws::activepieces:fargate:FargateSplit$aws:lb/listener:Listener::ap-prod-http", "aws:lb/Listener::ap-prod-http"],
    ["urn:pulumi:dev::shop::aws:s3/bucket:Bucket::files", "aws:s3/Bucket::files"],
    ["urn:pulumi:dev::shop::pulumi:providers:aws::default_7_48_0", "pulumi:providers:aws::default_7_48_0"],
    ["not-a-urn", "not-a-urn"],
  ])("urnResource(%s) = %s", (urn, short) => expect(urnResource(urn)).toBe(short));
});
