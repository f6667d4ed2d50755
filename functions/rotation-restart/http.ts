import * as http from "node:http";
import * as https from "node:https";

export interface HttpResponse {
  readonly status: number;
  readonly body: string;
}

export interface HttpRequestOptions {
  readonly method: "GET" | "PATCH";
  readonly headers: Readonly<Record<string, string>>;
  readonly body?: string;
  /** PEM bundle to trust instead of Node's store (the cluster CA of the Kubernetes API). */
  readonly ca?: string;
  readonly timeoutMs: number;
}

/**
 * One request, the whole body read as text. `https:` verifies the server against `ca` (or Node's
 * store); `http:` exists for the tests' loopback stand-ins and is never what AWS returns.
 */
export function request(url: URL, opts: HttpRequestOptions): Promise<HttpResponse> {
  return new Promise((resolve, reject) => {
    const headers: Record<string, string> = { ...opts.headers };
    if (opts.body !== undefined) headers["content-length"] = String(Buffer.byteLength(opts.body));
    const options = { method: opts.method, headers, timeout: opts.timeoutMs };
    const onResponse = (res: http.IncomingMessage) => {
      const chunks: Buffer[] = [];
      res.on("data", (c: Buffer) => chunks.push(c));
      res.on("end", () => resolve({ status: res.statusCode ?? 0, body: Buffer.concat(chunks).toString("utf8") }));
      res.on("error", reject);
    };
    const req = url.protocol === "https:" ? https.request(url, { ...options, ca: opts.ca }, onResponse) : http.request(url, options, onResponse);
    req.on("timeout", () => req.destroy(new Error(`${opts.method} ${url.host}${url.pathname}: no answer within ${opts.timeoutMs} ms`)));
    req.on("error", reject);
    if (opts.body !== undefined) req.write(opts.body);
    req.end();
  });
}
