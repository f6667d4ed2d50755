import { createServer, type IncomingMessage, type Server } from "node:http";
import type { AddressInfo } from "node:net";
import { createRequire } from "node:module";
import { afterAll, afterEach, beforeAll, describe, expect, it } from "vitest";
import {
  ImageArchitectureCheck,
  MANIFEST_ACCEPT,
  checkImageArchitecture,
  imagePlatforms,
  parseBearerChallenge,
  parseImageRef,
  publishesArchitecture,
  type FetchLike,
} from "../../components/image-check";
import { capture } from "../../offline/capture";

/**
 * A registry on loopback that speaks the Docker token flow: manifests answer 401 with a Bearer
 * challenge until the request carries the token the realm hands out anonymously.
 */
const INDEX = "application/vnd.oci.image.index.v1+json";
const LIST = "application/vnd.docker.distribution.manifest.list.v2+json";
const MANIFEST = "application/vnd.docker.distribution.manifest.v2+json";

const platform = (os: string, architecture: string, variant?: string) => ({
  mediaType: "application/vnd.oci.image.manifest.v1+json",
  digest: `sha256:${architecture}`,
  size: 1,
  platform: { os, architecture, ...(variant ? { variant } : {}) },
});

const manifests: Record<string, { type: string; body: unknown }> = {
  // Like ghcr.io/activepieces/activepieces: both architectures plus a build attestation.
  "activepieces/activepieces:0.83.0": {
    type: INDEX,
    body: { schemaVersion: 2, mediaType: INDEX, manifests: [platform("linux", "amd64"), platform("linux", "arm64", "v8"), platform("unknown", "unknown")] },
  },
  "acme/amd64-only:1.0": { type: LIST, body: { schemaVersion: 2, mediaType: LIST, manifests: [platform("linux", "amd64")] } },
  "library/redis:7": { type: LIST, body: { schemaVersion: 2, mediaType: LIST, manifests: [platform("linux", "amd64"), platform("linux", "arm64", "v8")] } },
  "acme/single:2.0": {
    type: MANIFEST,
    body: { schemaVersion: 2, mediaType: MANIFEST, config: { mediaType: "application/vnd.docker.container.image.v1+json", digest: "sha256:cfg" } },
  },
};
const blobs: Record<string, unknown> = { "acme/single@sha256:cfg": { os: "linux", architecture: "amd64", config: {} } };

interface Seen {
  readonly url: string;
  readonly accept?: string;
  readonly authorization?: string;
}
let server: Server;
let base: string;
const seen: Seen[] = [];

function handle(req: IncomingMessage): { status: number; headers?: Record<string, string>; body?: unknown } {
  const url = new URL(req.url ?? "/", base);
  seen.push({ url: url.pathname + url.search, accept: req.headers.accept, authorization: req.headers.authorization });
  if (url.pathname === "/token") {
    const scope = url.searchParams.get("scope") ?? "";
    const repo = /^repository:(.+):pull$/.exec(scope)?.[1];
    return repo ? { status: 200, body: { token: `tok-${repo}` } } : { status: 400 };
  }
  const m = /^\/v2\/(.+)\/(manifests|blobs)\/(.+)$/.exec(url.pathname);
  if (!m) return { status: 404 };
  const [, repo, kind, ref] = m as unknown as [string, string, string, string];
  if (req.headers.authorization !== `Bearer tok-${repo}`) {
    return { status: 401, headers: { "www-authenticate": `Bearer realm="${base}/token",service="test-registry",scope="repository:${repo}:pull"` } };
  }
  if (kind === "blobs") {
    const blob = blobs[`${repo}@${ref}`];
    return blob ? { status: 200, body: blob } : { status: 404 };
  }
  const found = manifests[`${repo}:${ref}`];
  return found ? { status: 200, headers: { "content-type": found.type }, body: found.body } : { status: 404, body: { errors: [{ code: "MANIFEST_UNKNOWN" }] } };
}

