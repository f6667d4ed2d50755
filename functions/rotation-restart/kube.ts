import { FIELD_MANAGER } from "./contract";
import { request } from "./http";

/** How to reach one cluster's Kubernetes API. */
export interface KubeConnection {
  /** https://<id>.<region>.eks.amazonaws.com (or a loopback stand-in in tests). */
  readonly endpoint: string;
  /** Base64 PEM of the cluster CA (EKS `certificateAuthority.data`). */
  readonly caData?: string;
  /** A fresh bearer token for each request (EKS tokens are short-lived presigned URLs). */
  readonly token: () => Promise<string>;
  readonly timeoutMs?: number;
}

/** A Kubernetes API answer other than 2xx, with the Status message the server gave. */
export class KubeApiError extends Error {
  constructor(
    readonly status: number,
    readonly method: string,
    readonly path: string,
    message: string,
  ) {
    super(`${method} ${path}: HTTP ${status} ${message}`);
    this.name = "KubeApiError";
  }
}

/** The patch type `kubectl annotate` and `kubectl rollout restart` send for built-in and custom kinds alike. */
export const MERGE_PATCH = "application/merge-patch+json";

async function call(conn: KubeConnection, method: "GET" | "PATCH", path: string, body?: unknown): Promise<unknown> {
  const headers: Record<string, string> = { authorization: `Bearer ${await conn.token()}`, accept: "application/json" };
  if (body !== undefined) headers["content-type"] = MERGE_PATCH;
  const res = await request(new URL(path, conn.endpoint), {
    method,
    headers,
    body: body === undefined ? undefined : JSON.stringify(body),
    ca: conn.caData ? Buffer.from(conn.caData, "base64").toString("utf8") : undefined,
    timeoutMs: conn.timeoutMs ?? 10_000,
  });
  let parsed: unknown;
  try {
    parsed = res.body ? JSON.parse(res.body) : undefined;
  } catch {
    parsed = undefined;
  }
  if (res.status < 200 || res.status >= 300) {
    const message = (parsed as { message?: string } | undefined)?.message ?? res.body.slice(0, 300);
    throw new KubeApiError(res.status, method, path, message);
  }
  return parsed;
}

export const kubeGet = (conn: KubeConnection, path: string) => call(conn, "GET", path);

/** JSON merge patch, recorded under the function's own field manager. */
export const kubeMergePatch = (conn: KubeConnection, path: string, patch: unknown) =>
  call(conn, "PATCH", `${path}?fieldManager=${encodeURIComponent(FIELD_MANAGER)}`, patch);
