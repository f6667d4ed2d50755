import { X509Certificate } from "node:crypto";
import fc from "fast-check";
import { describe, expect, it } from "vitest";
import { parseStackConfig } from "../../config";
import { MIN_ENGINE_HEAP_MIB, PROCESS_OVERHEAD_MIB, minWorkerMemory, workerBudget } from "../../contract/memory";
import { rdsCaForRegion } from "../../contract/rds-ca";
import { renderRole } from "../../contract/render";
import { NEWEST_VERIFIED, selectRelease } from "../../contract/releases";
import { plan } from "../../sizing/plan";

const base = { environment: "prod", region: "us-east-1", frontendUrl: "http://flows.example.com", peakConcurrentFlows: 10 };
const planAt = (tag: string, extra: Record<string, unknown> = {}) =>
  plan(parseStackConfig({ ...base, image: `ghcr.io/activepieces/activepieces:${tag}`, ...extra }, "test"));
const ENDPOINTS = {
  databaseHost: "db.internal",
  databasePort: "5432",
  databaseName: "activepieces",
  databaseUser: "postgres",
  redisHost: "redis.internal",
  redisPort: "6379",
  bucketName: "files-bucket",
};

describe("release lines", () => {
  it.each([
    ["0.79.0", "0.79", "/api/v1/health", "readiness"],
    ["0.79.4", "0.79", "/api/v1/health", "readiness"],
    ["0.80.0", "0.80", "/worker/health", "liveness"],
    ["0.80.1", "0.80", "/v1/health", "liveness"],
    ["0.81.9", "0.80", "/v1/health", "liveness"],
    ["0.82.0", "0.82", "/v1/health", "liveness"],
    ["0.83.0", "0.82", "/v1/health", "liveness"],
  ])("%s runs the %s contract with the worker's %s as %s", (tag, line, path, meaning) => {
    const r = selectRelease(`activepieces/activepieces:${tag}`);
    expect(r.ok).toBe(true);
    if (!r.ok) return;
    expect(r.contract.line).toBe(line);
    expect(r.contract.roles.worker.health).toEqual({ path, port: 80, meaning });
    expect(r.warning).toBeUndefined();
  });

  it("gives a tag newer than the newest verified release the newest contract and a warning", () => {
    const r = selectRelease("activepieces/activepieces:0.84.2");
    expect(r).toMatchObject({ ok: true, version: "0.84.2", contract: { line: "0.82", verifiedRelease: NEWEST_VERIFIED } });
    expect(r.ok && r.warning).toMatch(/0\.84\.2 is newer than 0\.83\.0/);
  });

  it.each(["activepieces/activepieces:0.78.9", "activepieces/activepieces:0.5.0"])("refuses %s as older than 0.79.0", (image) => {
    expect(selectRelease(image)).toEqual({ ok: false, problem: expect.stringMatching(/older than 0\.79\.0/) });
  });

  it.each(["activepieces/activepieces:stable", "activepieces/activepieces@sha256:" + "a".repeat(64), "activepieces/activepieces:0.83"])(
    "refuses %s: the line cannot be known without a version tag",
    (image) => {
      expect(selectRelease(image)).toEqual({ ok: false, problem: expect.stringMatching(/not a version/) });
    },
  );

  it("accepts a version tag pinned with a digest", () => {
    expect(selectRelease(`activepieces/activepieces:0.83.0@sha256:${"b".repeat(64)}`)).toMatchObject({ ok: true, version: "0.83.0" });
  });

  it("exits the plan naming image for a tag that is not a version or too old", () => {
    expect(() => planAt("nightly")).toThrow(/image: the tag is not a version/);
    expect(() => planAt("0.70.0")).toThrow(/image: 0\.70\.0 is older than 0\.79\.0/);
  });
});

