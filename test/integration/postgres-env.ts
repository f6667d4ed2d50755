/**
 * The loopback TLS-only PostgreSQL server scripts/postgres/start.sh starts (defaults must match
 * it), and the rule for skipping: only when that server is not running AND this is not CI. In CI
 * a missing server fails the run instead (.ci/run starts it before the tests).
 */
import { spawnSync } from "node:child_process";
import { existsSync, readFileSync } from "node:fs";
import * as path from "node:path";

const env = process.env;
const dir = env.PG_TEST_DIR ?? "/tmp/ap-postgres-tls";

export const POSTGRES_TEST = {
  host: "127.0.0.1",
  port: Number(env.PG_TEST_PORT ?? 6432),
  user: env.PG_TEST_USER ?? "activepieces",
  password: env.PG_TEST_PASSWORD ?? "ap-test-pass",
  database: env.PG_TEST_DATABASE ?? "activepieces",
  /** The private CA that signed the server's certificate (start.sh makes it). */
  caPath: path.join(dir, "ca.crt"),
} as const;

export const inCI = Boolean(env.CI);
export const SKIP_MESSAGE =
  "postgres TLS integration tests skipped: no test server on " +
  `${POSTGRES_TEST.host}:${POSTGRES_TEST.port} (run bash scripts/postgres/start.sh); they never skip in CI`;

/**
 * Whether the test server is there: its CA file exists and its port accepts a TCP connection.
 * Checked synchronously (in a child node process) because describe.skipIf needs the answer when
 * the file is collected. Not there: false locally (with a warning), an error under CI.
 */
export function postgresAvailable(): boolean {
  const probe = spawnSync(
    process.execPath,
    [
      "-e",
      `const s = require("node:net").connect(${POSTGRES_TEST.port}, ${JSON.stringify(POSTGRES_TEST.host)});
       s.setTimeout(2000, () => process.exit(1));
       s.on("connect", () => process.exit(0));
       s.on("error", () => process.exit(1));`,
    ],
    { stdio: "ignore", timeout: 5000 },
  );
  const up = existsSync(POSTGRES_TEST.caPath) && probe.status === 0;
  if (up) return true;
  if (inCI) {
    throw new Error(
      `the postgres test server is not running in CI (${POSTGRES_TEST.host}:${POSTGRES_TEST.port}, CA ${POSTGRES_TEST.caPath}): ` +
        ".ci/run must run scripts/postgres/start.sh before the tests",
    );
  }
  console.warn(SKIP_MESSAGE);
  return false;
}

/** The test CA as PEM text: what stands in for the Amazon RDS bundle. */
export function testCaPem(): string {
  return readFileSync(POSTGRES_TEST.caPath, "utf8");
}
