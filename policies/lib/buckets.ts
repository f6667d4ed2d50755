/** Links S3 buckets to their separate configuration resources (public access block, encryption). */
import type { PolicyResource } from "@pulumi/policy";
import { isUnknownValue } from "./define";
import { optStr } from "./values";

/** Names a configuration resource may use for its bucket: the bucket name and the resource id. */
function bucketNames(b: PolicyResource): Set<string> {
  return new Set([optStr(b.props, "bucket"), optStr(b.props, "id")].filter((v): v is string => !!v));
}

/**
 * Configuration resources that belong to a bucket. During preview an auto-named bucket's name is
 * unknown; the configuration resource's `bucket` dependency still names the bucket resource.
 */
export function attachedTo(bucket: PolicyResource, candidates: readonly PolicyResource[]): PolicyResource[] {
  const names = bucketNames(bucket);
  return candidates.filter((c) => {
    try {
      const name = optStr(c.props, "bucket");
      if (name !== undefined && names.has(name)) return true;
    } catch (e) {
      if (!isUnknownValue(e)) throw e;
    }
    return (c.propertyDependencies?.bucket ?? []).some((d) => d.urn === bucket.urn);
  });
}
