import { resourceRule } from "../lib/define";
import { CACHE_CLUSTER, REPLICATION_GROUP, isStandaloneRedisCluster } from "../lib/caches";
import { optBool, optStr } from "../lib/values";

/**
 * The queue carries flow payloads and the Redis AUTH token; ElastiCache encrypts in transit and at
 * rest only when asked, and AUTH requires transit encryption. A standalone cache cluster
 * (aws.elasticache.Cluster) cannot encrypt Redis or Valkey at all: CreateCacheCluster offers transit
 * encryption for Memcached only and no at-rest encryption. Serverless caches always encrypt.
 * https://docs.aws.amazon.com/AmazonElastiCache/latest/dg/encryption.html
 */
export const requireRedisEncryption = resourceRule({
  name: "require-redis-encryption",
  description:
    "ElastiCache Redis and Valkey caches must enable and require transit encryption and enable at-rest encryption, which a standalone cache cluster cannot.",
  enforcementLevel: "mandatory",
  remediationSteps:
    "Use a replication group (one node is `numCacheClusters: 1`) with `transitEncryptionEnabled: true` (mode `required`) and `atRestEncryptionEnabled: true`, and connect with TLS (rediss://, AP_REDIS_USE_SSL=true).",
  appliesTo: (t) => t === REPLICATION_GROUP || t === CACHE_CLUSTER,
  validate: (args, report) => {
    if (args.type === CACHE_CLUSTER) {
      if (!isStandaloneRedisCluster(args.props)) return;
      report.violation(
        `ElastiCache cache cluster "${args.name}" runs ${optStr(args.props, "engine")} outside a replication group, where ElastiCache offers neither transit nor at-rest encryption.`,
        "replace it with an aws.elasticache.ReplicationGroup (`numCacheClusters: 1` for a single node) with `transitEncryptionEnabled: true` and `atRestEncryptionEnabled: true`.",
      );
      return;
    }
    const what = `ElastiCache replication group "${args.name}"`;
    if (optBool(args.props, "transitEncryptionEnabled") !== true) {
      report.violation(`${what} does not enable transit encryption.`, "set `transitEncryptionEnabled: true` and connect clients over TLS.");
    } else if (optStr(args.props, "transitEncryptionMode") === "preferred") {
      report.violation(
        `${what} sets transitEncryptionMode "preferred", which still accepts unencrypted connections.`,
        'set `transitEncryptionMode: "required"` once every client uses TLS.',
      );
    }
    if (optBool(args.props, "atRestEncryptionEnabled") !== true) {
      report.violation(`${what} does not enable at-rest encryption.`, "set `atRestEncryptionEnabled: true` (this replaces the replication group).");
    }
  },
});
