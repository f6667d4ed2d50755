/**
 * One source of truth for the backlog keys: queue/keys.ts and queue/lanes.ts. These tests fail if
 * the docs, the deployed bundle or any other code stop going through them.
 */
import { readFileSync, readdirSync, statSync } from "node:fs";
import * as path from "node:path";
import { build } from "esbuild";
import { describe, expect, it } from "vitest";
import { BACKLOG_KEYS, BACKLOG_PARTS, BULLMQ_PREFIX, QUEUE_META_KEY, WORKER_QUEUE_NAME, bullKey } from "../../queue/keys";
import { AP_JOB_PRIORITY, BACKLOG_SCORE_RANGE, PARKED_SCORE_RANGE, PRIORITY_SCORE_STEP, RATE_LIMIT_PRIORITY, laneScoreRange } from "../../queue/lanes";

const ROOT = path.join(__dirname, "..", "..");

describe("queue keys", () => {
  it("are ActivePieces' BullMQ queue workerJobs under prefix bull", () => {
    expect(BULLMQ_PREFIX).toBe("bull");
    expect(WORKER_QUEUE_NAME).toBe("workerJobs");
    expect(QUEUE_META_KEY).toBe("bull:workerJobs:meta");
    expect(bullKey("wait", "platform-abc-jobs")).toBe("bull:platform-abc-jobs:wait");
  });

  it("make up the backlog: waiting in the prioritized set and the wait list, running in the active list", () => {
    expect(BACKLOG_KEYS).toEqual({
      prioritized: { key: "bull:workerJobs:prioritized", type: "zset" },
      wait: { key: "bull:workerJobs:wait", type: "list" },
      active: { key: "bull:workerJobs:active", type: "list" },
    });
    expect(BACKLOG_PARTS).toEqual(["prioritized", "wait", "active"]);
  });
});

describe("priority lanes", () => {
  it("match ActivePieces' JOB_PRIORITY and put rate-limited runs in the last lane", () => {
    expect(AP_JOB_PRIORITY).toEqual({ critical: 1, high: 2, medium: 3, low: 4, veryLow: 5, lowest: 6 });
    expect(RATE_LIMIT_PRIORITY).toBe(6);
    expect(Math.max(...Object.values(AP_JOB_PRIORITY))).toBe(RATE_LIMIT_PRIORITY);
  });

  it("use BullMQ 5's score layout: lane p is [p * 2^32, (p + 1) * 2^32 - 1]", () => {
    expect(PRIORITY_SCORE_STEP).toBe(4294967296);
    expect(laneScoreRange(1)).toEqual({ min: 4294967296, max: 8589934591 });
    expect(laneScoreRange(6)).toEqual({ min: 25769803776, max: 30064771071 });
    expect(() => laneScoreRange(0)).toThrow(RangeError);
  });

  it("split the set at the start of the rate-limit lane, with no gap and no overlap", () => {
    expect(BACKLOG_SCORE_RANGE).toEqual({ min: "-inf", max: "(25769803776" });
    expect(PARKED_SCORE_RANGE).toEqual({ min: "25769803776", max: "+inf" });
    expect(Number(PARKED_SCORE_RANGE.min)).toBe(laneScoreRange(RATE_LIMIT_PRIORITY).min);
  });
});

describe("the docs and the code use the same key", () => {
  const doc = readFileSync(path.join(ROOT, "docs", "queue-backlog.md"), "utf8");

  it("docs/queue-backlog.md states the exact keys with their types, prefix, queue, meta key and lane boundary", () => {
    expect(doc).toContain("| waiting jobs with a priority (a sorted set) | `" + BACKLOG_KEYS.prioritized.key + "` |");
    expect(doc).toContain("| waiting jobs without a priority, stalled jobs (a list) | `" + BACKLOG_KEYS.wait.key + "` |");
    expect(doc).toContain("| running jobs (a list) | `" + BACKLOG_KEYS.active.key + "` |");
    expect(doc).toContain("`" + QUEUE_META_KEY + "`");
    expect(doc).toContain("| BullMQ prefix | `" + BULLMQ_PREFIX + "` |");
    expect(doc).toContain("| queue | `" + WORKER_QUEUE_NAME + "` |");
    expect(doc).toContain(`ZCOUNT ${BACKLOG_KEYS.prioritized.key} ${BACKLOG_SCORE_RANGE.min} ${BACKLOG_SCORE_RANGE.max}`);
    expect(doc).toContain(`ZCOUNT ${BACKLOG_KEYS.prioritized.key} ${PARKED_SCORE_RANGE.min} ${PARKED_SCORE_RANGE.max}`);
    expect(doc).toContain(`LLEN ${BACKLOG_KEYS.wait.key}`);
    expect(doc).toContain(`LLEN ${BACKLOG_KEYS.active.key}`);
  });

  it("the docs name no other BullMQ key for the worker queue", () => {
    const keys = new Set(doc.match(/bull:[A-Za-z0-9_-]+:[a-z]+/g));
    expect([...keys].sort()).toEqual([QUEUE_META_KEY, ...BACKLOG_PARTS.map((p) => BACKLOG_KEYS[p].key)].sort());
  });

  it("the deployed Lambda bundle reads through queue/keys.ts and queue/lanes.ts", async () => {
    const out = await build({
      entryPoints: [path.join(ROOT, "functions", "queue-metric", "handler.ts")],
      bundle: true,
      platform: "node",
      target: "node20",
      format: "cjs",
      write: false,
      metafile: true,
      external: ["@aws-sdk/*"],
      logLevel: "silent",
    });
    const inputs = Object.keys(out.metafile.inputs);
    expect(inputs).toContain("queue/keys.ts");
    expect(inputs).toContain("queue/lanes.ts");
  });

  it("no program or function source spells or builds a backlog key itself: everything imports BACKLOG_KEYS", () => {
    const offenders: string[] = [];
    const skip = new Set(["node_modules", "test", ".git", "dist", "coverage", "docs"]);
    const walk = (dir: string) => {
      for (const name of readdirSync(dir)) {
        if (skip.has(name) || name.startsWith(".")) continue;
        const p = path.join(dir, name);
        if (statSync(p).isDirectory()) walk(p);
        else if (/\.(ts|mts|cts|js|yaml|yml)$/.test(name) && path.relative(ROOT, p) !== path.join("queue", "keys.ts")) {
          const text = readFileSync(p, "utf8");
          // The literal keys or queue name, a call to bullKey, or a template ending in a BullMQ suffix.
          if (/bull:workerJobs|["'`]workerJobs["'`]|\bbullKey\(|\}:(prioritized|wait|active|meta)\b/.test(text)) offenders.push(path.relative(ROOT, p));
        }
      }
    };
    walk(ROOT);
    expect(offenders).toEqual([]);
  });
});
