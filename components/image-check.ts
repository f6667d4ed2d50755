import * as pulumi from "@pulumi/pulumi";
import type { Architecture } from "../sizing/types";

/**
 * Whether an image tag publishes the architecture the plan runs on is knowable only against its
 * registry, so it is checked during `pulumi up`: a dynamic resource whose provider reads the tag's
 * manifest list and fails, naming `image` and `architecture`, when the platform is missing. The ECS
 * services depend on it, so no task starts on an image that cannot run. Previews and the offline
 * plan never call `create`/`update`; the plan says so in its warnings.
 *
 * The registry protocol below is the OCI distribution API with the Docker token flow:
 * GET /v2/<repo>/manifests/<tag> answers 401 with `WWW-Authenticate: Bearer realm=...,service=...,scope=...`;
 * an anonymous GET of the realm returns a pull token. ghcr.io (realm https://ghcr.io/token) and
 * Docker Hub (realm https://auth.docker.io/token) both work this way.
 * https://distribution.github.io/distribution/spec/auth/token/
 * https://github.com/opencontainers/distribution-spec/blob/main/spec.md#pulling-manifests
 */

/** A fetch, injected so tests can point the check at a local server. */
export type FetchLike = (
  url: string,
  init?: { headers?: Record<string, string> },
) => Promise<{
  readonly ok: boolean;
  readonly status: number;
  readonly headers: { get(name: string): string | null };
  json(): Promise<unknown>;
}>;

export interface ImageRef {
  /** Registry host (and port), e.g. ghcr.io or registry-1.docker.io. */
  readonly registry: string;
  /** Repository path, e.g. activepieces/activepieces or library/redis. */
  readonly repository: string;
  /** Tag or digest. */
  readonly reference: string;
}

const DOCKER_HUB = "registry-1.docker.io";

/** `ghcr.io/a/b:1`, `a/b:1`, `redis:7`, `host:5000/a@sha256:...` -> registry, repository, reference. */
export function parseImageRef(image: string): ImageRef {
  let rest = image;
  let reference = "latest";
  const at = rest.indexOf("@");
  if (at >= 0) {
    reference = rest.slice(at + 1);
    rest = rest.slice(0, at);
  } else {
    const colon = rest.lastIndexOf(":");
    if (colon > rest.lastIndexOf("/")) {
      reference = rest.slice(colon + 1);
      rest = rest.slice(0, colon);
    }
  }
  const parts = rest.split("/");
  const first = parts[0] ?? "";
  const hasRegistry = parts.length > 1 && (first.includes(".") || first.includes(":") || first === "localhost");
  let registry = hasRegistry ? first : DOCKER_HUB;
  let path = hasRegistry ? parts.slice(1) : parts;
  if (registry === "docker.io" || registry === "index.docker.io") registry = DOCKER_HUB;
  if (registry === DOCKER_HUB && path.length === 1) path = ["library", ...path];
  const repository = path.join("/");
  if (!repository || !reference) throw new Error(`image "${image}" is not an image reference`);
  return { registry, repository, reference };
}

/** Media types of a multi-platform index and of single-platform manifests, in order of preference. */
export const MANIFEST_ACCEPT = [
  "application/vnd.oci.image.index.v1+json",
  "application/vnd.docker.distribution.manifest.list.v2+json",
  "application/vnd.oci.image.manifest.v1+json",
  "application/vnd.docker.distribution.manifest.v2+json",
].join(", ");

/** The OCI/Docker architecture name of a plan architecture. */
export function ociArchitecture(architecture: Architecture): "arm64" | "amd64" {
  return architecture === "arm64" ? "arm64" : "amd64";
}

/** `Bearer realm="...",service="...",scope="..."` -> its parameters. */
export function parseBearerChallenge(header: string): Record<string, string> | undefined {
  const m = /^\s*Bearer\s+(.*)$/i.exec(header);
  if (!m) return undefined;
  const params: Record<string, string> = {};
  for (const p of m[1]!.matchAll(/([a-zA-Z_]+)="([^"]*)"/g)) params[p[1]!.toLowerCase()] = p[2]!;
  return params.realm ? params : undefined;
}

export interface RegistryOptions {
  readonly fetch: FetchLike;
  /** Base URL of a registry host; https://<host> by default. */
  readonly baseUrl?: (registry: string) => string;
}

class RegistrySession {
  private token?: string;
  constructor(
    private readonly ref: ImageRef,
    private readonly image: string,
    private readonly opts: RegistryOptions,
  ) {}

  url(path: string): string {
    const base = this.opts.baseUrl?.(this.ref.registry) ?? `https://${this.ref.registry}`;
    return `${base}/v2/${this.ref.repository}/${path}`;
  }

  async getJson(url: string, accept: string): Promise<unknown> {
    const headers = (): Record<string, string> => ({ Accept: accept, ...(this.token ? { Authorization: `Bearer ${this.token}` } : {}) });
    let res = await this.opts.fetch(url, { headers: headers() });
    if (res.status === 401 && !this.token) {
      const challenge = parseBearerChallenge(res.headers.get("www-authenticate") ?? "");
      if (!challenge) throw new Error(`image "${this.image}": ${url} answered 401 without a Bearer challenge; cannot read it anonymously`);
      this.token = await this.anonymousToken(challenge);
      res = await this.opts.fetch(url, { headers: headers() });
    }
    if (!res.ok) throw new Error(`image "${this.image}": GET ${url} answered HTTP ${res.status}${res.status === 404 ? " (no such repository or tag)" : ""}`);
    return res.json();
  }

