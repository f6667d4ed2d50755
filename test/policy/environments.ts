/** Fixtures for environment-dependent policies: provider default tags as `pulumi stack export` stores them. */
import type { StackExportResource, StackExportV3 } from "../../policies/engine/check";

/**
 * Sets `defaultTags: { tags: { environment } }` on every AWS provider of an export. The state keeps
 * a provider's object inputs as JSON text, as this program's exports show.
 */
export function withEnvironment(doc: StackExportV3, environment: string, key = "environment"): StackExportV3 {
  const out = structuredClone(doc);
  for (const r of out.deployment.resources ?? []) {
    if (r.type !== "pulumi:providers:aws") continue;
    const tags = JSON.stringify({ tags: { app: "shop", [key]: environment } });
    r.inputs = { ...(r.inputs ?? {}), defaultTags: tags };
    r.outputs = { ...(r.outputs ?? {}), defaultTags: tags };
  }
  return out;
}

/** Sets a resource's own `tags` (inputs) and `tagsAll` (outputs, with the provider's default tags merged as AWS reports them). */
export function tagResource(r: StackExportResource, tags: Record<string, string>): StackExportResource {
  r.inputs = { ...(r.inputs ?? {}), tags };
  r.outputs = { ...(r.outputs ?? {}), tags, tagsAll: { ...((r.outputs?.tagsAll as Record<string, string> | undefined) ?? {}), ...tags } };
  return r;
}
