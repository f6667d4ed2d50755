import Redis, { type RedisOptions } from "ioredis";
import { BACKLOG_KEYS, BACKLOG_PARTS, QUEUE_META_KEY, type BacklogKey, type BacklogPart } from "../../queue/keys";
import { BACKLOG_SCORE_RANGE, PARKED_SCORE_RANGE } from "../../queue/lanes";

/** Where and how to connect; the password comes from Secrets Manager, never from the environment. */
export interface RedisConnection {
  readonly host: string;
  readonly port: number;
  readonly tls: boolean;
  readonly password?: string;
}

/**
 * The commands the function queues in one MULTI; an ioredis `multi()` satisfies it. Replies come
 * back from `exec` in the order the commands were queued, each as `[error, result]`.
 */
export interface QueueReadTransaction {
  exists(key: string): unknown;
  type(key: string): unknown;
  zcount(key: string, min: string | number, max: string | number): unknown;
  llen(key: string): unknown;
  exec(): Promise<Array<[Error | null, unknown]> | null>;
}

/** The few commands the function sends; an ioredis client satisfies it. */
export interface QueueRedis {
  connect(): Promise<unknown>;
  multi(): QueueReadTransaction;
  quit(): Promise<unknown>;
  disconnect(): void;
  on(event: "error", listener: (err: Error) => void): unknown;
}

export type RedisFactory = (connection: RedisConnection) => QueueRedis;

/**
 * Fails fast instead of retrying: the function runs every minute, and a missed minute leaves the
 * scaling policy where it was, which is what we want during an outage. TLS verifies the server
 * certificate against Node's CA bundle (ElastiCache's certificates chain to Amazon's public CAs).
 */
export const REDIS_CLIENT_DEFAULTS: RedisOptions = {
  lazyConnect: true,
  connectTimeout: 3_000,
  commandTimeout: 3_000,
  maxRetriesPerRequest: 0,
  enableOfflineQueue: false,
  retryStrategy: () => null,
  connectionName: "activepieces-queue-metric",
};

/** The production factory; `extra` lets tests add a CA for a self-signed certificate or pick a db. */
export function ioredisFactory(extra: RedisOptions = {}): RedisFactory {
  return (c) =>
    new Redis({
      ...REDIS_CLIENT_DEFAULTS,
      host: c.host,
      port: c.port,
      password: c.password,
      ...extra,
      tls: c.tls ? { ...extra.tls } : undefined,
    });
}

/** One reading of the queue: the backlog and its parts, one per key in BACKLOG_KEYS. */
export interface BacklogReading {
  /** prioritized + wait + active: jobs that need a worker slot now, waiting or running. */
  readonly backlog: number;
  /** Waiting in the prioritized set, lanes 1-5 (ahead of the rate-limit lane). */
  readonly prioritized: number;
  /** Waiting in the `:wait` list: stalled jobs moved back, jobs added without a priority. */
  readonly wait: number;
  /** Held by a worker now. */
  readonly active: number;
  /** Parked in the rate-limit lane (their project is at its concurrency limit): logged, not counted. */
  readonly parked: number;
}

/** A Redis problem that must not become a metric. */
export class BacklogReadError extends Error {
  constructor(message: string, options?: { cause?: unknown }) {
    super(message, options);
    this.name = "BacklogReadError";
  }
}

const TYPE_NAMES: Record<BacklogKey["type"], string> = { zset: "a sorted set (zset)", list: "a list" };

/** One queued command, named for error messages. */
interface Read {
  readonly command: "EXISTS" | "TYPE" | "ZCOUNT" | "LLEN";
  readonly key: string;
  readonly queue: (tx: QueueReadTransaction) => unknown;
}

const P = BACKLOG_KEYS.prioritized.key;
const W = BACKLOG_KEYS.wait.key;
const A = BACKLOG_KEYS.active.key;
const typeOf = (key: string): Read => ({ command: "TYPE", key, queue: (tx) => tx.type(key) });

/** Every command of one reading, in MULTI order; replies are matched back by these names. */
const READS = {
  metaExists: { command: "EXISTS", key: QUEUE_META_KEY, queue: (tx) => tx.exists(QUEUE_META_KEY) },
  prioritizedType: typeOf(P),
  waitType: typeOf(W),
  activeType: typeOf(A),
  prioritized: { command: "ZCOUNT", key: P, queue: (tx) => tx.zcount(P, BACKLOG_SCORE_RANGE.min, BACKLOG_SCORE_RANGE.max) },
  parked: { command: "ZCOUNT", key: P, queue: (tx) => tx.zcount(P, PARKED_SCORE_RANGE.min, PARKED_SCORE_RANGE.max) },
  wait: { command: "LLEN", key: W, queue: (tx) => tx.llen(W) },
  active: { command: "LLEN", key: A, queue: (tx) => tx.llen(A) },
} as const satisfies Record<`${BacklogPart}Type` | BacklogPart | "metaExists" | "parked", Read>;
type ReadName = keyof typeof READS;
const READ_NAMES = Object.keys(READS) as ReadName[];

/**
 * Reads the backlog through keys.ts and lanes.ts only, in one MULTI/EXEC: one round trip, and one
 * consistent snapshot. BullMQ moves a job between these keys inside a Lua script (prioritized ->
 * active in moveToActive, active -> wait in moveStalledJobsToWait), and no script runs between
 * the commands of a transaction, so a job moving at that moment is counted exactly once.
 * Refuses to report a number when the queue was never opened under this prefix and name (a wrong
 * key reads 0) or a key is not of the type BullMQ 5 keeps it as.
 */