beforeAll(async () => {
  server = createServer((req, res) => {
    const r = handle(req);
    res.writeHead(r.status, { "content-type": "application/json", ...r.headers });
    res.end(r.body === undefined ? "" : JSON.stringify(r.body));
  });
  await new Promise<void>((resolve) => server.listen(0, "127.0.0.1", resolve));
  base = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
});
afterAll(() => new Promise<void>((resolve) => server.close(() => resolve())));

/** Node's fetch, with the real registry and token hosts sent to the loopback registry. */
const nodeFetch = globalThis.fetch;
const loopbackFetch: FetchLike = (url, init) =>
  nodeFetch(url.replace(/^https:\/\/(ghcr\.io|registry-1\.docker\.io|auth\.docker\.io)/, base), init) as unknown as ReturnType<FetchLike>;
const local = { fetch: loopbackFetch, baseUrl: () => base };

describe("parseImageRef", () => {
  it("splits registry, repository and tag or digest like docker does", () => {
    expect(parseImageRef("ghcr.io/activepieces/activepieces:0.83.0")).toEqual({
      registry: "ghcr.io",
      repository: "activepieces/activepieces",
      reference: "0.83.0",
    });
    expect(parseImageRef("activepieces/activepieces:0.83.0")).toEqual({
      registry: "registry-1.docker.io",
      repository: "activepieces/activepieces",
      reference: "0.83.0",
    });
    expect(parseImageRef("docker.io/library/redis:7")).toEqual({ registry: "registry-1.docker.io", repository: "library/redis", reference: "7" });
    expect(parseImageRef("redis")).toEqual({ registry: "registry-1.docker.io", repository: "library/redis", reference: "latest" });
    expect(parseImageRef("localhost:5000/team/app@sha256:abc")).toEqual({ registry: "localhost:5000", repository: "team/app", reference: "sha256:abc" });
  });
});

describe("parseBearerChallenge", () => {
  it("reads realm, service and scope", () => {
    expect(parseBearerChallenge('Bearer realm="https://ghcr.io/token",service="ghcr.io",scope="repository:a/b:pull"')).toEqual({
      realm: "https://ghcr.io/token",
      service: "ghcr.io",
      scope: "repository:a/b:pull",
    });
    expect(parseBearerChallenge('Basic realm="x"')).toBeUndefined();
  });
});

describe("imagePlatforms against a registry on loopback", () => {
  it("gets an anonymous token from the challenge's realm and asks for index and list media types", async () => {
    seen.length = 0;
    const platforms = await imagePlatforms("ghcr.io/activepieces/activepieces:0.83.0", { fetch: loopbackFetch });
    expect(platforms).toEqual(["linux/amd64", "linux/arm64/v8"]);
    expect(seen.map((s) => s.url)).toEqual([
      "/v2/activepieces/activepieces/manifests/0.83.0",
      "/token?service=test-registry&scope=repository%3Aactivepieces%2Factivepieces%3Apull",
      "/v2/activepieces/activepieces/manifests/0.83.0",
    ]);
    expect(seen[2]!.authorization).toBe("Bearer tok-activepieces/activepieces");
    expect(seen[2]!.accept).toBe(MANIFEST_ACCEPT);
    expect(MANIFEST_ACCEPT).toContain("application/vnd.oci.image.index.v1+json");
    expect(MANIFEST_ACCEPT).toContain("application/vnd.docker.distribution.manifest.list.v2+json");
  });

  it("reads Docker Hub official images under library/", async () => {
    expect(await imagePlatforms("redis:7", { fetch: loopbackFetch })).toEqual(["linux/amd64", "linux/arm64/v8"]);
  });

  it("reads a single-platform manifest's platform from its config blob", async () => {
    expect(await imagePlatforms("registry.example.com/acme/single:2.0", local)).toEqual(["linux/amd64"]);
  });

  it("names the image and the HTTP status when the tag does not exist", async () => {
    await expect(imagePlatforms("ghcr.io/activepieces/activepieces:9.9.9", { fetch: loopbackFetch })).rejects.toThrow(
      /image "ghcr\.io\/activepieces\/activepieces:9\.9\.9": GET .* answered HTTP 404/,
    );
  });
});

