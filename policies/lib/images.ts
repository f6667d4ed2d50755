/** Container image references: `[registry/]repository[:tag][@digest]`. */

export interface ImageRef {
  readonly repository: string;
  readonly tag?: string;
  readonly digest?: string;
}

export function parseImage(image: string): ImageRef {
  const at = image.indexOf("@");
  const digest = at >= 0 ? image.slice(at + 1) : undefined;
  const rest = at >= 0 ? image.slice(0, at) : image;
  const colon = rest.lastIndexOf(":");
  const hasTag = colon > rest.lastIndexOf("/");
  return {
    repository: hasTag ? rest.slice(0, colon) : rest,
    tag: hasTag ? rest.slice(colon + 1) : undefined,
    digest,
  };
}

/** Registry-independent identity: the last two path segments plus the tag or digest. */
export function imageIdentity(image: string): string {
  const ref = parseImage(image);
  const repo = ref.repository.split("/").slice(-2).join("/");
  return ref.digest ? `${repo}@${ref.digest}` : `${repo}:${ref.tag ?? ""}`;
}

/** Why an image is not pinned, or undefined when it names a fixed version. */
export function unpinnedReason(image: string): string | undefined {
  const ref = parseImage(image);
  if (ref.digest) return undefined;
  if (ref.tag === undefined || ref.tag === "") return "has no tag, so it pulls `latest`";
  if (ref.tag.toLowerCase() === "latest") return "uses the `latest` tag";
  return undefined;
}