export async function readBacklog(redis: QueueRedis): Promise<BacklogReading> {
  const tx = redis.multi();
  for (const name of READ_NAMES) READS[name].queue(tx);
  let replies: Array<[Error | null, unknown]> | null;
  try {
    replies = await tx.exec();
  } catch (err) {
    throw new BacklogReadError(`reading ${BACKLOG_PARTS.map((p) => BACKLOG_KEYS[p].key).join(", ")} failed: ${messageOf(err)}`, { cause: err });
  }
  if (!replies || replies.length !== READ_NAMES.length) {
    throw new BacklogReadError(`MULTI/EXEC gave ${replies ? replies.length : "no"} replies, expected ${READ_NAMES.length}`);
  }
  const reply = Object.fromEntries(READ_NAMES.map((name, i) => [name, replies[i]!])) as Record<ReadName, [Error | null, unknown]>;

  // A wrong type first: it is the cause of the WRONGTYPE error its count then gets. Inside EXEC
  // that error fails only its own command; a command Redis cannot queue fails the whole EXEC
  // (EXECABORT), caught above. https://redis.io/docs/latest/develop/reference/errors/common/execabort/
  for (const part of BACKLOG_PARTS) {
    const [err, type] = reply[`${part}Type`];
    const { key, type: expected } = BACKLOG_KEYS[part];
    if (!err && type !== expected && type !== "none") {
      throw new BacklogReadError(`${key} is a ${String(type)}, expected ${TYPE_NAMES[expected]}: wrong key or not a BullMQ 5 queue`);
    }
  }
  for (const name of READ_NAMES) {
    const [err] = reply[name];
    if (err) throw new BacklogReadError(`reading ${READS[name].key} failed: ${messageOf(err)}`, { cause: err });
  }
  if (reply.metaExists[1] !== 1) {
    throw new BacklogReadError(`${QUEUE_META_KEY} does not exist: no BullMQ queue was opened under this prefix and name, so the backlog keys would read 0`);
  }
  const count = (name: BacklogPart | "parked"): number => {
    const n = reply[name][1];
    if (typeof n !== "number" || !Number.isInteger(n) || n < 0) {
      throw new BacklogReadError(`${READS[name].command} on ${READS[name].key} gave no count (got ${String(n)})`);
    }
    return n;
  };
  const prioritized = count("prioritized");
  const wait = count("wait");
  const active = count("active");
  return { backlog: prioritized + wait + active, prioritized, wait, active, parked: count("parked") };
}

/**
 * Connects, reads, and always closes. ioredis reports the cause of a failed connect (refused,
 * WRONGPASS, NOAUTH, certificate) on its `error` event and rejects with "Connection is closed",
 * so the first event's message is kept and reported.
 */
export function readBacklogOnce(createRedis: RedisFactory, connection: RedisConnection): Promise<BacklogReading> {
  return withRedis(createRedis, connection, readBacklog);
}

/**
 * The backlog of a plain Redis list (a workload profile's `queue` key): its length, reported as
 * `wait`. A key of another type is refused (a wrong key must not read 0); a missing key is empty.
 */
export async function readListLength(redis: QueueRedis, key: string): Promise<BacklogReading> {
  const tx = redis.multi();
  tx.type(key);
  tx.llen(key);
  let replies: Array<[Error | null, unknown]> | null;
  try {
    replies = await tx.exec();
  } catch (err) {
    throw new BacklogReadError(`reading ${key} failed: ${messageOf(err)}`, { cause: err });
  }
  const [typeReply, lenReply] = replies ?? [];
  if (!typeReply || !lenReply) throw new BacklogReadError(`MULTI/EXEC gave ${replies ? replies.length : "no"} replies, expected 2`);
  if (!typeReply[0] && typeReply[1] !== "list" && typeReply[1] !== "none") {
    throw new BacklogReadError(`${key} is a ${String(typeReply[1])}, expected a list: wrong key`);
  }
  const [err, n] = lenReply;
  if (err) throw new BacklogReadError(`reading ${key} failed: ${messageOf(err)}`, { cause: err });
  if (typeof n !== "number" || !Number.isInteger(n) || n < 0) throw new BacklogReadError(`LLEN on ${key} gave no count (got ${String(n)})`);
  return { backlog: n, prioritized: 0, wait: n, active: 0, parked: 0 };
}

/** Connects, reads the length of `key`, and always closes. */
export function readListLengthOnce(createRedis: RedisFactory, connection: RedisConnection, key: string): Promise<BacklogReading> {
  return withRedis(createRedis, connection, (redis) => readListLength(redis, key));
}

async function withRedis(
  createRedis: RedisFactory,
  connection: RedisConnection,
  read: (redis: QueueRedis) => Promise<BacklogReading>,
): Promise<BacklogReading> {
  const redis = createRedis(connection);
  // The first error is the cause (WRONGPASS); later ones are its consequences (NOAUTH on SELECT).
  let firstError: Error | undefined;
  redis.on("error", (err) => {
    firstError ??= err;
  });
  try {
    try {
      await redis.connect();
    } catch (err) {
      const cause = firstError ?? err;
      throw new BacklogReadError(
        `cannot connect to redis ${connection.tls ? "rediss" : "redis"}://${connection.host}:${connection.port}: ${messageOf(cause)}`,
        { cause },
      );
    }
    try {
      return await read(redis);
    } catch (err) {
      if (err instanceof BacklogReadError) throw err;
      throw new BacklogReadError(`reading the backlog failed: ${messageOf(err)}`, { cause: err });
    }
  } finally {
    await redis.quit().catch(() => redis.disconnect());
  }
}

export function messageOf(err: unknown): string {
  return err instanceof Error ? err.message : String(err);
}
