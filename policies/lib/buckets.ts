/** Links S3 buckets to their separate configuration resources (public access block, encryption). */
import type { PolicyResource } from "@pulumi/policy";
import { isUnknownValue } from "./define";
import { optStr } from "./values";

/**
 * Index of configuration resources by the bucket they name. During preview an auto-named bucket's
 * name is unknown; the configuration resource's `bucket` dependency still names the bucket resource.
 */
export function attachments(candidates: readonly PolicyResource[]): (bucket: PolicyResource) => PolicyResource[] {
  const byName = new Map<string, PolicyResource[]>();
  const byUrn = new Map<string, PolicyResource[]>();
  const add = (map: Map<string, PolicyResource[]>, key: string, r: PolicyResource) => {
    const list = map.get(key);
    if (list) list.push(r);
    else map.set(key, [r]);
  };
  for (const c of candidates) {
    try {
      const name = optStr(c.props, "bucket");
      if (name !== undefined) add(byName, name, c);
    } catch (e) {
      if (!isUnknownValue(e)) throw e;
    }
    for (const d of c.propertyDependencies?.bucket ?? []) add(byUrn, d.urn, c);
  }
  return (bucket) => {
    const names = [optStr(bucket.props, "bucket"), optStr(bucket.props, "id")].filter((v): v is string => !!v);
    return [...new Set([...names.flatMap((n) => byName.get(n) ?? []), ...(byUrn.get(bucket.urn) ?? [])])];
  };
}
