/**
 * The rotation-restart core and handler: ECS stubbed with aws-sdk-client-mock; on EKS a loopback
 * node:http server stands in for the Kubernetes API (and for the EKS API in DescribeCluster), so
 * the exact requests (paths, content type, bodies, bearer token) are asserted.
 */
import { createServer, type IncomingMessage, type Server } from "node:http";
import type { AddressInfo } from "node:net";
import { ECSClient, UpdateServiceCommand } from "@aws-sdk/client-ecs";
import { mockClient } from "aws-sdk-client-mock";
import { afterEach, describe, expect, it } from "vitest";
import { isSecretName } from "../../policies/facts/secrets";
import { describeClusterVia, EKS_TOKEN_PREFIX, eksToken, type AwsCredentials } from "../../functions/rotation-restart/aws";
import { loadConfig, RotationRestartConfigError, type EksRestartConfig, type FargateRestartConfig } from "../../functions/rotation-restart/config";
import { ROTATION_RESTART_ENV, rotationEventPattern } from "../../functions/rotation-restart/contract";
import { createHandler } from "../../functions/rotation-restart/handler";
import { readSecretEvent, restartOnRotation, secretNameOf, type RestartDeps } from "../../functions/rotation-restart/restart";
import type { Logger } from "../../functions/queue-metric/log";

const REGION = "us-east-1";
const SECRET_ARN = "arn:aws:secretsmanager:us-east-1:123456789012:secret:rds!db-0f1e2d3c-4b5a-6978-8877-665544332211-AbCdEf";
const OTHER_ARN = "arn:aws:secretsmanager:us-east-1:123456789012:secret:activepieces/prod/jwt-secret-QwErTy";
const NOW = new Date("2026-03-02T10:00:00.000Z");
const STAMP = NOW.toISOString();
const CREDS: AwsCredentials = {
  accessKeyId: "AKIDEXAMPLE",
  secretAccessKey: "wJalrXUtnFEMI/K7MDENG+bPxRfiCYEXAMPLEKEY",
  sessionToken: "FQoGZXIvYXdzEXAMPLE+token/==",
};

/** The native event Secrets Manager sends when AWSCURRENT moves (shape from the AWS docs example). */
function labelUpdated(arn: string, label = "AWSCURRENT") {
  return {
    version: "0",
    id: "6a7e8feb-b491-4cf7-a9f1-bf3703467718",
    "detail-type": "Secret Label Updated",
    source: "aws.secretsmanager",
    account: "123456789012",
    time: "2026-03-02T09:59:58Z",
    region: REGION,
    resources: [arn],
    detail: { name: secretNameOf(arn), labelUpdated: label, versionId: "a1b2c3d4-5678-90ab-cdef-EXAMPLE11111" },
  };
}

/** The CloudTrail-derived event, as public examples show it for RDS-managed rotation. */
function rotationSucceeded(secretId: string) {
  return {
    "detail-type": "AWS Service Event via CloudTrail",
    source: "aws.secretsmanager",
    resources: [],
    detail: {
      eventSource: "secretsmanager.amazonaws.com",
      eventName: "RotationSucceeded",
      eventType: "AwsServiceEvent",
      additionalEventData: { SecretId: secretId },
    },
  };
}

function recordingLogger() {
  const lines: { level: "info" | "error"; fields: Record<string, unknown> }[] = [];
  const log: Logger = {
    info: (fields) => lines.push({ level: "info", fields }),
    error: (fields) => lines.push({ level: "error", fields }),
  };
  return { log, lines, errors: () => lines.filter((l) => l.level === "error").map((l) => l.fields) };
}

const fargateConfig: FargateRestartConfig = { platform: "fargate", secretArn: SECRET_ARN, region: REGION, cluster: "ap-prod", services: ["ap-prod-app"] };

function ecsStub() {
  const ecs = new ECSClient({ region: REGION, credentials: CREDS });
  const mock = mockClient(ecs);
  mock.on(UpdateServiceCommand).resolves({ service: { serviceName: "x" } });
  return { ecs, mock };
}