describe("rendered containers: each role gets what its release reads, nothing more", () => {
  const names = (tag: string, role: "app" | "worker") => renderRole(planAt(tag), role, ENDPOINTS).environment.map((e) => e.name);

  it("gives 0.80+ workers no Postgres, Redis, S3 or app secret", () => {
    for (const tag of ["0.80.1", "0.83.0"]) {
      const p = planAt(tag);
      const w = renderRole(p, "worker", ENDPOINTS);
      expect(w.environment.map((e) => e.name).filter((n) => /POSTGRES|REDIS|S3|FILE_STORAGE/.test(n))).toEqual([]);
      expect(w.secrets).toEqual([{ name: "AP_WORKER_TOKEN", secret: "workerToken" }]);
      expect(p.release.contract.roles.worker.connects.map((e) => e.target)).toEqual(["app"]);
    }
  });

  it("lets 0.79 workers reach Redis (BullMQ consumers) with settings from the app, not their own env", () => {
    const p = planAt("0.79.0");
    expect(p.release.contract.roles.worker.connects.map((e) => e.target)).toEqual(["redis", "app"]);
    expect(names("0.79.0", "worker").filter((n) => n.startsWith("AP_REDIS"))).toEqual([]);
  });

  it("sets AP_REUSE_SANDBOX and the worker's AP_EXECUTION_MODE only from 0.82, where the worker reads them", () => {
    expect(names("0.83.0", "worker")).toEqual(expect.arrayContaining(["AP_REUSE_SANDBOX", "AP_EXECUTION_MODE"]));
    expect(names("0.80.1", "worker")).not.toContain("AP_REUSE_SANDBOX");
    expect(names("0.80.1", "worker")).not.toContain("AP_EXECUTION_MODE");
  });

  it("renders the app's database trust, client-IP header and URLs from the plan", () => {
    const env = Object.fromEntries(renderRole(planAt("0.83.0"), "app", ENDPOINTS).environment.map((e) => [e.name, e.value]));
    expect(env).toMatchObject({
      AP_POSTGRES_HOST: "db.internal",
      AP_POSTGRES_PORT: "5432",
      AP_POSTGRES_USE_SSL: "true",
      AP_CLIENT_REAL_IP_HEADER: "x-forwarded-for",
      AP_FRONTEND_URL: "http://flows.example.com",
      AP_S3_BUCKET: "files-bucket",
      AP_S3_REGION: "us-east-1",
      AP_S3_USE_IRSA: "true",
      AP_FILE_STORAGE_LOCATION: "S3",
      AP_S3_USE_SIGNED_URLS: "true",
    });
    expect(env.AP_POSTGRES_SSL_CA).toBe(rdsCaForRegion("us-east-1").pem);
    expect(Object.keys(env)).not.toContain("AP_S3_ACCESS_KEY_ID");
    const worker = Object.fromEntries(renderRole(planAt("0.83.0"), "worker", ENDPOINTS).environment.map((e) => [e.name, e.value]));
    expect(worker.AP_FRONTEND_URL).toBe("http://activepieces-app:80");
  });

  it("points EKS workers at the app's Service", () => {
    const p = planAt("0.83.0", { platform: "eks" });
    expect(p.urls.workerToApp).toBe("http://activepieces-app.activepieces.svc.cluster.local:80");
  });
});

describe("RDS CA of the region", () => {
  it.each(["us-east-1", "eu-west-1", "ap-southeast-2"])("holds the current roots of %s only, small enough for a task definition", (region) => {
    const ca = rdsCaForRegion(region, new Date("2026-12-02"));
    expect([...ca.subjects].sort()).toEqual([
      `Amazon RDS ${region} Root CA ECC384 G1`,
      `Amazon RDS ${region} Root CA RSA2048 G1`,
      `Amazon RDS ${region} Root CA RSA4096 G1`,
    ]);
    const pems = ca.pem.split(/(?<=-----END CERTIFICATE-----)\n/).filter((p) => p.includes("BEGIN"));
    for (const pem of pems) expect(new X509Certificate(pem).subject).toContain(`Amazon RDS ${region}`);
    expect(ca.pem.length).toBeLessThan(8 * 1024);
  });

  it("refuses a region the bundle has no CA for, naming region", () => {
    expect(() => plan(parseStackConfig({ ...base, region: "il-central-1", image: "a/b:0.83.0" }, "t"))).toThrow(/region: has no current Amazon RDS CA/);
  });
});

describe("worker memory budget", () => {
  it("always fits the task: own heap + engine heaps + overhead + sidecar <= memory, engine at least the minimum", () => {
    fc.assert(
      fc.property(fc.integer({ min: 512, max: 16384 }), fc.constantFrom(0, 64), fc.integer({ min: 1, max: 5 }), (memory, sidecar, c) => {
        const b = workerBudget(memory, sidecar, c);
        if (memory < minWorkerMemory(sidecar, c)) {
          expect(b).toBeUndefined();
          return;
        }
        expect(b).toBeDefined();
        expect(b!.sidecarMiB + b!.overheadMiB + b!.nodeHeapMb + c * b!.engineHeapMb).toBeLessThanOrEqual(memory);
        expect(b!.engineHeapMb).toBeGreaterThanOrEqual(MIN_ENGINE_HEAP_MIB);
        expect(b!.overheadMiB).toBe((1 + c) * PROCESS_OVERHEAD_MIB);
      }),
    );
  });

  it("never leaves the default 1 GiB engine heap in a 1 GiB worker", () => {
    const p = planAt("0.83.0");
    expect(Number(p.sandboxMemoryLimit) / 1024).toBeLessThan(p.worker.memory);
  });
});

describe("frontend URL and listener", () => {
  it("refuses an https:// URL without a certificate, naming both keys", () => {
    expect(() => plan(parseStackConfig({ ...base, frontendUrl: "https://flows.example.com", image: "a/b:0.83.0" }, "t"))).toThrow(
      /frontendUrl: is https:\/\/ but loadBalancer\.certificateArn is not set/,
    );
  });

  it("warns when every worker is on Spot with no on-demand base, and not when there is one", () => {
    expect(planAt("0.83.0").warnings.join("\n")).toMatch(/every worker runs on Spot with no on-demand base/);
    expect(planAt("0.83.0", { worker: { capacity: { onDemandBase: 2 } } }).warnings.join("\n")).not.toMatch(/no on-demand base/);
  });
});
