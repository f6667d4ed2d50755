import * as aws from "@pulumi/aws";
import * as pulumi from "@pulumi/pulumi";

export interface StorageArgs {
  readonly namePrefix: string;
  /** The stack's region: ActivePieces needs the bucket in the same region as the compute. */
  readonly region: string;
  /** Prod: the bucket cannot be emptied by `pulumi destroy` and is Pulumi-protected. */
  readonly protect: boolean;
}

/** Days an overwritten or deleted file stays recoverable as a noncurrent version. */
export const NONCURRENT_VERSION_DAYS = 30;
/** Days before parts of an unfinished multipart upload are removed (they are billed until then). */
export const ABORT_MULTIPART_DAYS = 7;
/** Object actions the app role gets on the bucket's objects; with s3:ListBucket on the bucket, nothing else. */
export const OBJECT_ACTIONS = ["s3:GetObject", "s3:PutObject", "s3:DeleteObject"] as const;

/** Least-privilege policy document for the app's task/pod role. */
export function accessPolicyDocument(bucketArn: string): string {
  return JSON.stringify({
    Version: "2012-10-17",
    Statement: [
      { Sid: "Objects", Effect: "Allow", Action: [...OBJECT_ACTIONS], Resource: `${bucketArn}/*` },
      { Sid: "List", Effect: "Allow", Action: "s3:ListBucket", Resource: bucketArn },
    ],
  });
}

/** Bucket policy refusing every request not made over TLS. https://docs.aws.amazon.com/AmazonS3/latest/userguide/security-best-practices.html */
export function tlsOnlyPolicyDocument(bucketArn: string): string {
  return JSON.stringify({
    Version: "2012-10-17",
    Statement: [
      {
        Sid: "DenyInsecureTransport",
        Effect: "Deny",
        Principal: "*",
        Action: "s3:*",
        Resource: [bucketArn, `${bucketArn}/*`],
        Condition: { Bool: { "aws:SecureTransport": "false" } },
      },
    ],
  });
}

/**
 * The file store: an S3 bucket created explicitly in the stack's region (aws v7 `region` input on
 * the bucket and each of its settings), private (all four public access blocks, owner-enforced
 * object ownership, no ACLs), encrypted (SSE-S3), versioned with old versions expiring, TLS only.
 * The app reaches it through its task/pod role (`AP_S3_USE_IRSA=true`) and hands browsers signed
 * URLs, so there are no static keys. https://www.activepieces.com/docs/install/configuration/environment-variables
 */
export class Storage extends pulumi.ComponentResource {
  /** Bucket name (AP_S3_BUCKET). */
  readonly bucketName: pulumi.Output<string>;
  /** Bucket ARN. */
  readonly bucketArn: pulumi.Output<string>;
  /** Region of the bucket (AP_S3_REGION), the stack's region. */
  readonly region: string;
  /** IAM policy to attach to the app's task or pod role. */
  readonly accessPolicyArn: pulumi.Output<string>;

  constructor(name: string, args: StorageArgs, opts?: pulumi.ComponentResourceOptions) {
    super("activepieces:storage:Storage", name, {}, opts);
    const { region } = args;
    const child = { parent: this };

    const bucket = new aws.s3.Bucket(
      `${name}-bucket`,
      {
        region,
        forceDestroy: !args.protect,
        tags: { Name: `${args.namePrefix}-files` },
      },
      { parent: this, protect: args.protect },
    );

    const publicAccess = new aws.s3.BucketPublicAccessBlock(
      `${name}-public-access`,
      {
        region,
        bucket: bucket.id,
        blockPublicAcls: true,
        blockPublicPolicy: true,
        ignorePublicAcls: true,
        restrictPublicBuckets: true,
      },
      child,
    );

    new aws.s3.BucketOwnershipControls(
      `${name}-ownership`,
      {
        region,
        bucket: bucket.id,
        rule: { objectOwnership: "BucketOwnerEnforced" },
      },
      child,
    );

    new aws.s3.BucketServerSideEncryptionConfiguration(
      `${name}-sse`,
      {
        region,
        bucket: bucket.id,
        rules: [{ applyServerSideEncryptionByDefault: { sseAlgorithm: "AES256" }, bucketKeyEnabled: true }],
      },
      child,
    );

    const versioning = new aws.s3.BucketVersioning(
      `${name}-versioning`,
      {
        region,
        bucket: bucket.id,
        versioningConfiguration: { status: "Enabled" },
      },
      child,
    );

    new aws.s3.BucketLifecycleConfiguration(
      `${name}-lifecycle`,
      {
        region,
        bucket: bucket.id,
        rules: [
          {
            id: "expire-old-versions",
            status: "Enabled",
            filter: {},
            noncurrentVersionExpiration: { noncurrentDays: NONCURRENT_VERSION_DAYS },
            abortIncompleteMultipartUpload: { daysAfterInitiation: ABORT_MULTIPART_DAYS },
            expiration: { expiredObjectDeleteMarker: true },
          },
        ],
      },
      { parent: this, dependsOn: [versioning] },
    );

    // After the public access block: S3 rejects concurrent bucket-policy and access-block changes.
    new aws.s3.BucketPolicy(
      `${name}-tls-only`,
      {
        region,
        bucket: bucket.id,
        policy: bucket.arn.apply(tlsOnlyPolicyDocument),
      },
      { parent: this, dependsOn: [publicAccess] },
    );

    const accessPolicy = new aws.iam.Policy(
      `${name}-access`,
      {
        description: `ActivePieces file storage: read, write and delete objects in ${args.namePrefix}'s bucket`,
        policy: bucket.arn.apply(accessPolicyDocument),
      },
      child,
    );

    this.bucketName = bucket.bucket;
    this.bucketArn = bucket.arn;
    this.region = region;
    this.accessPolicyArn = accessPolicy.arn;

    this.registerOutputs({
      bucketName: this.bucketName,
      bucketArn: this.bucketArn,
      region: this.region,
      accessPolicyArn: this.accessPolicyArn,
    });
  }
}