  private async anonymousToken(challenge: Record<string, string>): Promise<string> {
    const q = new URLSearchParams();
    if (challenge.service) q.set("service", challenge.service);
    q.set("scope", challenge.scope ?? `repository:${this.ref.repository}:pull`);
    const url = `${challenge.realm}?${q.toString()}`;
    const res = await this.opts.fetch(url, { headers: { Accept: "application/json" } });
    if (!res.ok) throw new Error(`image "${this.image}": the anonymous token endpoint ${challenge.realm} answered HTTP ${res.status}`);
    const body = (await res.json()) as { token?: unknown; access_token?: unknown };
    const token = typeof body.token === "string" ? body.token : typeof body.access_token === "string" ? body.access_token : undefined;
    if (!token) throw new Error(`image "${this.image}": the token endpoint ${challenge.realm} returned no token`);
    return token;
  }
}

interface PlatformEntry {
  readonly os?: unknown;
  readonly architecture?: unknown;
  readonly variant?: unknown;
}

function platformName(p: PlatformEntry): string | undefined {
  if (typeof p.os !== "string" || typeof p.architecture !== "string") return undefined;
  return `${p.os}/${p.architecture}${typeof p.variant === "string" && p.variant ? `/${p.variant}` : ""}`;
}

/**
 * The platforms an image tag publishes (`linux/amd64`, `linux/arm64/v8`, ...): the entries of its
 * index or manifest list, or, for a single-platform manifest, the platform in its config blob.
 * Attestation entries (`unknown/unknown`) are left out.
 */
export async function imagePlatforms(image: string, opts: RegistryOptions): Promise<string[]> {
  const ref = parseImageRef(image);
  const session = new RegistrySession(ref, image, opts);
  const manifest = (await session.getJson(session.url(`manifests/${ref.reference}`), MANIFEST_ACCEPT)) as {
    manifests?: { platform?: PlatformEntry }[];
    config?: { digest?: unknown };
  };
  if (Array.isArray(manifest.manifests)) {
    return [
      ...new Set(
        manifest.manifests
          .map((m) => (m.platform ? platformName(m.platform) : undefined))
          .filter((p): p is string => p !== undefined && !p.startsWith("unknown/")),
      ),
    ];
  }
  const digest = manifest.config?.digest;
  if (typeof digest !== "string") throw new Error(`image "${image}": the registry returned neither a manifest list nor a manifest with a config`);
  const config = (await session.getJson(session.url(`blobs/${digest}`), "application/json")) as PlatformEntry;
  const name = platformName(config);
  return name ? [name] : [];
}

/** Whether a platform list runs a plan architecture on Linux. */
export function publishesArchitecture(platforms: readonly string[], architecture: Architecture): boolean {
  const want = `linux/${ociArchitecture(architecture)}`;
  return platforms.some((p) => p === want || p.startsWith(`${want}/`));
}

/**
 * Fails, naming both config keys, when `image` does not publish linux/<architecture>; returns the
 * platforms it does publish otherwise.
 */
export async function checkImageArchitecture(image: string, architecture: Architecture, opts: RegistryOptions): Promise<{ platforms: string[] }> {
  const platforms = await imagePlatforms(image, opts);
  if (!publishesArchitecture(platforms, architecture)) {
    const other: Architecture = architecture === "arm64" ? "x86_64" : "arm64";
    throw new Error(
      `image "${image}" publishes ${platforms.length > 0 ? platforms.join(", ") : "no platform"} but not linux/${ociArchitecture(architecture)}, which architecture "${architecture}" needs: ` +
        `set architecture to ${other} if the image publishes it, or set image to a tag that publishes linux/${ociArchitecture(architecture)}`,
    );
  }
  return { platforms };
}

interface CheckInputs {
  readonly image: string;
  readonly architecture: Architecture;
}

/** Runs only during a real `pulumi up` (create/update); preview calls diff only. */
const provider: pulumi.dynamic.ResourceProvider = {
  async create(inputs: CheckInputs) {
    const { platforms } = await checkImageArchitecture(inputs.image, inputs.architecture, { fetch });
    return { id: `${inputs.image}#${inputs.architecture}`, outs: { image: inputs.image, architecture: inputs.architecture, platforms } };
  },
  diff(_id: string, olds: CheckInputs, news: CheckInputs) {
    return Promise.resolve({ changes: olds.image !== news.image || olds.architecture !== news.architecture });
  },
  async update(_id: string, _olds: CheckInputs, news: CheckInputs) {
    const { platforms } = await checkImageArchitecture(news.image, news.architecture, { fetch });
    return { outs: { image: news.image, architecture: news.architecture, platforms } };
  },
};

export interface ImageArchitectureCheckArgs {
  readonly image: pulumi.Input<string>;
  readonly architecture: pulumi.Input<Architecture>;
}

/** Resource whose creation fails unless the image publishes the planned architecture. */
export class ImageArchitectureCheck extends pulumi.dynamic.Resource {
  /** Platforms the image publishes, as read during `pulumi up`. */
  declare readonly platforms: pulumi.Output<string[]>;

  constructor(name: string, args: ImageArchitectureCheckArgs, opts?: pulumi.CustomResourceOptions) {
    super(provider, name, { image: args.image, architecture: args.architecture, platforms: undefined }, opts, "activepieces", "ImageArchitectureCheck");
  }
}