describe("event pattern and event reading", () => {
  it("the rule matches the native label event of exactly this secret, moving to AWSCURRENT", () => {
    expect(rotationEventPattern(SECRET_ARN)).toEqual({
      source: ["aws.secretsmanager"],
      "detail-type": ["Secret Label Updated"],
      resources: [SECRET_ARN],
      detail: { labelUpdated: ["AWSCURRENT"] },
    });
  });

  it("reads the secret from the native event and from CloudTrail's RotationSucceeded", () => {
    expect(readSecretEvent(labelUpdated(SECRET_ARN))).toMatchObject({ ids: [SECRET_ARN], rotated: true });
    expect(readSecretEvent(labelUpdated(SECRET_ARN, "MYLABEL"))).toMatchObject({ ids: [SECRET_ARN], rotated: false });
    expect(readSecretEvent(rotationSucceeded(SECRET_ARN))).toMatchObject({ ids: [SECRET_ARN], rotated: true });
    expect(readSecretEvent({ source: "aws.ecs", "detail-type": "ECS Task State Change", detail: {} })).toMatchObject({ ids: [], rotated: false });
    expect(readSecretEvent("not an event")).toMatchObject({ ids: [], rotated: false });
  });

  it("knows a secret's name inside its ARN (Secrets Manager's six-character suffix dropped)", () => {
    expect(secretNameOf(SECRET_ARN)).toBe("rds!db-0f1e2d3c-4b5a-6978-8877-665544332211");
    expect(secretNameOf(OTHER_ARN)).toBe("activepieces/prod/jwt-secret");
  });
});

describe("Fargate: forced deployments", () => {
  it("forces a new deployment of each configured service, on the configured cluster, for the watched secret", async () => {
    const { ecs, mock } = ecsStub();
    const config: FargateRestartConfig = { ...fargateConfig, services: ["ap-prod-app", "ap-prod-extra"] };
    const { log } = recordingLogger();
    const result = await restartOnRotation(labelUpdated(SECRET_ARN), { config, log, ecs });
    expect(result).toEqual({ restarted: true, platform: "fargate", services: ["ap-prod-app", "ap-prod-extra"] });
    expect(mock.commandCalls(UpdateServiceCommand).map((c) => c.args[0].input)).toEqual([
      { cluster: "ap-prod", service: "ap-prod-app", forceNewDeployment: true },
      { cluster: "ap-prod", service: "ap-prod-extra", forceNewDeployment: true },
    ]);
  });

  it("also restarts on CloudTrail's RotationSucceeded naming the secret by ARN or by name", async () => {
    for (const id of [SECRET_ARN, secretNameOf(SECRET_ARN)]) {
      const { ecs, mock } = ecsStub();
      await restartOnRotation(rotationSucceeded(id), { config: fargateConfig, log: recordingLogger().log, ecs });
      expect(mock.commandCalls(UpdateServiceCommand)).toHaveLength(1);
    }
  });

  it("ignores other secrets, other labels and other events, calling nothing", async () => {
    for (const event of [
      labelUpdated(OTHER_ARN),
      rotationSucceeded(OTHER_ARN),
      labelUpdated(SECRET_ARN, "AWSPREVIOUS"),
      { source: "aws.events", detail: {} },
    ]) {
      const { ecs, mock } = ecsStub();
      const { log, lines } = recordingLogger();
      const result = await restartOnRotation(event, { config: fargateConfig, log, ecs });
      expect(result.restarted).toBe(false);
      expect(mock.commandCalls(UpdateServiceCommand)).toHaveLength(0);
      expect(lines).toEqual([{ level: "info", fields: expect.objectContaining({ msg: "event ignored" }) }]);
    }
  });

  it("logs and rethrows a failed UpdateService, after trying every service", async () => {
    const { ecs, mock } = ecsStub();
    mock.on(UpdateServiceCommand, { service: "ap-prod-app" }).rejects(new Error("AccessDeniedException: not authorized to perform ecs:UpdateService"));
    const config: FargateRestartConfig = { ...fargateConfig, services: ["ap-prod-app", "ap-prod-extra"] };
    const { log, errors } = recordingLogger();
    await expect(restartOnRotation(labelUpdated(SECRET_ARN), { config, log, ecs })).rejects.toThrow(/ap-prod-app: AccessDeniedException/);
    expect(mock.commandCalls(UpdateServiceCommand)).toHaveLength(2);
    expect(errors()).toEqual(
      expect.arrayContaining([
        expect.objectContaining({ msg: "rotation restart step failed", stage: "ecs", error: expect.stringContaining("ap-prod-app") }),
        expect.objectContaining({ msg: "rotation restart failed", stage: "ecs", secret: SECRET_ARN }),
      ]),
    );
  });
});

