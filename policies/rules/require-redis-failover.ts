import { resourceRule } from "../lib/define";
import { CACHE_CLUSTER, REPLICATION_GROUP, isStandaloneRedisCluster } from "../lib/caches";
import { PROTECTION_SCHEMA, protectionOf, type ProtectionConfig } from "../lib/protection";
import { optBool, optNum, optStr } from "../lib/values";

/**
 * The queue holds every pending flow run; when its only node fails, ActivePieces stops until
 * ElastiCache replaces the node, and jobs not yet persisted are lost. Automatic failover promotes a
 * replica in another AZ instead. Required in protected environments only (see
 * require-rds-deletion-protection). Serverless caches replicate across AZs by themselves.
 * https://docs.aws.amazon.com/AmazonElastiCache/latest/dg/AutoFailover.html
 */
export const requireRedisFailover = resourceRule<ProtectionConfig>({
  name: "require-redis-failover",
  description: "ElastiCache Redis and Valkey caches in a protected environment must run a replica with automatic failover and Multi-AZ enabled.",
  enforcementLevel: "mandatory",
  remediationSteps:
    "Use a replication group with `numCacheClusters: 2` or more (or `replicasPerNodeGroup: 1` in cluster mode), `automaticFailoverEnabled: true` and `multiAzEnabled: true`.",
  configSchema: { properties: { ...PROTECTION_SCHEMA } },
  appliesTo: (t) => t === REPLICATION_GROUP || t === CACHE_CLUSTER,
  validate: (args, report, config) => {
    if (args.type === CACHE_CLUSTER && !isStandaloneRedisCluster(args.props)) return;
    const protection = protectionOf(args, config);
    if (!protection.protected) return;
    const where = `in a protected environment (${protection.reason})`;
    const fix = "use a replication group with `numCacheClusters: 2`, `automaticFailoverEnabled: true` and `multiAzEnabled: true`.";
    if (args.type === CACHE_CLUSTER) {
      report.violation(
        `ElastiCache cache cluster "${args.name}" runs ${optStr(args.props, "engine")} on a single node with no replica to fail over to, ${where}.`,
        fix,
      );
      return;
    }
    const what = `ElastiCache replication group "${args.name}"`;
    const nodes = optNum(args.props, "numCacheClusters");
    const replicas = optNum(args.props, "replicasPerNodeGroup");
    const hasReplica = (nodes !== undefined && nodes >= 2) || (replicas !== undefined && replicas >= 1);
    const missing = [
      hasReplica
        ? ""
        : `a replica (${nodes !== undefined ? `numCacheClusters is ${nodes}` : replicas !== undefined ? `replicasPerNodeGroup is ${replicas}` : "numCacheClusters defaults to 1"})`,
      optBool(args.props, "automaticFailoverEnabled") === true ? "" : "automaticFailoverEnabled",
      optBool(args.props, "multiAzEnabled") === true ? "" : "multiAzEnabled",
    ].filter(Boolean);
    if (missing.length > 0) report.violation(`${what} lacks ${missing.join(", ")}, ${where}.`, fix);
  },
});
