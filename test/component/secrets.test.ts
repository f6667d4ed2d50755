import * as aws from "@pulumi/aws";
import * as pulumi from "@pulumi/pulumi";
import { beforeAll, describe, expect, it } from "vitest";
import { AppSecrets, keepOptions, signWorkerToken } from "../../components/secrets";
import { capture, type Capture } from "../../offline/capture";

const SECRET_ENVELOPE = "4dabf18193072939515e22adb298388d";
const KEYS = ["encryption-key", "jwt-secret", "worker-token", "redis-auth"] as const;

interface Run {
  cap: Capture;
  secrets: AppSecrets;
  /** Resource options by resource name, as the SDK saw them (stack transformations run in-process). */
  opts: Map<string, pulumi.CustomResourceOptions>;
}

async function run(protect: boolean, stack: string): Promise<Run> {
  const opts = new Map<string, pulumi.CustomResourceOptions>();
  let secrets!: AppSecrets;
  const cap = await capture(
    () => {
      pulumi.runtime.registerStackTransformation((a) => {
        opts.set(a.name, a.opts);
        return undefined;
      });
      const provider = new aws.Provider("aws", { region: "us-east-1" });
      secrets = new AppSecrets("s", { namePrefix: `activepieces/${stack}`, protect }, { providers: [provider] });
    },
    { stack },
  );
  return { cap, secrets, opts };
}

function valueOf<T>(o: pulumi.Output<T>): Promise<T> {
  return new Promise((resolve) =>
    o.apply((v) => {
      resolve(v);
      return v;
    }),
  );
}

/** The plaintext value a SecretVersion stores (mock inputs keep the secret envelope). */
function stored(cap: Capture, key: string): string {
  const v = cap.one("aws:secretsmanager/secretVersion:SecretVersion", `s-${key}`).inputs.secretString;
  const value = typeof v === "object" && v !== null && SECRET_ENVELOPE in v ? (v as unknown as { value: unknown }).value : v;
  if (typeof value !== "string") throw new Error(`secret ${key} stores ${JSON.stringify(v)}, not a string`);
  return value;
}

/** Custom resources of a run (providers excluded). */
const kept = (r: Run) => r.cap.resources.filter((c) => c.custom && !c.type.startsWith("pulumi:providers:"));

let prod: Run;
let staging: Run;
beforeAll(async () => {
  prod = await run(true, "prod");
  staging = await run(false, "staging");
});

describe("encryption key (random.RandomPassword)", () => {
  it("draws 32 characters from exactly the 16 hex digits, with no keepers", () => {
    const key = prod.cap.one("random:index/randomPassword:RandomPassword", "-encryption-key");
    expect(key.inputs).toEqual({ length: 32, lower: false, upper: false, numeric: true, special: true, overrideSpecial: "abcdef" });
    expect(key.inputs.keepers).toBeUndefined();
  });

  it("stores a value of exactly 32 lowercase hex characters (16 bytes)", () => {
    expect(stored(prod.cap, "encryption-key")).toMatch(/^[0-9a-f]{32}$/);
  });

  it("uses no RandomId or RandomBytes, whose resource id is the value itself in plain state", () => {
    expect(prod.cap.ofType("random:index/randomId:RandomId")).toEqual([]);
    expect(prod.cap.ofType("random:index/randomBytes:RandomBytes")).toEqual([]);
  });
});