// ---------------------------------------------------------------------------------------------
// EKS: a loopback Kubernetes API.

interface Seen {
  readonly method: string;
  readonly path: string;
  readonly headers: IncomingMessage["headers"];
  readonly body: unknown;
}

interface FakeKube {
  readonly endpoint: string;
  readonly requests: Seen[];
  close(): Promise<void>;
}

type Handler = (req: Seen) => { status: number; body?: unknown };

const servers: Server[] = [];
afterEach(async () => {
  await Promise.all(servers.splice(0).map((s) => new Promise((r) => s.close(r))));
});

async function fakeServer(handle: Handler): Promise<FakeKube> {
  const requests: Seen[] = [];
  const server = createServer((req, res) => {
    const chunks: Buffer[] = [];
    req.on("data", (c: Buffer) => chunks.push(c));
    req.on("end", () => {
      const text = Buffer.concat(chunks).toString("utf8");
      const seen: Seen = { method: req.method ?? "", path: req.url ?? "", headers: req.headers, body: text ? JSON.parse(text) : undefined };
      requests.push(seen);
      const out = handle(seen);
      res.writeHead(out.status, { "content-type": "application/json" });
      res.end(out.body === undefined ? "" : JSON.stringify(out.body));
    });
  });
  servers.push(server);
  await new Promise<void>((r) => server.listen(0, "127.0.0.1", r));
  const { port } = server.address() as AddressInfo;
  return { endpoint: `http://127.0.0.1:${port}`, requests, close: () => new Promise((r) => server.close(() => r())) };
}

const NS = "activepieces";
const ES_PATH = `/apis/external-secrets.io/v1/namespaces/${NS}/externalsecrets/activepieces-app`;
const DEPLOY_PATH = `/apis/apps/v1/namespaces/${NS}/deployments/activepieces-app`;
const FIELD_MANAGER = "?fieldManager=activepieces-rotation-restart";

const eksConfig: EksRestartConfig = {
  platform: "eks",
  secretArn: SECRET_ARN,
  region: REGION,
  cluster: "ap-prod",
  namespace: NS,
  externalSecrets: ["activepieces-app"],
  deployments: ["activepieces-app"],
};

/** External Secrets' side: synced at version "1-old" until `syncAfterGets` reads after the patch. */
function externalSecretsApi(opts: { syncAfterGets: number; ready?: "True" | "False" }): Handler {
  let gets = 0;
  const es = (version: string, ready: string) => ({
    apiVersion: "external-secrets.io/v1",
    kind: "ExternalSecret",
    metadata: { name: "activepieces-app", namespace: NS },
    status: { syncedResourceVersion: version, refreshTime: "2026-03-02T09:00:00Z", conditions: [{ type: "Ready", status: ready, reason: "SecretSynced" }] },
  });
  return (req) => {
    if (req.method === "PATCH" && req.path === ES_PATH + FIELD_MANAGER) return { status: 200, body: es("1-old", "True") };
    if (req.method === "GET" && req.path === ES_PATH) {
      gets += 1;
      return { status: 200, body: gets >= opts.syncAfterGets ? es("1-new", opts.ready ?? "True") : es("1-old", "True") };
    }
    if (req.method === "PATCH" && req.path === DEPLOY_PATH + FIELD_MANAGER) return { status: 200, body: { kind: "Deployment" } };
    return { status: 404, body: { kind: "Status", message: `no route ${req.method} ${req.path}` } };
  };
}

