/** Indexes over a stack policy's resources, and where an AWS resource lives. */
import type { PolicyProviderResource, PolicyResource } from "@pulumi/policy";
import { optStr, stackOfUrn, type Props } from "./values";

export class StackIndex {
  private readonly types = new Map<string, PolicyResource[]>();
  readonly stack: string;

  constructor(readonly resources: readonly PolicyResource[]) {
    for (const r of resources) {
      const list = this.types.get(r.type);
      if (list) list.push(r);
      else this.types.set(r.type, [r]);
    }
    this.stack = resources.length > 0 ? stackOfUrn(resources[0]!.urn) : "";
  }

  ofType(...types: string[]): PolicyResource[] {
    return types.flatMap((t) => this.types.get(t) ?? []);
  }

  where(test: (type: string) => boolean): PolicyResource[] {
    return [...this.types.entries()].filter(([t]) => test(t)).flatMap(([, list]) => list);
  }
}

/** Region part of an ARN (`arn:aws:ecs:us-east-1:...`), if any. */
export function arnRegion(arn: string | undefined): string | undefined {
  const parts = arn?.split(":");
  return parts && parts[0] === "arn" && parts[3] ? parts[3] : undefined;
}

/** Last path segment of an ARN or a plain name: `arn:...:cluster/prod` -> `prod`. */
export function lastSegment(arnOrName: string): string {
  return arnOrName.slice(arnOrName.lastIndexOf("/") + 1);
}

export interface RegionFinding {
  readonly region?: string;
  /** Where the region was read from, for messages. */
  readonly from: string;
}

/**
 * Region of an AWS resource: its own `region` (every resource in @pulumi/aws v7), then the given
 * extra properties (`bucketRegion`, an ARN), then its provider's `region`.
 */
export function regionOf(r: { props: Props; provider?: PolicyProviderResource }, extra: readonly string[] = []): RegionFinding {
  const own = optStr(r.props, "region");
  if (own) return { region: own, from: "its `region`" };
  for (const key of extra) {
    const v = optStr(r.props, key);
    const region = key === "arn" ? arnRegion(v) : v;
    if (region) return { region, from: `its \`${key}\`` };
  }
  if (r.provider) {
    const pr = optStr(r.provider.props, "region");
    if (pr) return { region: pr, from: `its provider "${r.provider.name}"` };
    return { from: `its provider "${r.provider.name}", which sets no region (it would come from the environment)` };
  }
  return { from: "no `region` input and no provider" };
}
