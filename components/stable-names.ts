/**
 * Logical names for resources made once per item of a list. A name taken from the item's position
 * (`-0`, `-1`) makes Pulumi replace resources whenever the list is reordered or an item is removed
 * from the middle, so names come from a key of the item instead; `indexAlias` lets a stack last
 * deployed with position names adopt its resources rather than replace them.
 */
import { createHash } from "node:crypto";
import type * as pulumi from "@pulumi/pulumi";

/** Last path segment of an ARN: `arn:aws:iam::aws:policy/AmazonEKSWorkerNodePolicy` -> `AmazonEKSWorkerNodePolicy`. */
export function arnLeaf(arn: string): string {
  const resource = arn.split(":").slice(5).join(":");
  return resource.slice(resource.lastIndexOf("/") + 1);
}

/** First 8 hex digits of SHA-256: enough to tell apart the handful of items a list holds, and stable across runs. */
export function shortHash(value: string): string {
  return createHash("sha256").update(value).digest("hex").slice(0, 8);
}

/**
 * Key of an IAM principal ARN: the role name plus a short hash of the whole ARN. The name alone is
 * not unique (the same role name exists in other accounts, or under another path in a config
 * typo), and disambiguating only on a clash would rename the first item when a second one is
 * added; hashing every ARN keeps each key independent of the rest of the list.
 */
export function principalKey(arn: string): string {
  return `${arnLeaf(arn)}-${shortHash(arn)}`;
}

/**
 * Keys become part of logical names: refuse duplicates (two resources, one name), characters that
 * would garble a URN, and all-digit keys, which would read as (and collide with) old position names.
 */
export function assertKeys(keys: readonly string[], what: string): void {
  const seen = new Set<string>();
  for (const key of keys) {
    if (!/^[A-Za-z0-9_.+=,@-]+$/.test(key) || /^\d+$/.test(key)) throw new Error(`${what}: key "${key}" is not usable in a resource name`);
    if (seen.has(key)) throw new Error(`${what}: "${key}" is listed twice`);
    seen.add(key);
  }
}

/**
 * Alias to the name the resource had when names were `${prefix}-${index}`. It maps the list in the
 * order it had when the stack was last deployed with index names: the first `up` after upgrading
 * adopts every resource (provided the list was not reordered in the same change); from then on
 * the state holds key names, Pulumi matches by name before trying aliases, and reordering is
 * safe. Same parent and type as the resource, which an alias without them inherits.
 * https://www.pulumi.com/docs/iac/concepts/options/aliases/
 */
export function indexAlias(prefix: string, index: number): pulumi.Alias[] {
  return [{ name: `${prefix}-${index}` }];
}
