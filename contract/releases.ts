import { RELEASE_LINES } from "./lines";
import type { ReleaseContract } from "./types";

/** The oldest release whose contract was read; older tags are refused. */
export const OLDEST_SUPPORTED = "0.79.0";
/** The newest release whose source was read; newer tags get its contract and a warning. */
export const NEWEST_VERIFIED = "0.83.0";
/** Default image of the shipped stacks and examples: the newest verified release. */
export const DEFAULT_IMAGE = `ghcr.io/activepieces/activepieces:${NEWEST_VERIFIED}`;

export type Version = readonly [number, number, number];

/** `x.y.z` (an optional `-suffix` is ignored) of an image reference's tag; undefined when the tag is not a version. */
export function imageVersion(image: string): Version | undefined {
  const withoutDigest = image.split("@")[0]!;
  const lastSegment = withoutDigest.slice(withoutDigest.lastIndexOf("/") + 1);
  const colon = lastSegment.lastIndexOf(":");
  if (colon < 0) return undefined;
  const m = /^v?(\d+)\.(\d+)\.(\d+)(?:[-+][0-9A-Za-z.-]+)?$/.exec(lastSegment.slice(colon + 1));
  return m ? [Number(m[1]), Number(m[2]), Number(m[3])] : undefined;
}

export function compareVersions(a: Version, b: Version): number {
  return a[0] - b[0] || a[1] - b[1] || a[2] - b[2];
}

const parse = (v: string): Version => imageVersion(`x:${v}`)!;
const lineStart: Record<ReleaseContract["line"], Version> = { "0.79": [0, 79, 0], "0.80": [0, 80, 0], "0.82": [0, 82, 0] };

export type ReleaseSelection =
  | { readonly ok: true; readonly version: string; readonly contract: ReleaseContract; readonly warning?: string }
  | { readonly ok: false; readonly problem: string };

/**
 * The contract of an image's release line. A tag that is not a version is refused (the line
 * cannot be known), as is one older than 0.79.0; one newer than the newest verified release gets
 * that release's contract and a warning.
 */
export function selectRelease(image: string): ReleaseSelection {
  const v = imageVersion(image);
  if (!v)
    return {
      ok: false,
      problem: `the tag is not a version such as ${NEWEST_VERIFIED}; the runtime contract is chosen by release, so pin a release tag (optionally with @sha256 digest)`,
    };
  if (compareVersions(v, parse(OLDEST_SUPPORTED)) < 0) {
    return {
      ok: false,
      problem: `${v.join(".")} is older than ${OLDEST_SUPPORTED}, the oldest release whose runtime contract is known; allowed ${OLDEST_SUPPORTED} or later`,
    };
  }
  const contract = [...RELEASE_LINES].reverse().find((l) => compareVersions(v, lineStart[l.line]) >= 0)!;
  const version = v.join(".");
  const base = { ok: true as const, version, contract: healthFor(version, contract) };
  if (compareVersions(v, parse(NEWEST_VERIFIED)) > 0) {
    return {
      ...base,
      warning: `image ${version} is newer than ${NEWEST_VERIFIED}, the newest release whose source was read: using the ${contract.covers} contract unverified`,
    };
  }
  return base;
}

/** 0.80.0 served the worker's liveness at /worker/health; 0.80.1 moved it to /v1/health (W/lib/worker.ts). */
function healthFor(version: string, c: ReleaseContract): ReleaseContract {
  if (version !== "0.80.0") return c;
  const worker = { ...c.roles.worker, health: { ...c.roles.worker.health, path: "/worker/health" } };
  return { ...c, roles: { ...c.roles, worker } };
}
