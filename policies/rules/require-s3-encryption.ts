import { attachments } from "../lib/buckets";
import { guarded, label, stackRule } from "../lib/define";
import { StackIndex } from "../lib/stack";
import { objects, optList, optObj, optStr, type Props } from "../lib/values";
import { S3_BUCKET_TYPES } from "./require-s3-same-region";

// @pulumi/aws v7 keeps the V2 token as an alias of the renamed resource.
const SSE_TYPES = [
  "aws:s3/bucketServerSideEncryptionConfiguration:BucketServerSideEncryptionConfiguration",
  "aws:s3/bucketServerSideEncryptionConfigurationV2:BucketServerSideEncryptionConfigurationV2",
];

function algorithms(rules: readonly Props[]): string[] {
  return rules.flatMap((r) => {
    const byDefault = [
      optObj(r, "applyServerSideEncryptionByDefault"),
      ...objects(optList(r, "applyServerSideEncryptionByDefaults"), "applyServerSideEncryptionByDefaults"),
    ];
    return byDefault.map((d) => (d ? optStr(d, "sseAlgorithm") : undefined)).filter((a): a is string => !!a);
  });
}

/** Encryption a bucket declares inline (the deprecated `serverSideEncryptionConfiguration(s)` of Bucket/BucketV2). */
function inlineAlgorithms(b: Props): string[] {
  const single = optObj(b, "serverSideEncryptionConfiguration");
  const rules = [
    ...(single ? [optObj(single, "rule")].filter((r): r is Props => !!r) : []),
    ...objects(optList(b, "serverSideEncryptionConfigurations"), "serverSideEncryptionConfigurations").flatMap((c) => objects(optList(c, "rules"), "rules")),
  ];
  return algorithms(rules);
}

/** Flow files hold customer data; the encryption choice (SSE-S3 or KMS) belongs in code where a review sees it. */
export const requireS3Encryption = stackRule({
  name: "require-s3-encryption",
  description: "Every S3 bucket must declare default server-side encryption.",
  enforcementLevel: "mandatory",
  remediationSteps:
    "Add an aws.s3.BucketServerSideEncryptionConfiguration for the bucket with `applyServerSideEncryptionByDefault.sseAlgorithm` set to AES256 or aws:kms.",
  appliesTo: (t) => S3_BUCKET_TYPES.includes(t) || SSE_TYPES.includes(t),
  validate: (args, report) => {
    const index = new StackIndex(args.resources);
    const configsOf = attachments(index.ofType(...SSE_TYPES));
    for (const b of index.ofType(...S3_BUCKET_TYPES)) {
      guarded(report, `the encryption of ${label(b)}`, b.urn, () => {
        if (inlineAlgorithms(b.props).length > 0) return;
        const mine = configsOf(b);
        if (!mine.some((c) => algorithms(objects(optList(c.props, "rules"), "rules")).length > 0)) {
          report.violation(
            `S3 bucket "${b.name}" declares no default server-side encryption.`,
            "add an aws.s3.BucketServerSideEncryptionConfiguration with sseAlgorithm AES256 or aws:kms.",
            b.urn,
          );
        }
      });
    }
  },
});
