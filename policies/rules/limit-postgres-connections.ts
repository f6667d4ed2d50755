import { POOL_BUDGET_SHARE } from "../facts/rds";
import { poolSize, usesPostgres } from "../lib/activepieces";
import { envValue, type ContainerView } from "../lib/containers";
import { DATABASE_TYPES, postgresDatabases, type Database } from "../lib/databases";
import { label, stackRule } from "../lib/define";
import { StackIndex } from "../lib/stack";
import { WORKLOAD_TYPES, countLabel, workloads, type Workload } from "../lib/workloads";

interface Config {
  budgetShare: number;
}

function hostOf(c: ContainerView): string | undefined {
  const host = envValue(c, "AP_POSTGRES_HOST");
  if (host) return host;
  const url = envValue(c, "AP_POSTGRES_URL");
  if (!url) return undefined;
  try {
    return new URL(url).hostname;
  } catch {
    return undefined;
  }
}

/** Databases by every host name and `host:port` endpoint they answer on. */
function byEndpoint(dbs: readonly Database[]): Map<string, Database> {
  const out = new Map<string, Database>();
  for (const db of dbs) {
    for (const e of db.endpoints) {
      out.set(e, db);
      out.set(e.replace(/:\d+$/, ""), db);
    }
  }
  return out;
}

function databaseFor(w: Workload, dbs: readonly Database[], endpoints: ReadonlyMap<string, Database>): Database | undefined {
  if (dbs.length === 1) return dbs[0];
  for (const host of w.containers.map(hostOf)) {
    const db = host ? endpoints.get(host) : undefined;
    if (db) return db;
  }
  return undefined;
}

/**
 * Each app process keeps up to AP_POSTGRES_POOL_SIZE connections open; at maximum scale the sum
 * over every task must leave room below max_connections for admin sessions, migrations and
 * replication, or Postgres answers "too many clients" (activepieces PR#8646).
 */
export const limitPostgresConnections = stackRule<Config>({
  name: "limit-postgres-connections",
  description: "The Postgres connection pools of all services at maximum scale must fit within a share (80% by default) of the database's max_connections.",
  enforcementLevel: "mandatory",
  remediationSteps:
    "Lower AP_POSTGRES_POOL_SIZE or the maximum task/pod count, or choose a larger instance class (or a max_connections parameter) for the database.",
  configSchema: {
    properties: {
      budgetShare: {
        type: "number",
        exclusiveMinimum: 0,
        maximum: 1,
        default: POOL_BUDGET_SHARE,
        description: "Share of max_connections the application pools may use.",
      },
    },
  },
  appliesTo: (t) => DATABASE_TYPES.includes(t) || WORKLOAD_TYPES.includes(t),
  validate: (args, report, config) => {
    const index = new StackIndex(args.resources);
    const dbs = postgresDatabases(index);
    if (dbs.length === 0) return;
    const view = workloads(index);
    const endpoints = byEndpoint(dbs);
    const demand = new Map<Database, { total: number; parts: string[] }>();
    for (const w of view.workloads) {
      const pg = w.containers.filter(usesPostgres);
      if (pg.length === 0) continue;
      const pools = pg.map(poolSize);
      if (pools.some((p) => p === undefined)) {
        report.cannotVerify(
          `the Postgres pool of "${w.resource.name}"`,
          "AP_POSTGRES_POOL_SIZE comes from a reference the pack cannot read",
          "set AP_POSTGRES_POOL_SIZE as a plain environment value.",
          w.resource.urn,
        );
        continue;
      }
      const db = databaseFor(w, dbs, endpoints);
      if (!db) {
        report.cannotVerify(
          `which database "${w.resource.name}" uses`,
          `the stack has ${dbs.length} Postgres databases and its AP_POSTGRES_HOST matches none of their endpoints`,
          "set AP_POSTGRES_HOST to the database's `address` output.",
          w.resource.urn,
        );
        continue;
      }
      const perTask = pools.reduce<number>((a, b) => a + b!, 0);
      const entry = demand.get(db) ?? { total: 0, parts: [] };
      entry.total += perTask * w.maxCount;
      entry.parts.push(`${countLabel(w)} x pool ${perTask} = ${perTask * w.maxCount}`);
      demand.set(db, entry);
    }
    for (const u of view.unresolved) {
      report.cannotVerify(
        `the connections of ${label(u.resource)}`,
        u.reason,
        "keep the service's task definition and scaling target in this stack with known values.",
        u.resource.urn,
      );
    }
    for (const [db, d] of demand) {
      if (db.maxConnections === undefined) {
        report.cannotVerify(
          `max_connections of ${label(db.resource)}`,
          db.reason ?? "unknown",
          "use an instance class from the pack's table or set a numeric max_connections parameter.",
          db.resource.urn,
        );
        continue;
      }
      const budget = Math.floor(config.budgetShare * db.maxConnections);
      if (d.total > budget) {
        report.violation(
          `Postgres pools can open ${d.total} connections at maximum scale (${d.parts.join("; ")}) but ${label(db.resource)} allows ${db.maxConnections} (${db.source}) and the pools may use ${Math.round(config.budgetShare * 100)}% = ${budget}.`,
          `lower AP_POSTGRES_POOL_SIZE or the maximum task count so the total stays at or below ${budget}, or give the database a larger instance class or max_connections.`,
          db.resource.urn,
        );
      }
    }
  },
});
