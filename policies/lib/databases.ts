/**
 * Postgres databases of a stack with their `max_connections`: from a `max_connections` parameter
 * in their parameter group, else from the instance class default in facts/rds.ts.
 */
import type { PolicyResource } from "@pulumi/policy";
import { maxConnectionsFor } from "../facts/rds";
import { isUnknownValue } from "./define";
import { OddInputError, objects, optList, optStr } from "./values";

export const RDS_INSTANCE = "aws:rds/instance:Instance";
export const RDS_CLUSTER = "aws:rds/cluster:Cluster";
export const RDS_CLUSTER_INSTANCE = "aws:rds/clusterInstance:ClusterInstance";
export const RDS_PARAMETER_GROUP = "aws:rds/parameterGroup:ParameterGroup";
export const RDS_CLUSTER_PARAMETER_GROUP = "aws:rds/clusterParameterGroup:ClusterParameterGroup";
/** Resources that own a Postgres master password, storage and backups: instances and clusters. */
export const RDS_DATABASES = [RDS_INSTANCE, RDS_CLUSTER];
export const DATABASE_TYPES = [RDS_INSTANCE, RDS_CLUSTER, RDS_CLUSTER_INSTANCE, RDS_PARAMETER_GROUP, RDS_CLUSTER_PARAMETER_GROUP];

export interface Database {
  readonly resource: PolicyResource;
  /** undefined when it cannot be told; `reason` says why. */
  readonly maxConnections?: number;
  readonly source: string;
  readonly reason?: string;
  /** Host names and `host:port` endpoints clients may use. */
  readonly endpoints: readonly string[];
}

interface Lookup {
  ofType(...types: string[]): PolicyResource[];
}

type Groups = ReadonlyMap<string, PolicyResource>;

/** Parameter groups by `name` and `id`; an unreadable one is left out (the database then says it cannot verify). */
export function byName(groups: readonly PolicyResource[]): Map<string, PolicyResource> {
  const out = new Map<string, PolicyResource>();
  for (const g of groups) {
    try {
      for (const key of [optStr(g.props, "name"), optStr(g.props, "id")]) if (key) out.set(key, g);
    } catch (e) {
      if (!(isUnknownValue(e) || e instanceof OddInputError)) throw e;
    }
  }
  return out;
}

function parameterValue(groups: Groups, name: string | undefined, param: string): { found: boolean; value?: string } {
  if (!name) return { found: false };
  const group = groups.get(name);
  if (!group) return { found: false };
  const p = objects(optList(group.props, "parameters"), "parameters").find((x) => optStr(x, "name") === param);
  return { found: true, value: p ? optStr(p, "value") : undefined };
}

function fromParameters(
  groupName: string | undefined,
  groups: Groups,
  instanceClasses: readonly string[],
): { maxConnections?: number; source: string; reason?: string } {
  const param = parameterValue(groups, groupName, "max_connections");
  if (param.value !== undefined) {
    const n = Number(param.value);
    if (Number.isInteger(n) && n > 0) return { maxConnections: n, source: `max_connections = ${n} in parameter group "${groupName}"` };
    return { source: "", reason: `its parameter group "${groupName}" sets max_connections to "${param.value}", which the pack does not evaluate` };
  }
  if (groupName && !param.found && !groupName.startsWith("default.")) {
    return { source: "", reason: `its parameter group "${groupName}" is not in this stack` };
  }
  const known = instanceClasses.map((c) => ({ c, n: maxConnectionsFor(c) }));
  const missing = known.find((k) => k.n === undefined);
  if (known.length === 0) return { source: "", reason: "no instance class is set" };
  if (missing)
    return {
      source: "",
      reason: `instance class "${missing.c}" is not in the pack's max_connections table (policies/facts/rds.ts); set max_connections in a parameter group`,
    };
  const smallest = known.reduce((a, b) => (b.n! < a.n! ? b : a));
  return { maxConnections: smallest.n!, source: `default max_connections of ${smallest.c}` };
}

function endpoints(r: PolicyResource, keys: readonly string[]): string[] {
  return keys.map((k) => optStr(r.props, k)).filter((v): v is string => !!v);
}

function guardedDb(r: PolicyResource, build: () => Omit<Database, "resource">): Database {
  try {
    return { resource: r, ...build() };
  } catch (e) {
    if (isUnknownValue(e) || e instanceof OddInputError) return { resource: r, source: "", reason: (e as Error).message, endpoints: [] };
    throw e;
  }
}

/** Postgres RDS instances and Aurora PostgreSQL clusters. */
export function postgresDatabases(index: Lookup): Database[] {
  const groups = byName(index.ofType(RDS_PARAMETER_GROUP));
  const clusterGroups = byName(index.ofType(RDS_CLUSTER_PARAMETER_GROUP));
  const out: Database[] = [];
  for (const r of index.ofType(RDS_INSTANCE)) {
    if (!(optStr(r.props, "engine") ?? "").startsWith("postgres")) continue;
    out.push(
      guardedDb(r, () => ({
        ...fromParameters(
          optStr(r.props, "parameterGroupName"),
          groups,
          [optStr(r.props, "instanceClass") ?? ""].filter((c) => c),
        ),
        endpoints: endpoints(r, ["address", "endpoint"]),
      })),
    );
  }
  const members = index.ofType(RDS_CLUSTER_INSTANCE);
  for (const c of index.ofType(RDS_CLUSTER)) {
    if (optStr(c.props, "engine") !== "aurora-postgresql") continue;
    out.push(
      guardedDb(c, () => {
        const id = optStr(c.props, "clusterIdentifier") ?? optStr(c.props, "id");
        const mine = members.filter((m) => optStr(m.props, "clusterIdentifier") === id);
        const classes = mine.map((m) => optStr(m.props, "instanceClass") ?? "").filter((x) => x && x !== "db.serverless");
        if (mine.some((m) => optStr(m.props, "instanceClass") === "db.serverless")) {
          const fromCluster = fromParameters(optStr(c.props, "dbClusterParameterGroupName"), clusterGroups, []);
          if (fromCluster.maxConnections !== undefined) return { ...fromCluster, endpoints: endpoints(c, ["endpoint", "readerEndpoint"]) };
          return {
            source: "",
            reason: "Aurora Serverless v2 derives max_connections from its maximum capacity; set max_connections in its cluster parameter group",
            endpoints: [],
          };
        }
        const fromCluster = fromParameters(optStr(c.props, "dbClusterParameterGroupName"), clusterGroups, classes);
        return { ...fromCluster, endpoints: endpoints(c, ["endpoint", "readerEndpoint"]) };
      }),
    );
  }
  return out;
}
