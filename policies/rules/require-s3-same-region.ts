import { guarded, label, stackRule } from "../lib/define";
import { RDS_DATABASES } from "../lib/databases";
import { StackIndex, regionOf } from "../lib/stack";

export const S3_BUCKET_TYPES = ["aws:s3/bucket:Bucket", "aws:s3/bucketV2:BucketV2"];
const CLUSTER_TYPES = ["aws:ecs/cluster:Cluster", "aws:eks/cluster:Cluster"];
const DATABASE_TYPES = RDS_DATABASES;
const COMPUTE_TYPES = [...CLUSTER_TYPES, ...DATABASE_TYPES];

interface Config {
  expectedRegion?: string;
}

/**
 * ActivePieces reads and writes flow files through S3 from the app and workers; a bucket in another
 * region adds latency and inter-region transfer charges and breaks the S3 gateway endpoint.
 */
export const requireS3SameRegion = stackRule<Config>({
  name: "require-s3-same-region",
  description: "Every S3 bucket must be in the same region as the stack's compute (its ECS and EKS clusters, or its RDS databases when it has no cluster).",
  enforcementLevel: "mandatory",
  remediationSteps:
    "Create the bucket with the same `region` (or provider) as the cluster and database, or set `expectedRegion` in the pack config to the region everything should use.",
  configSchema: {
    properties: {
      expectedRegion: {
        type: "string",
        description: "Region every bucket must be in; when unset, the region of the stack's compute is used.",
        pattern: "^[a-z]{2}(-[a-z]+)+-\\d$",
      },
    },
  },
  appliesTo: (t) => S3_BUCKET_TYPES.includes(t) || COMPUTE_TYPES.includes(t),
  validate: (args, report, config) => {
    const index = new StackIndex(args.resources);
    const buckets = index.ofType(...S3_BUCKET_TYPES);
    if (buckets.length === 0) return;
    // The app runs where the clusters are; a stack without a cluster is judged by its databases.
    const clusters = index.ofType(...CLUSTER_TYPES);
    const computeRegions = new Map<string, string>();
    for (const c of clusters.length > 0 ? clusters : index.ofType(...DATABASE_TYPES)) {
      guarded(report, `the region of ${label(c)}`, c.urn, () => {
        const found = regionOf(c, ["arn"]);
        if (found.region) computeRegions.set(found.region, label(c));
        else report.cannotVerify(`the region of ${label(c)}`, `it has ${found.from}`, "set `region` on the resource or its provider.", c.urn);
      });
    }
    const expected = config.expectedRegion ? [config.expectedRegion] : [...computeRegions.keys()];
    if (expected.length === 0) return;
    const against = config.expectedRegion
      ? `the configured expectedRegion ${config.expectedRegion}`
      : `the region of the stack's compute: ${[...computeRegions.entries()].map(([region, what]) => `${region} (${what})`).join(", ")}`;
    for (const b of buckets) {
      guarded(report, `the region of ${label(b)}`, b.urn, () => {
        const found = regionOf(b, ["bucketRegion"]);
        if (!found.region) {
          report.cannotVerify(`the region of ${label(b)}`, `it has ${found.from}`, "set `region` on the bucket or its provider.", b.urn);
        } else if (!expected.includes(found.region)) {
          report.violation(
            `S3 bucket "${b.name}" is in ${found.region} (from ${found.from}) but must be in ${against}.`,
            `create the bucket in ${expected.join(" or ")} (set its \`region\` or use a provider for that region), so the app and workers reach it without inter-region traffic.`,
            b.urn,
          );
        }
      });
    }
  },
});
