import Redis, { type RedisOptions } from "ioredis";
import { BACKLOG_KEY, QUEUE_META_KEY } from "../../queue/keys";
import { BACKLOG_SCORE_RANGE, PARKED_SCORE_RANGE } from "../../queue/lanes";

/** Where and how to connect; the password comes from Secrets Manager, never from the environment. */
export interface RedisConnection {
  readonly host: string;
  readonly port: number;
  readonly tls: boolean;
  readonly password?: string;
}

/** The few commands the function sends; an ioredis client satisfies it. */
export interface QueueRedis {
  connect(): Promise<unknown>;
  exists(key: string): Promise<number>;
  type(key: string): Promise<string>;
  zcount(key: string, min: string | number, max: string | number): Promise<number>;
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

/** One reading of the queue. */
export interface BacklogReading {
  /** Jobs waiting in every lane ahead of the rate-limit lane: what workers can start now. */
  readonly backlog: number;
  /** Jobs parked in the rate-limit lane (their project is at its concurrency limit). */
  readonly parked: number;
}

/** A Redis problem that must not become a metric. */
export class BacklogReadError extends Error {
  constructor(message: string, options?: { cause?: unknown }) {
    super(message, options);
    this.name = "BacklogReadError";
  }
}

/**
 * Reads the backlog through keys.ts and lanes.ts only. Refuses to report a number when the queue
 * was never opened under this prefix and name (a wrong key reads 0) or the key is not a sorted set.
 */
export async function readBacklog(redis: QueueRedis): Promise<BacklogReading> {
  // Commands issued together go out in one write and come back in order: one round trip.
  const [metaExists, keyType, backlog, parked] = await Promise.allSettled([
    redis.exists(QUEUE_META_KEY),
    redis.type(BACKLOG_KEY),
    redis.zcount(BACKLOG_KEY, BACKLOG_SCORE_RANGE.min, BACKLOG_SCORE_RANGE.max),
    redis.zcount(BACKLOG_KEY, PARKED_SCORE_RANGE.min, PARKED_SCORE_RANGE.max),
  ]);
  if (keyType.status === "fulfilled" && keyType.value !== "zset" && keyType.value !== "none") {
    throw new BacklogReadError(`${BACKLOG_KEY} is a ${keyType.value}, expected a sorted set (zset): wrong key or not a BullMQ 5 queue`);
  }
  for (const r of [metaExists, keyType, backlog, parked]) {
    if (r.status === "rejected") throw new BacklogReadError(`reading ${BACKLOG_KEY} failed: ${messageOf(r.reason)}`, { cause: r.reason });
  }
  if (metaExists.status === "fulfilled" && metaExists.value !== 1) {
    throw new BacklogReadError(`${QUEUE_META_KEY} does not exist: no BullMQ queue was opened under this prefix and name, so ${BACKLOG_KEY} would read 0`);
  }
  const counts = [backlog, parked].map((r) => (r.status === "fulfilled" ? r.value : Number.NaN));
  if (!counts.every((n) => Number.isInteger(n) && n >= 0)) {
    throw new BacklogReadError(`ZCOUNT on ${BACKLOG_KEY} gave no count (got ${counts.join(", ")})`);
  }
  return { backlog: counts[0]!, parked: counts[1]! };
}

/**
 * Connects, reads, and always closes. ioredis reports the cause of a failed connect (refused,
 * WRONGPASS, NOAUTH, certificate) on its `error` event and rejects with "Connection is closed",
 * so the first event's message is kept and reported.
 */
export async function readBacklogOnce(createRedis: RedisFactory, connection: RedisConnection): Promise<BacklogReading> {
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
      throw new BacklogReadError(`cannot connect to redis ${connection.tls ? "rediss" : "redis"}://${connection.host}:${connection.port}: ${messageOf(cause)}`, { cause });
    }
    try {
      return await readBacklog(redis);
    } catch (err) {
      if (err instanceof BacklogReadError) throw err;
      throw new BacklogReadError(`reading ${BACKLOG_KEY} failed: ${messageOf(err)}`, { cause: err });
    }
  } finally {
    await redis.quit().catch(() => redis.disconnect());
  }
}

export function messageOf(err: unknown): string {
  return err instanceof Error ? err.message : String(err);
}
