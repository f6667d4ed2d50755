import { z } from "zod";

/** Field builders shared by the config schemas, with one wording for every message. */

export const int = (min: number, max: number, what: string) =>
  z.number({ error: `expected ${what}` }).int({ error: `expected a whole number from ${min} to ${max}` })
    .min(min, { error: `expected a whole number from ${min} to ${max}` })
    .max(max, { error: `expected a whole number from ${min} to ${max}` });

/** Image references must carry an explicit tag or digest that is not `latest` (app and worker run the same one). */
export function imageProblem(image: string): string | undefined {
  const lastSegment = image.slice(image.lastIndexOf("/") + 1);
  if (image.includes("@sha256:")) return undefined;
  const colon = lastSegment.lastIndexOf(":");
  if (colon < 0) return "expected a pinned tag such as activepieces/activepieces:0.79.0; an untagged image means latest";
  const tag = lastSegment.slice(colon + 1);
  if (tag === "" || tag.toLowerCase() === "latest") return "expected a pinned version tag or @sha256 digest, not latest";
  return undefined;
}

export const imageRef = z.string().min(1).superRefine((v, ctx) => {
  const problem = imageProblem(v);
  if (problem) ctx.addIssue({ code: "custom", message: problem });
});

export const cidr = z.string().regex(/^(\d{1,3}\.){3}\d{1,3}\/\d{1,2}$|^[0-9a-fA-F:]+\/\d{1,3}$/, {
  error: "expected an IPv4 or IPv6 CIDR such as 10.0.0.0/8",
});