describe("checkImageArchitecture", () => {
  it("passes when the tag publishes linux/<architecture>", async () => {
    await expect(checkImageArchitecture("ghcr.io/activepieces/activepieces:0.83.0", "arm64", { fetch: loopbackFetch })).resolves.toEqual({
      platforms: ["linux/amd64", "linux/arm64/v8"],
    });
    await expect(checkImageArchitecture("ghcr.io/activepieces/activepieces:0.83.0", "x86_64", { fetch: loopbackFetch })).resolves.toBeDefined();
  });

  it("fails naming image and architecture when the platform is missing", async () => {
    await expect(checkImageArchitecture("ghcr.io/acme/amd64-only:1.0", "arm64", { fetch: loopbackFetch })).rejects.toThrow(
      'image "ghcr.io/acme/amd64-only:1.0" publishes linux/amd64 but not linux/arm64, which architecture "arm64" needs: ' +
        "set architecture to x86_64 if the image publishes it, or set image to a tag that publishes linux/arm64",
    );
  });

  it("matches platforms with or without a variant", () => {
    expect(publishesArchitecture(["linux/arm64/v8"], "arm64")).toBe(true);
    expect(publishesArchitecture(["linux/arm64"], "arm64")).toBe(true);
    expect(publishesArchitecture(["linux/arm/v7", "windows/amd64"], "arm64")).toBe(false);
    expect(publishesArchitecture(["windows/amd64"], "x86_64")).toBe(false);
  });
});

describe("ImageArchitectureCheck (the dynamic resource)", () => {
  const realFetch = globalThis.fetch;
  afterEach(() => {
    globalThis.fetch = realFetch;
  });

  /** The provider as the engine's dynamic provider host loads it: from the serialized `__provider` input. */
  async function serializedProvider(image: string) {
    const cap = await capture(() => {
      new ImageArchitectureCheck("check", { image, architecture: "arm64" });
    });
    const check = cap.one("pulumi-nodejs:dynamic/activepieces:ImageArchitectureCheck");
    expect(check.inputs).toMatchObject({ image, architecture: "arm64" });
    const mod = { exports: {} as { handler(): Record<string, (...a: unknown[]) => Promise<Record<string, unknown>>> } };
    new Function("exports", "require", "module", String(check.inputs.__provider))(mod.exports, createRequire(__filename), mod);
    return mod.exports.handler();
  }

  it("is registered under mocks without running the check; the serialized provider checks the registry on create and update", async () => {
    const provider = await serializedProvider("ghcr.io/activepieces/activepieces:0.83.0");
    globalThis.fetch = loopbackFetch as unknown as typeof fetch;
    await expect(provider.create!({ image: "ghcr.io/activepieces/activepieces:0.83.0", architecture: "arm64" })).resolves.toEqual({
      id: "ghcr.io/activepieces/activepieces:0.83.0#arm64",
      outs: { image: "ghcr.io/activepieces/activepieces:0.83.0", architecture: "arm64", platforms: ["linux/amd64", "linux/arm64/v8"] },
    });
    await expect(provider.update!("id", {}, { image: "ghcr.io/acme/amd64-only:1.0", architecture: "arm64" })).rejects.toThrow(
      /publishes linux\/amd64 but not linux\/arm64, which architecture "arm64" needs/,
    );
    await expect(provider.diff!("id", { image: "a:1", architecture: "arm64" }, { image: "a:1", architecture: "arm64" })).resolves.toEqual({ changes: false });
    await expect(provider.diff!("id", { image: "a:1", architecture: "arm64" }, { image: "a:2", architecture: "arm64" })).resolves.toEqual({ changes: true });
  });
});
