/**
 * The app's database settings, rendered by this program from the prod plan, against a real
 * PostgreSQL server that is TLS-only like RDS with rds.force_ssl=1 (scripts/postgres/start.sh).
 * The connection is built from the rendered variables exactly as ActivePieces builds it, with
 * verification on. A private test CA stands in for the Amazon RDS CA: the test first checks that
 * the rendered AP_POSTGRES_SSL_CA really is the region's RDS bundle, then swaps only that value.
 */
import { X509Certificate } from "node:crypto";
import type { ConnectionOptions } from "node:tls";
import { Pool, type PoolConfig } from "pg";
import { beforeAll, describe, expect, it } from "vitest";
import { loadStackFile } from "../../config";
import { renderRole, type Endpoints } from "../../contract/render";
import { plan } from "../../sizing/plan";
import { POSTGRES_TEST, postgresAvailable, testCaPem } from "./postgres-env";

type Env = Record<string, string | undefined>;

/**
 * getSslConfig() of ActivePieces, packages/server/api/src/app/database/postgres-connection.ts at
 * 04c19239 (0.83.0), the same at a719b8c0 (0.79.0): TLS only when AP_POSTGRES_USE_SSL is exactly
 * "true", the CA is AP_POSTGRES_SSL_CA with literal `\n` turned into newlines, and nothing else
 * (no rejectUnauthorized: verification stays on). system.get reads process.env["AP_" + prop].
 * ActivePieces declares the result as node's TlsOptions; pg types it as ConnectionOptions. The
 * value is `{ ca }` either way, and both take `ca` the same way.
 */
function apSslConfig(env: Env): boolean | ConnectionOptions {
  const useSsl = env.AP_POSTGRES_USE_SSL;
  if (useSsl === "true") {
    return {
      ca: env.AP_POSTGRES_SSL_CA?.replace(/\\n/g, "\n"),
    };
  }
  return false;
}

/**
 * The pg pool options TypeORM builds from ActivePieces' DataSource (same file, createPostgresDataSource:
 * host, Number.parseInt(port, 10), username, password, database, ssl, poolSize, extra.idleTimeoutMillis),
 * mapped as TypeORM's PostgresDriver.createPool maps them (typeorm src/driver/postgres/PostgresDriver.ts:
 * username -> user, poolSize -> max, connectTimeoutMS -> connectionTimeoutMillis, extra spread last).
 * The connect timeout only keeps a failing test from hanging; ActivePieces does not set one.
 */
function apPoolConfig(env: Env): PoolConfig {
  return {
    host: env.AP_POSTGRES_HOST,
    user: env.AP_POSTGRES_USERNAME,
    password: env.AP_POSTGRES_PASSWORD,
    database: env.AP_POSTGRES_DATABASE,
    port: Number.parseInt(env.AP_POSTGRES_PORT ?? "", 10),
    ssl: apSslConfig(env),
    connectionTimeoutMillis: 10_000,
    max: env.AP_POSTGRES_POOL_SIZE === undefined ? undefined : Number(env.AP_POSTGRES_POOL_SIZE),
    idleTimeoutMillis: Number(env.AP_POSTGRES_IDLE_TIMEOUT_MS),
  };
}

/** Runs `sql` on a fresh pool from `env` and always closes the pool. */
async function query<R extends Record<string, unknown>>(env: Env, sql: string): Promise<R[]> {
  const pool = new Pool(apPoolConfig(env));
  // An idle client's error would otherwise be unhandled (TypeORM attaches the same kind of handler).
  pool.on("error", () => undefined);
  try {
    return (await pool.query<R>(sql)).rows;
  } finally {
    await pool.end();
  }
}

/** The error `env` fails to connect with (and fails the test if it connects). */
async function connectError(env: Env): Promise<Error & { code?: string }> {
  try {
    await query(env, "SELECT 1");
  } catch (err) {
    return err as Error & { code?: string };
  }
  throw new Error("expected the connection to fail, but it succeeded");
}

const PEM_CERT = /-----BEGIN CERTIFICATE-----[\s\S]+?-----END CERTIFICATE-----/g;

const available = postgresAvailable();

