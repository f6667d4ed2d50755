import { attachments } from "../lib/buckets";
import { guarded, label, stackRule } from "../lib/define";
import { StackIndex } from "../lib/stack";
import { globMatch, optBool, optStr } from "../lib/values";
import { S3_BUCKET_TYPES } from "./require-s3-same-region";

const BLOCK = "aws:s3/bucketPublicAccessBlock:BucketPublicAccessBlock";
const ACCOUNT_BLOCK = "aws:s3/accountPublicAccessBlock:AccountPublicAccessBlock";
const SETTINGS = ["blockPublicAcls", "blockPublicPolicy", "ignorePublicAcls", "restrictPublicBuckets"];

interface Config {
  exemptBuckets: string[];
}

/** Flow files are private; ActivePieces serves them through signed URLs (AP_S3_USE_SIGNED_URLS). */
export const requireS3PublicAccessBlock = stackRule<Config>({
  name: "require-s3-public-access-block",
  description: "Every S3 bucket must have a public access block with all four settings enabled.",
  enforcementLevel: "mandatory",
  remediationSteps:
    "Add an aws.s3.BucketPublicAccessBlock for the bucket with blockPublicAcls, blockPublicPolicy, ignorePublicAcls and restrictPublicBuckets set to true.",
  configSchema: {
    properties: {
      exemptBuckets: {
        type: "array",
        items: { type: "string" },
        default: [],
        description: "Bucket resource names or bucket names (`*` wildcards allowed) that are public on purpose.",
      },
    },
  },
  appliesTo: (t) => S3_BUCKET_TYPES.includes(t) || t === BLOCK || t === ACCOUNT_BLOCK,
  validate: (args, report, config) => {
    const index = new StackIndex(args.resources);
    const allOn = (r: { props: Record<string, unknown> }) => SETTINGS.every((s) => optBool(r.props, s) === true);
    if (index.ofType(ACCOUNT_BLOCK).some(allOn)) return;
    const blocksOf = attachments(index.ofType(BLOCK));
    for (const b of index.ofType(...S3_BUCKET_TYPES)) {
      guarded(report, `the public access block of ${label(b)}`, b.urn, () => {
        const bucketName = optStr(b.props, "bucket") ?? "";
        if (config.exemptBuckets.some((p) => globMatch(p, b.name) || globMatch(p, bucketName))) return;
        const mine = blocksOf(b);
        if (mine.length === 0) {
          report.violation(
            `S3 bucket "${b.name}" has no public access block.`,
            "add an aws.s3.BucketPublicAccessBlock for it with all four settings true.",
            b.urn,
          );
          return;
        }
        const off = SETTINGS.filter((s) => !mine.some((m) => optBool(m.props, s) === true));
        if (off.length > 0) {
          report.violation(
            `The public access block of S3 bucket "${b.name}" leaves ${off.join(", ")} off.`,
            `set ${off.map((s) => `\`${s}: true\``).join(", ")}.`,
            mine[0]!.urn,
          );
        }
      });
    }
  },
});
