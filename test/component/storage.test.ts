import * as aws from "@pulumi/aws";
import * as pulumi from "@pulumi/pulumi";
import { beforeAll, describe, expect, it } from "vitest";
import { Storage } from "../../components/storage";
import { capture, type Capture } from "../../offline/capture";

interface Run {
  cap: Capture;
  storage: Storage;
  opts: Map<string, pulumi.CustomResourceOptions>;
}

/** The stack's region differs from the mock default (us-east-1), so a missing `region` input shows. */
const REGION = "eu-central-1";

async function run(protect: boolean): Promise<Run> {
  const opts = new Map<string, pulumi.CustomResourceOptions>();
  let storage!: Storage;
  const cap = await capture(() => {
    pulumi.runtime.registerStackTransformation((a) => {
      opts.set(a.name, a.opts);
      return undefined;
    });
    const provider = new aws.Provider("aws", { region: REGION });
    storage = new Storage("files", { namePrefix: "ap-test", region: REGION, protect }, { providers: [provider] });
  });
  return { cap, storage, opts };
}

function valueOf<T>(o: pulumi.Input<T>): Promise<T> {
  return new Promise((resolve) =>
    pulumi.output(o).apply((v) => {
      resolve(v as T);
      return v;
    }),
  );
}

const BUCKET = "aws:s3/bucket:Bucket";
let prod: Run;
let staging: Run;
beforeAll(async () => {
  prod = await run(true);
  staging = await run(false);
});
const bucketId = (r: Run) => r.cap.one(BUCKET).id;
const bucketArn = (r: Run) => r.cap.one(BUCKET).outputs.arn as string;

describe("bucket", () => {
  it("is created explicitly in the stack's region", () => {
    const bucket = prod.cap.one(BUCKET);
    expect(bucket.inputs.region).toBe(REGION);
    expect(bucket.outputs.bucketRegion).toBe(REGION);
  });

  it("prod: cannot be emptied by a destroy and is protected", () => {
    expect(prod.cap.one(BUCKET).inputs.forceDestroy).toBe(false);
    expect(prod.opts.get(prod.cap.one(BUCKET).name)).toMatchObject({ protect: true });
  });

  it("staging: can be destroyed with its files", () => {
    expect(staging.cap.one(BUCKET).inputs.forceDestroy).toBe(true);
    expect(staging.opts.get(staging.cap.one(BUCKET).name)?.protect).toBe(false);
  });

  it("has no inline ACL, policy or website settings", () => {
    const inputs = prod.cap.one(BUCKET).inputs;
    for (const key of ["acl", "policy", "website", "grants", "corsRules"]) expect(inputs).not.toHaveProperty(key);
  });
});

describe("bucket settings", () => {
  it("every S3 setting targets this bucket in the stack's region", () => {
    const settings = prod.cap.resources.filter((r) => r.type.startsWith("aws:s3/") && r.type !== BUCKET);
    expect(settings.map((r) => r.type).sort()).toEqual([
      "aws:s3/bucketLifecycleConfiguration:BucketLifecycleConfiguration",
      "aws:s3/bucketOwnershipControls:BucketOwnershipControls",
      "aws:s3/bucketPolicy:BucketPolicy",
      "aws:s3/bucketPublicAccessBlock:BucketPublicAccessBlock",
      "aws:s3/bucketServerSideEncryptionConfiguration:BucketServerSideEncryptionConfiguration",
      "aws:s3/bucketVersioning:BucketVersioning",
    ]);
    for (const r of settings) {
      expect(r.inputs.region, r.type).toBe(REGION);
      expect(r.inputs.bucket, r.type).toBe(bucketId(prod));
    }
  });
});

describe("public access block", () => {
  it("blocks public ACLs and policies, all four switches on", () => {
    expect(prod.cap.one("aws:s3/bucketPublicAccessBlock:BucketPublicAccessBlock").inputs).toMatchObject({
      blockPublicAcls: true,
      blockPublicPolicy: true,
      ignorePublicAcls: true,
      restrictPublicBuckets: true,
    });
  });
});

