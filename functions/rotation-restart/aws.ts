/**
 * The two AWS calls the EKS path needs, signed with Signature V4 from @smithy/signature-v4 (the
 * signer the AWS SDK itself uses): EKS DescribeCluster (endpoint and CA of the Kubernetes API),
 * and the presigned STS GetCallerIdentity URL that is an EKS bearer token.
 */
import { createHash, createHmac, type Hash, type Hmac } from "node:crypto";
import { SignatureV4 } from "@smithy/signature-v4";
import { request } from "./http";

export interface AwsCredentials {
  readonly accessKeyId: string;
  readonly secretAccessKey: string;
  readonly sessionToken?: string;
}

export type CredentialsProvider = () => Promise<AwsCredentials>;

type Data = string | ArrayBuffer | ArrayBufferView;

function bytes(d: Data): Buffer {
  if (typeof d === "string") return Buffer.from(d, "utf8");
  if (ArrayBuffer.isView(d)) return Buffer.from(d.buffer, d.byteOffset, d.byteLength);
  return Buffer.from(d);
}

/** SHA-256 / HMAC-SHA-256 for the signer, from node:crypto (what @smithy/hash-node does). */
export class Sha256 {
  private hash: Hash | Hmac;
  constructor(private readonly secret?: Data) {
    this.hash = this.fresh();
  }
  private fresh(): Hash | Hmac {
    return this.secret === undefined ? createHash("sha256") : createHmac("sha256", bytes(this.secret));
  }
  update(data: Data): void {
    this.hash.update(bytes(data));
  }
  digest(): Promise<Uint8Array> {
    return Promise.resolve(new Uint8Array(this.hash.digest()));
  }
  reset(): void {
    this.hash = this.fresh();
  }
}

/** Lambda puts its execution role's credentials in these variables (Lambda "Defined runtime environment variables"). */
export function credentialsFromEnv(env: Readonly<Record<string, string | undefined>>): CredentialsProvider {
  return () => {
    const accessKeyId = env.AWS_ACCESS_KEY_ID;
    const secretAccessKey = env.AWS_SECRET_ACCESS_KEY;
    if (!accessKeyId || !secretAccessKey) return Promise.reject(new Error("no AWS credentials in AWS_ACCESS_KEY_ID / AWS_SECRET_ACCESS_KEY"));
    return Promise.resolve({ accessKeyId, secretAccessKey, sessionToken: env.AWS_SESSION_TOKEN || undefined });
  };
}

/** The header that binds an EKS token to one cluster (aws-iam-authenticator, `aws eks get-token`). */
export const EKS_CLUSTER_ID_HEADER = "x-k8s-aws-id";
export const EKS_TOKEN_PREFIX = "k8s-aws-v1.";
/** What `aws eks get-token` presigns with; the token is built fresh for every request anyway. */
const TOKEN_URL_EXPIRES_SECONDS = 60;

function queryString(query: Record<string, string | string[] | null>): string {
  return Object.keys(query)
    .sort()
    .flatMap((k) => {
      const v = query[k];
      const values = v === null || v === undefined ? [] : Array.isArray(v) ? v : [v];
      return values.map((x) => `${encodeURIComponent(k)}=${encodeURIComponent(x)}`);
    })
    .join("&");
}

/**
 * An EKS bearer token, as `aws eks get-token` makes it: a presigned STS GetCallerIdentity URL whose
 * signed headers include `x-k8s-aws-id: <cluster>`, base64url without padding, after `k8s-aws-v1.`.
 * The API server's authenticator calls STS with it and maps the role to its access entry.
 * Same steps as awscli/customizations/eks/get_token.py (TokenGenerator.get_token: presign
 * get_caller_identity with the header, ExpiresIn 60, urlsafe base64 with '=' stripped). What the
 * server accepts (aws-iam-authenticator pkg/token/token.go, Verify): https, a regional or global STS
 * host, path "/", only the Action/Version/X-Amz-* query parameters, x-k8s-aws-id among the signed
 * headers, X-Amz-Expires <= 900; valid for 15 minutes after X-Amz-Date.
 */
export async function eksToken(opts: {
  readonly clusterName: string;
  readonly region: string;
  readonly credentials: AwsCredentials;
  readonly now?: Date;
}): Promise<string> {
  const hostname = `sts.${opts.region}.amazonaws.com`;
  const signer = new SignatureV4({ credentials: opts.credentials, region: opts.region, service: "sts", sha256: Sha256 });
  const signed = await signer.presign(
    {
      method: "GET",
      protocol: "https:",
      hostname,
      path: "/",
      query: { Action: "GetCallerIdentity", Version: "2011-06-15" },
      headers: { host: hostname, [EKS_CLUSTER_ID_HEADER]: opts.clusterName },
    },
    { expiresIn: TOKEN_URL_EXPIRES_SECONDS, signingDate: opts.now },
  );
  const url = `https://${hostname}/?${queryString(signed.query as Record<string, string | string[] | null>)}`;
  return EKS_TOKEN_PREFIX + Buffer.from(url, "utf8").toString("base64url");
}

/** Where the Kubernetes API of a cluster is and which CA signs its certificate. */
export interface ClusterAccess {
  readonly endpoint: string;
  /** Base64 PEM, as EKS returns `certificateAuthority.data`. */
  readonly caData?: string;
}

export type DescribeCluster = (name: string) => Promise<ClusterAccess>;

/**
 * EKS DescribeCluster (`GET /clusters/{name}`), the only IAM action the function's role has on
 * EKS. https://docs.aws.amazon.com/eks/latest/APIReference/API_DescribeCluster.html
 * `apiEndpoint` replaces https://eks.<region>.amazonaws.com in tests.
 */
export function describeClusterVia(opts: {
  readonly region: string;
  readonly credentials: CredentialsProvider;
  readonly apiEndpoint?: string;
  readonly timeoutMs?: number;
}): DescribeCluster {
  return async (name) => {
    const base = new URL(opts.apiEndpoint ?? `https://eks.${opts.region}.amazonaws.com`);
    const path = `/clusters/${encodeURIComponent(name)}`;
    const signer = new SignatureV4({ credentials: await opts.credentials(), region: opts.region, service: "eks", sha256: Sha256 });
    const signed = await signer.sign({
      method: "GET",
      protocol: base.protocol,
      hostname: base.hostname,
      port: base.port ? Number(base.port) : undefined,
      path,
      query: {},
      headers: { host: base.host, accept: "application/json" },
    });
    const res = await request(new URL(path, base), { method: "GET", headers: signed.headers, timeoutMs: opts.timeoutMs ?? 10_000 });
    if (res.status !== 200) throw new Error(`DescribeCluster ${name}: HTTP ${res.status} ${res.body.slice(0, 300)}`);
    const cluster = (JSON.parse(res.body) as { cluster?: { endpoint?: string; certificateAuthority?: { data?: string } } }).cluster;
    if (!cluster?.endpoint) throw new Error(`DescribeCluster ${name}: the answer has no cluster endpoint`);
    return { endpoint: cluster.endpoint, caData: cluster.certificateAuthority?.data };
  };
}