describe("JWT secret and Redis auth token (random.RandomPassword)", () => {
  it("generates a 64-character alphanumeric JWT secret without keepers", () => {
    expect(prod.cap.one("random:index/randomPassword:RandomPassword", "-jwt-secret").inputs).toEqual({ length: 64, special: false });
  });

  it('generates a Redis token ElastiCache accepts: 16-128 characters, none of @ " /', () => {
    const token = stored(prod.cap, "redis-auth");
    expect(prod.cap.one("random:index/randomPassword:RandomPassword", "-redis-auth").inputs).toEqual({ length: 64, special: false });
    expect(token.length).toBeGreaterThanOrEqual(16);
    expect(token.length).toBeLessThanOrEqual(128);
    expect(token).not.toMatch(/[@"/]/);
  });
});

describe("worker token", () => {
  it("is an HS256 JWT signed with the JWT secret, header kid 1, issuer activepieces, payload { id, type: WORKER } only", async () => {
    const { jwtVerify, decodeProtectedHeader } = await import("jose");
    const token = stored(prod.cap, "worker-token");
    const workerId = prod.cap.one("random:index/randomUuid:RandomUuid", "-worker-id").outputs.result as string;
    const key = new TextEncoder().encode(stored(prod.cap, "jwt-secret"));
    const { payload } = await jwtVerify(token, key, { issuer: "activepieces", algorithms: ["HS256"] });
    expect(decodeProtectedHeader(token)).toEqual({ alg: "HS256", kid: "1" });
    expect(payload).toEqual({ id: workerId, type: "WORKER", iss: "activepieces" });
    expect(workerId).toMatch(/^[0-9a-f]{8}-[0-9a-f]{4}-4[0-9a-f]{3}-[0-9a-f]{4}-[0-9a-f]{12}$/);
  });

  it("does not verify with another secret", async () => {
    const { jwtVerify } = await import("jose");
    const token = stored(prod.cap, "worker-token");
    await expect(jwtVerify(token, new TextEncoder().encode("another-secret"))).rejects.toThrow(/signature/);
  });

  it("is deterministic: the same secret and id always give the same token (no iat/exp)", async () => {
    const a = await signWorkerToken("s3cret", "00000000-0000-4000-a000-000000000000");
    const b = await signWorkerToken("s3cret", "00000000-0000-4000-a000-000000000000");
    expect(a).toBe(b);
    const payload = JSON.parse(Buffer.from(a.split(".")[1]!, "base64url").toString()) as Record<string, unknown>;
    expect(payload.iat).toBeUndefined();
    expect(payload.exp).toBeUndefined();
  });
});

describe("Secrets Manager secrets", () => {
  it("creates one secret and one version per value, named under the prefix", () => {
    const secrets = prod.cap.ofType("aws:secretsmanager/secret:Secret");
    expect(secrets.map((s) => s.inputs.namePrefix)).toEqual(KEYS.map((k) => `activepieces/prod/${k}-`));
    expect(prod.cap.ofType("aws:secretsmanager/secretVersion:SecretVersion")).toHaveLength(4);
  });

  it("sends every value to the engine as a secret", () => {
    for (const key of KEYS) {
      const raw = prod.cap.one("aws:secretsmanager/secretVersion:SecretVersion", `s-${key}`).rawInputs.secretString;
      expect(raw, key).toMatchObject({ [SECRET_ENVELOPE]: "1b47061264138c4ac30d75fd1eb44270" });
    }
  });

  it("keeps deleted secrets recoverable for 30 days in prod and 7 in staging", () => {
    for (const s of prod.cap.ofType("aws:secretsmanager/secret:Secret")) expect(s.inputs.recoveryWindowInDays).toBe(30);
    for (const s of staging.cap.ofType("aws:secretsmanager/secret:Secret")) expect(s.inputs.recoveryWindowInDays).toBe(7);
  });
});

describe("protection", () => {
  it("protects and retains every generated value, secret and version in prod", () => {
    const resources = kept(prod);
    expect(resources).toHaveLength(12);
    for (const r of resources) {
      expect(prod.opts.get(r.name), r.name).toMatchObject({ protect: true, retainOnDelete: true });
    }
  });

  it("neither protects nor retains anything in staging", () => {
    for (const r of kept(staging)) {
      const o = staging.opts.get(r.name);
      expect(o, r.name).toBeDefined();
      expect(o?.protect, r.name).toBeFalsy();
      expect(o?.retainOnDelete, r.name).toBeFalsy();
    }
  });

  it("keepOptions is the single switch", () => {
    expect(keepOptions(true)).toEqual({ protect: true, retainOnDelete: true });
    expect(keepOptions(false)).toEqual({});
  });
});

describe("AppSecrets outputs", () => {
  it("exposes only Secrets Manager ARNs, in a fixed order", async () => {
    const arns = await Promise.all(prod.secrets.secretArns.map(valueOf));
    expect(arns).toEqual([
      await valueOf(prod.secrets.encryptionKeyArn),
      await valueOf(prod.secrets.jwtSecretArn),
      await valueOf(prod.secrets.workerTokenArn),
      await valueOf(prod.secrets.redisAuthArn),
    ]);
    for (const arn of arns) expect(arn).toMatch(/^arn:aws:secretsmanager:us-east-1:123456789012:secret:s-[a-z-]+-[0-9a-f]{7}-[0-9a-f]{6}$/);
  });

  it("marks the Redis auth token output secret and equal to the stored token", async () => {
    expect(await pulumi.isSecret(prod.secrets.redisAuthToken)).toBe(true);
    expect(await valueOf(prod.secrets.redisAuthToken)).toBe(stored(prod.cap, "redis-auth"));
  });

  it("parents every resource under the component and inherits its provider", () => {
    const component = prod.cap.one("activepieces:secrets:AppSecrets");
    for (const r of kept(prod)) {
      expect(r.parent, r.name).toBe(component.urn);
      if (r.type.startsWith("aws:")) expect(r.provider, r.name).toMatch(/pulumi:providers:aws::aws::aws-provider-id$/);
    }
  });
});
