/**
 * The loopback Redis servers scripts/redis/start.sh starts (defaults must match it), and the rule
 * for skipping: only when redis-server is not installed AND this is not CI. In CI a missing server
 * fails the run instead.
 */
import { execFileSync, spawnSync } from "node:child_process";
import { readFileSync } from "node:fs";
import * as path from "node:path";
import type { RedisOptions } from "ioredis";
import { ioredisFactory, type RedisConnection, type RedisFactory } from "../functions/queue-metric/redis";

const env = process.env;
const dir = env.REDIS_TEST_DIR ?? "/tmp/queue-metric-redis";

export const REDIS_TEST = {
  host: "127.0.0.1",
  port: Number(env.REDIS_TEST_PORT ?? 6391),
  tlsPort: Number(env.REDIS_TEST_TLS_PORT ?? 6392),
  password: env.REDIS_TEST_PASSWORD ?? "queue-metric-test-pass",
  certPath: path.join(dir, "tls.crt"),
  /** A loopback port nothing listens on, for the unreachable case. */
  closedPort: Number(env.REDIS_TEST_CLOSED_PORT ?? 6393),
} as const;

const START_SCRIPT = path.join(__dirname, "..", "scripts", "redis", "start.sh");

export const redisInstalled = spawnSync("sh", ["-c", "command -v redis-server"], { stdio: "ignore" }).status === 0;
export const inCI = Boolean(env.CI);
export const skipIntegration = !redisInstalled && !inCI;
export const SKIP_MESSAGE =
  "queue-metric integration tests skipped: redis-server is not installed (apt-get install redis-server, or run scripts/redis/start.sh); they never skip in CI";

/** Starts the servers if needed (idempotent) and fails with the script's output if it cannot. */
export function ensureRedis(): void {
  if (!redisInstalled && inCI) {
    throw new Error("redis-server is not installed in CI: .ci/run must run scripts/redis/start.sh before the tests");
  }
  try {
    execFileSync("bash", [START_SCRIPT], { stdio: "pipe", timeout: 120_000 });
  } catch (err) {
    const e = err as { stdout?: Buffer; stderr?: Buffer };
    throw new Error(`scripts/redis/start.sh failed:\n${e.stdout?.toString() ?? ""}${e.stderr?.toString() ?? ""}`);
  }
}

export interface TestServer {
  readonly name: "plain" | "tls";
  readonly tls: boolean;
  readonly port: number;
}
export const SERVERS: readonly TestServer[] = [
  { name: "plain", tls: false, port: REDIS_TEST.port },
  { name: "tls", tls: true, port: REDIS_TEST.tlsPort },
];

export function testCa(): Buffer {
  return readFileSync(REDIS_TEST.certPath);
}

/** ioredis options for BullMQ and direct checks against one server and database. */
export function connectionOptions(server: TestServer, db: number): RedisOptions {
  return {
    host: REDIS_TEST.host,
    port: server.port,
    password: REDIS_TEST.password,
    db,
    ...(server.tls ? { tls: { ca: testCa() } } : {}),
    maxRetriesPerRequest: null,
  };
}

/** The production factory, trusting the test certificate and selecting one database per test file. */
export function testFactory(server: TestServer, db: number, trustTestCa = true): RedisFactory {
  return ioredisFactory({ db, ...(server.tls && trustTestCa ? { tls: { ca: testCa() } } : {}) });
}

export function connectionFor(server: TestServer, password: string = REDIS_TEST.password): RedisConnection {
  return { host: REDIS_TEST.host, port: server.port, tls: server.tls, password };
}
