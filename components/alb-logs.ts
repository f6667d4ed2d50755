import * as aws from "@pulumi/aws";
import * as pulumi from "@pulumi/pulumi";
import { tlsOnlyPolicyDocument } from "./storage";

/**
 * The S3 bucket an Application Load Balancer writes its access logs to. ALB access logs need a
 * bucket in the load balancer's region, SSE-S3 (the only server-side encryption ALB log delivery
 * supports, not SSE-KMS) and a bucket policy that lets Elastic Load Balancing put objects under
 * `<prefix>/AWSLogs/<account>/`.
 * https://docs.aws.amazon.com/elasticloadbalancing/latest/application/enable-access-logging.html
 */

/** Days before access log objects expire. */
export const ACCESS_LOG_EXPIRY_DAYS = 90;
/** Key prefix of the logs in the bucket (the ALB adds `AWSLogs/<account>/...` after it; it must not contain AWSLogs). */
export const ACCESS_LOG_PREFIX = "alb";
/** The log delivery service principal for Regions without an ELB account in the table below. */
export const ELB_LOG_DELIVERY_SERVICE = "logdelivery.elasticloadbalancing.amazonaws.com";

/**
 * Elastic Load Balancing's account per Region, for the Regions AWS lists with one ("Step 2: Attach
 * a policy to your S3 bucket", as read 2026-12-02 from
 * https://docs.aws.amazon.com/elasticloadbalancing/latest/application/enable-access-logging.html#attach-bucket-policy
 * and its source https://github.com/awsdocs/elb-application-load-balancers-user-guide/blob/main/doc_source/enable-access-logging.md).
 * Every Region not listed (those opened since Asia Pacific (Jakarta), e.g. me-central-1,
 * ap-south-2, eu-central-2, il-central-1, ca-west-1) must grant the log delivery service
 * principal instead; the account IDs do not exist there.
 */
export const ELB_ACCOUNT_BY_REGION: Readonly<Record<string, string>> = {
  "us-east-1": "127311923021",
  "us-east-2": "033677994240",
  "us-west-1": "027434742980",
  "us-west-2": "797873946194",
  "af-south-1": "098369216593",
  "ca-central-1": "985666609251",
  "eu-central-1": "054676820928",
  "eu-west-1": "156460612806",
  "eu-west-2": "652711504416",
  "eu-south-1": "635631232127",
  "eu-west-3": "009996457667",
  "eu-north-1": "897822967062",
  "ap-east-1": "754344448648",
  "ap-northeast-1": "582318560864",
  "ap-northeast-2": "600734575887",
  "ap-northeast-3": "383597477331",
  "ap-southeast-1": "114774131450",
  "ap-southeast-2": "783225319266",
  "ap-south-1": "718504428378",
  "me-south-1": "076674570225",
  "sa-east-1": "507241528517",
  "us-gov-west-1": "048591011584",
  "us-gov-east-1": "190560391635",
};

/** IAM partition of a Region (GovCloud and China have their own ARNs). */
export function partitionOf(region: string): string {
  if (region.startsWith("us-gov-")) return "aws-us-gov";
  if (region.startsWith("cn-")) return "aws-cn";
  return "aws";
}

/** The principal Elastic Load Balancing writes access logs as, in a Region: the documented rule. */
export function logDeliveryPrincipal(region: string): { AWS: string } | { Service: string } {
  const account = ELB_ACCOUNT_BY_REGION[region];
  return account ? { AWS: `arn:${partitionOf(region)}:iam::${account}:root` } : { Service: ELB_LOG_DELIVERY_SERVICE };
}

/** Bucket policy: ELB may put log objects under the prefix for this account; nothing may use plain HTTP. */
export function accessLogPolicyDocument(bucketArn: string, region: string, accountId: string): string {
  const tlsOnly = JSON.parse(tlsOnlyPolicyDocument(bucketArn)) as { Statement: unknown[] };
  return JSON.stringify({
    Version: "2012-10-17",
    Statement: [
      {
        Sid: "ElbAccessLogDelivery",
        Effect: "Allow",
        Principal: logDeliveryPrincipal(region),
        Action: "s3:PutObject",
        Resource: `${bucketArn}/${ACCESS_LOG_PREFIX}/AWSLogs/${accountId}/*`,
      },
      ...tlsOnly.Statement,
    ],
  });
}

export interface AccessLogBucketArgs {
  readonly region: string;
  /** Prod: a `pulumi destroy` keeps the bucket (and its logs until they expire) instead of failing on it. */
  readonly protect: boolean;
}

export interface AccessLogBucket {
  readonly bucket: aws.s3.Bucket;
  /** The load balancer must wait for these: ELB writes a test object when access logging is enabled. */
  readonly ready: pulumi.Resource[];
}

/**
 * Private (public access blocked, bucket-owner-enforced ownership), SSE-S3, TLS-only, in the
 * stack's region, log objects expiring after ACCESS_LOG_EXPIRY_DAYS.
 */
export function createAccessLogBucket(name: string, args: AccessLogBucketArgs, parent: pulumi.Resource): AccessLogBucket {
  const { region } = args;
  const child = { parent };
  const bucket = new aws.s3.Bucket(
    `${name}-access-logs`,
    {
      region,
      // Logs are operational data with a 90-day life: staging's destroy empties the bucket; prod's
      // destroy leaves it (retainOnDelete) rather than failing on a non-empty bucket.
      forceDestroy: !args.protect,
      tags: { Name: `${name}-access-logs` },
    },
    { parent, retainOnDelete: args.protect },
  );
  const publicAccess = new aws.s3.BucketPublicAccessBlock(
    `${name}-access-logs-public-access`,
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
  const ownership = new aws.s3.BucketOwnershipControls(
    `${name}-access-logs-ownership`,
    {
      region,
      bucket: bucket.id,
      rule: { objectOwnership: "BucketOwnerEnforced" },
    },
    child,
  );
  const sse = new aws.s3.BucketServerSideEncryptionConfiguration(
    `${name}-access-logs-sse`,
    {
      region,
      bucket: bucket.id,
      // SSE-S3 only: ALB log delivery does not support SSE-KMS.
      rules: [{ applyServerSideEncryptionByDefault: { sseAlgorithm: "AES256" } }],
    },
    child,
  );
  new aws.s3.BucketLifecycleConfiguration(
    `${name}-access-logs-lifecycle`,
    {
      region,
      bucket: bucket.id,
      rules: [
        {
          id: "expire-access-logs",
          status: "Enabled",
          filter: {},
          expiration: { days: ACCESS_LOG_EXPIRY_DAYS },
          abortIncompleteMultipartUpload: { daysAfterInitiation: 7 },
        },
      ],
    },
    child,
  );
  const accountId = aws.getCallerIdentityOutput({}, { parent }).accountId;
  // After the public access block: S3 rejects concurrent bucket-policy and access-block changes.
  const policy = new aws.s3.BucketPolicy(
    `${name}-access-logs-policy`,
    {
      region,
      bucket: bucket.id,
      policy: pulumi.all([bucket.arn, accountId]).apply(([arn, account]) => accessLogPolicyDocument(arn, region, account)),
    },
    { parent, dependsOn: [publicAccess] },
  );
  return { bucket, ready: [policy, ownership, sse] };
}