describe.skipIf(!available)("the app's rendered database settings against a TLS-only PostgreSQL", () => {
  const prodPlan = plan(loadStackFile("Pulumi.prod.yaml"));
  const endpoints: Endpoints = {
    databaseHost: POSTGRES_TEST.host,
    databasePort: String(POSTGRES_TEST.port),
    databaseName: POSTGRES_TEST.database,
    databaseUser: POSTGRES_TEST.user,
    redisHost: "redis.test.invalid",
    redisPort: "6379",
    bucketName: "ap-test-bucket",
  };
  const rendered = renderRole(prodPlan, "app", endpoints);
  /** The container's environment as rendered, plus the password secret in the variable it is delivered in. */
  let asRendered: Env;
  /** The same, with only the CA swapped for the test CA (which stands in for the RDS bundle). */
  let withTestCa: Env;

  beforeAll(() => {
    const passwordVar = rendered.secrets.find((s) => s.secret === "databasePassword")?.name;
    expect(passwordVar).toBe("AP_POSTGRES_PASSWORD");
    // The password stands in for the Secrets Manager secret ECS injects into that variable.
    asRendered = { ...Object.fromEntries(rendered.environment.map((v) => [v.name, v.value])), [passwordVar!]: POSTGRES_TEST.password };
    withTestCa = { ...asRendered, AP_POSTGRES_SSL_CA: testCaPem() };
  });

  it("renders TLS on and the us-east-1 Amazon RDS CA bundle for the app", () => {
    expect(prodPlan.region).toBe("us-east-1");
    expect(asRendered.AP_POSTGRES_USE_SSL).toBe("true");
    expect(asRendered.AP_POSTGRES_HOST).toBe(POSTGRES_TEST.host);
    expect(asRendered.AP_POSTGRES_PORT).toBe(String(POSTGRES_TEST.port));
    const ca = asRendered.AP_POSTGRES_SSL_CA ?? "";
    expect(ca).toContain("BEGIN CERTIFICATE");
    const certs = ca.match(PEM_CERT) ?? [];
    expect(certs.length).toBeGreaterThan(0);
    for (const pem of certs) {
      const cert = new X509Certificate(pem);
      expect(cert.subject).toContain("Amazon RDS us-east-1");
      expect(cert.ca).toBe(true);
    }
  });

  it("connects over verified TLS when the CA variable holds the CA that signed the server", async () => {
    const [one] = await query<{ one: number }>(withTestCa, "SELECT 1 AS one");
    expect(one?.one).toBe(1);
    const [session] = await query<{ ssl: boolean }>(withTestCa, "SELECT ssl FROM pg_stat_ssl WHERE pid = pg_backend_pid()");
    expect(session?.ssl).toBe(true);
  });

  it("also connects when the CA is given with literal \\n escapes (ActivePieces unescapes them)", async () => {
    const escaped = { ...withTestCa, AP_POSTGRES_SSL_CA: testCaPem().replace(/\n/g, "\\n") };
    expect(escaped.AP_POSTGRES_SSL_CA).not.toContain("\n");
    const [session] = await query<{ ssl: boolean }>(escaped, "SELECT ssl FROM pg_stat_ssl WHERE pid = pg_backend_pid()");
    expect(session?.ssl).toBe(true);
  });

  it("fails certificate verification without the CA variable (Node's default roots)", async () => {
    const { AP_POSTGRES_SSL_CA: _dropped, ...noCa } = withTestCa;
    expect(apSslConfig(noCa)).toEqual({ ca: undefined });
    const err = await connectError(noCa);
    // The server presents its chain up to the self-signed test root, as RDS does; no default root matches.
    expect(err.code).toBe("SELF_SIGNED_CERT_IN_CHAIN");
  });

  it("fails certificate verification with the rendered RDS bundle against the test server (the CA is used)", async () => {
    const err = await connectError(asRendered);
    expect(err.code).toBe("SELF_SIGNED_CERT_IN_CHAIN");
  });

  it("is refused without TLS: pg_hba.conf rejects hostnossl, like RDS with rds.force_ssl=1", async () => {
    const err = await connectError({ ...withTestCa, AP_POSTGRES_USE_SSL: "false" });
    // 28000 invalid_authorization_specification, from the pg_hba.conf `hostnossl ... reject` line.
    expect(err.code).toBe("28000");
    expect(err.message).toMatch(/pg_hba\.conf rejects connection .*no encryption/);
  });
});
