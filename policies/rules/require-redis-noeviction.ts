import { label, stackRule, guarded } from "../lib/define";
import { byName } from "../lib/databases";
import { StackIndex } from "../lib/stack";
import { objects, optList, optStr } from "../lib/values";

const REPLICATION_GROUP = "aws:elasticache/replicationGroup:ReplicationGroup";
const CACHE_CLUSTER = "aws:elasticache/cluster:Cluster";
const PARAMETER_GROUP = "aws:elasticache/parameterGroup:ParameterGroup";

/**
 * BullMQ loses jobs when Redis evicts keys; ElastiCache's default parameter groups use
 * `volatile-lru` (bullmq#2215, activepieces#11204), so a custom group with `noeviction` is needed.
 * https://docs.bullmq.io/guide/going-to-production#max-memory-policy
 */
export const requireRedisNoeviction = stackRule({
  name: "require-redis-noeviction",
  description: "ElastiCache Redis used as a job queue must use a parameter group with maxmemory-policy set to noeviction.",
  enforcementLevel: "mandatory",
  remediationSteps: "Create an aws.elasticache.ParameterGroup with `{ name: \"maxmemory-policy\", value: \"noeviction\" }` and set it as the cache's `parameterGroupName`.",
  appliesTo: (t) => t === REPLICATION_GROUP || t === CACHE_CLUSTER || t === PARAMETER_GROUP,
  validate: (args, report) => {
    const index = new StackIndex(args.resources);
    const groups = byName(index.ofType(PARAMETER_GROUP));
    const fix = "set `parameterGroupName` to a parameter group in this stack whose parameters include `maxmemory-policy` = `noeviction`.";
    const caches = [
      ...index.ofType(REPLICATION_GROUP),
      // A standalone cache cluster; members of a replication group take the group's settings.
      ...index.ofType(CACHE_CLUSTER).filter((c) => !optStr(c.props, "replicationGroupId") && ["redis", "valkey"].includes(optStr(c.props, "engine") ?? "")),
    ];
    for (const cache of caches) {
      guarded(report, `the eviction policy of ${label(cache)}`, cache.urn, () => {
        const name = optStr(cache.props, "parameterGroupName");
        if (!name || name.startsWith("default.")) {
          report.violation(`${label(cache)} uses ${name ? `the default parameter group "${name}"` : "the default parameter group"}, whose maxmemory-policy is volatile-lru, so Redis may evict queued jobs.`, fix, cache.urn);
          return;
        }
        const group = groups.get(name);
        if (!group) {
          report.cannotVerify(`the eviction policy of ${label(cache)}`, `its parameter group "${name}" is not in this stack`, "manage the parameter group in this stack, or check its maxmemory-policy by hand.", cache.urn);
          return;
        }
        const param = objects(optList(group.props, "parameters"), "parameters").find((p) => optStr(p, "name") === "maxmemory-policy");
        const value = param ? optStr(param, "value") : undefined;
        if (value !== "noeviction") {
          report.violation(`${label(cache)} uses parameter group "${name}" with maxmemory-policy ${value ?? "unset (volatile-lru)"}, so Redis may evict queued jobs.`, "set the parameter `maxmemory-policy` to `noeviction` in that group.", cache.urn);
        }
      });
    }
  },
});