function eksDeps(endpoint: string, overrides: Partial<RestartDeps> = {}): RestartDeps & { lines: ReturnType<typeof recordingLogger> } {
  const lines = recordingLogger();
  return {
    config: eksConfig,
    log: lines.log,
    credentials: () => Promise.resolve(CREDS),
    describeCluster: (name) => (name === "ap-prod" ? Promise.resolve({ endpoint }) : Promise.reject(new Error(`no cluster ${name}`))),
    now: () => NOW,
    pollIntervalMs: 1,
    syncTimeoutMs: 2_000,
    lines,
    ...overrides,
  };
}

/** Decodes an EKS bearer token back to the presigned STS URL it carries. */
function presignedUrl(authorization: string | undefined): URL {
  expect(authorization).toMatch(/^Bearer k8s-aws-v1\.[A-Za-z0-9_-]+$/);
  return new URL(Buffer.from(authorization!.slice("Bearer k8s-aws-v1.".length), "base64url").toString("utf8"));
}

describe("EKS: refresh the Secret, then restart the Deployments", () => {
  it("annotates the ExternalSecret, waits for its sync, then patches the Deployment's pod template, in that order", async () => {
    const kube = await fakeServer(externalSecretsApi({ syncAfterGets: 2 }));
    const deps = eksDeps(kube.endpoint);
    const result = await restartOnRotation(labelUpdated(SECRET_ARN), deps);
    expect(result).toEqual({ restarted: true, platform: "eks", externalSecrets: ["activepieces-app"], deployments: ["activepieces-app"] });

    expect(kube.requests.map((r) => `${r.method} ${r.path}`)).toEqual([
      `PATCH ${ES_PATH}${FIELD_MANAGER}`,
      `GET ${ES_PATH}`,
      `GET ${ES_PATH}`,
      `PATCH ${DEPLOY_PATH}${FIELD_MANAGER}`,
    ]);
    const [esPatch, , , deployPatch] = kube.requests;
    expect(esPatch!.headers["content-type"]).toBe("application/merge-patch+json");
    expect(esPatch!.body).toEqual({ metadata: { annotations: { "force-sync": STAMP } } });
    expect(deployPatch!.headers["content-type"]).toBe("application/merge-patch+json");
    expect(deployPatch!.body).toEqual({ spec: { template: { metadata: { annotations: { "kubectl.kubernetes.io/restartedAt": STAMP } } } } });
    for (const r of kube.requests) presignedUrl(r.headers.authorization);
  });

  it("authenticates with an EKS token: a presigned STS GetCallerIdentity bound to the cluster name", async () => {
    const kube = await fakeServer(externalSecretsApi({ syncAfterGets: 1 }));
    await restartOnRotation(labelUpdated(SECRET_ARN), eksDeps(kube.endpoint));
    const url = presignedUrl(kube.requests[0]!.headers.authorization);
    const q = url.searchParams;
    expect(url.origin).toBe("https://sts.us-east-1.amazonaws.com");
    expect(url.pathname).toBe("/");
    expect(q.get("Action")).toBe("GetCallerIdentity");
    expect(q.get("Version")).toBe("2011-06-15");
    expect(q.get("X-Amz-Algorithm")).toBe("AWS4-HMAC-SHA256");
    expect(q.get("X-Amz-Credential")).toBe("AKIDEXAMPLE/20260302/us-east-1/sts/aws4_request");
    expect(q.get("X-Amz-Date")).toBe("20260302T100000Z");
    expect(q.get("X-Amz-Expires")).toBe("60");
    expect(q.get("X-Amz-SignedHeaders")).toBe("host;x-k8s-aws-id");
    expect(q.get("X-Amz-Security-Token")).toBe(CREDS.sessionToken);
    expect(q.get("X-Amz-Signature")).toMatch(/^[0-9a-f]{64}$/);
    // aws-iam-authenticator rejects any other query parameter (pkg/token/token.go parameterWhitelist).
    expect([...q.keys()].sort()).toEqual([
      "Action",
      "Version",
      "X-Amz-Algorithm",
      "X-Amz-Credential",
      "X-Amz-Date",
      "X-Amz-Expires",
      "X-Amz-Security-Token",
      "X-Amz-Signature",
      "X-Amz-SignedHeaders",
    ]);
  });

  it("makes the token the way `aws eks get-token` does: deterministic, unpadded base64url, signature bound to the cluster", async () => {
    const a = await eksToken({ clusterName: "ap-prod", region: REGION, credentials: CREDS, now: NOW });
    const b = await eksToken({ clusterName: "ap-prod", region: REGION, credentials: CREDS, now: NOW });
    const other = await eksToken({ clusterName: "ap-staging", region: REGION, credentials: CREDS, now: NOW });
    expect(a.startsWith(EKS_TOKEN_PREFIX)).toBe(true);
    expect(a).not.toMatch(/[=+/]/);
    expect(a).toBe(b);
    const sig = (t: string) => new URL(Buffer.from(t.slice(EKS_TOKEN_PREFIX.length), "base64url").toString()).searchParams.get("X-Amz-Signature");
    expect(sig(other)).not.toBe(sig(a));
  });

  it("does not restart anything when External Secrets does not sync in time, and says why", async () => {
    const kube = await fakeServer(externalSecretsApi({ syncAfterGets: Infinity }));
    const deps = eksDeps(kube.endpoint, { syncTimeoutMs: 30 });
    await expect(restartOnRotation(labelUpdated(SECRET_ARN), deps)).rejects.toThrow(/activepieces-app: not synced within 30 ms after force-sync=/);
    expect(kube.requests.some((r) => r.path.startsWith(DEPLOY_PATH))).toBe(false);
    expect(deps.lines.errors()).toEqual(expect.arrayContaining([expect.objectContaining({ msg: "rotation restart failed", stage: "refresh" })]));
  });

  it("waits for Ready=True, not just a new synced version", async () => {
    const kube = await fakeServer(externalSecretsApi({ syncAfterGets: 1, ready: "False" }));
    await expect(restartOnRotation(labelUpdated(SECRET_ARN), eksDeps(kube.endpoint, { syncTimeoutMs: 30 }))).rejects.toThrow(/Ready=False/);
    expect(kube.requests.some((r) => r.path.startsWith(DEPLOY_PATH))).toBe(false);
  });

  it("logs and rethrows a Kubernetes API refusal with the server's message", async () => {
    const kube = await fakeServer(() => ({ status: 403, body: { kind: "Status", message: 'deployments.apps "activepieces-app" is forbidden' } }));
    const deps = eksDeps(kube.endpoint);
    await expect(restartOnRotation(labelUpdated(SECRET_ARN), deps)).rejects.toThrow(/HTTP 403 .*forbidden/);
    expect(deps.lines.errors().map((e) => e.stage)).toContain("refresh");
  });

  it("logs and rethrows a failed DescribeCluster", async () => {
    const deps = eksDeps("http://127.0.0.1:1", { describeCluster: () => Promise.reject(new Error("AccessDeniedException")) });
    await expect(restartOnRotation(labelUpdated(SECRET_ARN), deps)).rejects.toThrow("AccessDeniedException");
    expect(deps.lines.errors()).toEqual([expect.objectContaining({ stage: "describe-cluster", error: "AccessDeniedException" })]);
  });

  it("ignores other secrets without calling the cluster", async () => {
    const kube = await fakeServer(externalSecretsApi({ syncAfterGets: 1 }));
    const result = await restartOnRotation(labelUpdated(OTHER_ARN), eksDeps(kube.endpoint));
    expect(result.restarted).toBe(false);
    expect(kube.requests).toEqual([]);
  });

  it("DescribeCluster is a SigV4-signed GET /clusters/{name} to EKS, read for endpoint and CA", async () => {
    const eksApi = await fakeServer((req) =>
      req.path === "/clusters/ap-prod"
        ? {
            status: 200,
            body: { cluster: { name: "ap-prod", endpoint: "https://ABC.gr7.us-east-1.eks.amazonaws.com", certificateAuthority: { data: "Q0E=" } } },
          }
        : { status: 404, body: { message: "not found" } },
    );
    const describe = describeClusterVia({ region: REGION, credentials: () => Promise.resolve(CREDS), apiEndpoint: eksApi.endpoint });
    expect(await describe("ap-prod")).toEqual({ endpoint: "https://ABC.gr7.us-east-1.eks.amazonaws.com", caData: "Q0E=" });
    const auth = eksApi.requests[0]!.headers.authorization;
    expect(auth).toMatch(
      /^AWS4-HMAC-SHA256 Credential=AKIDEXAMPLE\/\d{8}\/us-east-1\/eks\/aws4_request, SignedHeaders=[a-z0-9;-]*host[a-z0-9;-]*, Signature=[0-9a-f]{64}$/,
    );
    expect(eksApi.requests[0]!.headers["x-amz-security-token"]).toBe(CREDS.sessionToken);
    await expect(describe("missing")).rejects.toThrow(/DescribeCluster missing: HTTP 404/);
  });
});