describe("ownership controls", () => {
  it("enforces bucket-owner ownership, which disables ACLs", () => {
    expect(prod.cap.one("aws:s3/bucketOwnershipControls:BucketOwnershipControls").inputs.rule).toEqual({ objectOwnership: "BucketOwnerEnforced" });
  });
});

describe("server-side encryption", () => {
  it("encrypts every object by default with SSE-S3", () => {
    expect(prod.cap.one("aws:s3/bucketServerSideEncryptionConfiguration:BucketServerSideEncryptionConfiguration").inputs.rules).toEqual([
      { applyServerSideEncryptionByDefault: { sseAlgorithm: "AES256" }, bucketKeyEnabled: true },
    ]);
  });
});

describe("versioning and lifecycle", () => {
  it("keeps versions", () => {
    expect(prod.cap.one("aws:s3/bucketVersioning:BucketVersioning").inputs.versioningConfiguration).toEqual({ status: "Enabled" });
  });

  it("expires noncurrent versions after 30 days and aborts stale multipart uploads after 7", () => {
    const rules = prod.cap.one("aws:s3/bucketLifecycleConfiguration:BucketLifecycleConfiguration").inputs.rules as Record<string, unknown>[];
    expect(rules).toEqual([
      {
        id: "expire-old-versions",
        status: "Enabled",
        filter: {},
        noncurrentVersionExpiration: { noncurrentDays: 30 },
        abortIncompleteMultipartUpload: { daysAfterInitiation: 7 },
        expiration: { expiredObjectDeleteMarker: true },
      },
    ]);
  });

  it("never expires current versions", () => {
    const rules = prod.cap.one("aws:s3/bucketLifecycleConfiguration:BucketLifecycleConfiguration").inputs.rules as { expiration?: Record<string, unknown> }[];
    for (const rule of rules) {
      expect(rule.expiration).not.toHaveProperty("days");
      expect(rule.expiration).not.toHaveProperty("date");
    }
  });
});

describe("bucket policy", () => {
  it("denies every request that is not made over TLS", () => {
    const policy = JSON.parse(prod.cap.one("aws:s3/bucketPolicy:BucketPolicy").inputs.policy as string) as { Statement: unknown[] };
    expect(policy.Statement).toEqual([
      {
        Sid: "DenyInsecureTransport",
        Effect: "Deny",
        Principal: "*",
        Action: "s3:*",
        Resource: [bucketArn(prod), `${bucketArn(prod)}/*`],
        Condition: { Bool: { "aws:SecureTransport": "false" } },
      },
    ]);
  });

  it("grants nothing", () => {
    const policy = JSON.parse(prod.cap.one("aws:s3/bucketPolicy:BucketPolicy").inputs.policy as string) as { Statement: { Effect: string }[] };
    expect(policy.Statement.filter((s) => s.Effect === "Allow")).toEqual([]);
  });
});

describe("access policy", () => {
  it("allows object read/write/delete on the bucket's objects and listing the bucket, nothing else", () => {
    const policy = JSON.parse(prod.cap.one("aws:iam/policy:Policy").inputs.policy as string) as { Statement: unknown[] };
    expect(policy.Statement).toEqual([
      { Sid: "Objects", Effect: "Allow", Action: ["s3:GetObject", "s3:PutObject", "s3:DeleteObject"], Resource: `${bucketArn(prod)}/*` },
      { Sid: "List", Effect: "Allow", Action: "s3:ListBucket", Resource: bucketArn(prod) },
    ]);
  });

  it("has no wildcard action or resource", () => {
    const text = prod.cap.one("aws:iam/policy:Policy").inputs.policy as string;
    expect(text).not.toMatch(/"s3:\*"|"\*"/);
  });
});

describe("Storage outputs", () => {
  it("exposes the bucket, its region as a plain string and the access policy ARN", async () => {
    expect(await valueOf(prod.storage.bucketName)).toBe(bucketId(prod));
    expect(await valueOf(prod.storage.bucketArn)).toBe(bucketArn(prod));
    expect(prod.storage.region).toBe(REGION);
    expect(await valueOf(prod.storage.accessPolicyArn)).toMatch(/^arn:aws:iam::123456789012:policy\/files-access-[0-9a-f]{7}$/);
  });
});