describe("configuration and handler", () => {
  const E = ROTATION_RESTART_ENV;
  const fargateEnv = { [E.secretArn]: SECRET_ARN, [E.region]: REGION, [E.platform]: "fargate", [E.ecsCluster]: "ap-prod", [E.ecsServices]: "ap-prod-app" };

  it("reads both platforms' environments", () => {
    expect(loadConfig(fargateEnv)).toEqual(fargateConfig);
    expect(
      loadConfig({
        [E.secretArn]: SECRET_ARN,
        [E.region]: REGION,
        [E.platform]: "eks",
        [E.eksCluster]: "ap-prod",
        [E.namespace]: NS,
        [E.syncObjects]: "activepieces-app",
        [E.deployments]: "activepieces-app",
      }),
    ).toEqual(eksConfig);
  });

  it("lists every problem at once", () => {
    let err: unknown;
    try {
      loadConfig({ [E.secretArn]: "not-an-arn", [E.platform]: "eks", [E.namespace]: "Bad_NS", [E.deployments]: "ok,Bad_Name" });
    } catch (e) {
      err = e;
    }
    expect(err).toBeInstanceOf(RotationRestartConfigError);
    const problems = (err as RotationRestartConfigError).problems.join("\n");
    for (const v of [E.secretArn, E.region, E.eksCluster, E.namespace, E.syncObjects, E.deployments]) expect(problems).toContain(v);
    expect(() => loadConfig({ ...fargateEnv, [E.platform]: "ecs" })).toThrow(/RESTART_PLATFORM: "fargate" or "eks"/);
  });

  it("names no variable the policy pack would read as a literal secret", () => {
    for (const name of Object.values(E)) expect(isSecretName(name)).toBe(false);
  });

  it("the handler restarts through the real entry point and rethrows a configuration error after logging it", async () => {
    const { ecs, mock } = ecsStub();
    const { log, errors } = recordingLogger();
    const handler = createHandler({ env: fargateEnv, ecs, log });
    await expect(handler(labelUpdated(SECRET_ARN))).resolves.toMatchObject({ restarted: true });
    expect(mock.commandCalls(UpdateServiceCommand)).toHaveLength(1);

    const broken = createHandler({ env: { ...fargateEnv, [E.ecsServices]: "" }, ecs, log });
    await expect(broken(labelUpdated(SECRET_ARN))).rejects.toThrow(RotationRestartConfigError);
    expect(errors()).toEqual([expect.objectContaining({ stage: "config" })]);
  });
});
