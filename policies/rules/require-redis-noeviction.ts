import { isActivePieces } from "../lib/activepieces";
import { CACHE_CLUSTER, CACHE_PARAMETER_GROUP, REPLICATION_GROUP, SERVERLESS_CACHE, cacheHosts, isRedisEngine, isStandaloneRedisCluster } from "../lib/caches";
import { envValue, type ContainerView } from "../lib/containers";
import { byName } from "../lib/databases";
import { label, stackRule, guarded } from "../lib/define";
import { StackIndex } from "../lib/stack";
import { objects, optList, optStr } from "../lib/values";
import { WORKLOAD_TYPES, workloads } from "../lib/workloads";

/** Redis hosts ActivePieces containers name in plain AP_REDIS_HOST / AP_REDIS_URL values (undefined: one comes from elsewhere). */
function activePiecesRedisHosts(containers: readonly ContainerView[]): Set<string> | undefined {
  const hosts = new Set<string>();
  for (const c of containers) {
    const host = envValue(c, "AP_REDIS_HOST");
    const url = envValue(c, "AP_REDIS_URL");
    if (host) hosts.add(host);
    else if (url) {
      try {
        hosts.add(new URL(url).hostname);
      } catch {
        return undefined;
      }
    } else return undefined;
  }
  return hosts;
}

/**
 * BullMQ loses jobs when Redis evicts keys; ElastiCache's default parameter groups use
 * `volatile-lru` (bullmq#2215, activepieces#11204), so a custom group with `noeviction` is needed.
 * ElastiCache Serverless takes no parameter group and is cluster-mode only: BullMQ's multi-key
 * scripts fail there with CROSSSLOT unless every queue name carries a hash tag, which ActivePieces'
 * do not (langfuse#5906 is the same failure, bullmq#2787). A Serverless cache in a stack that runs
 * ActivePieces is a violation unless its containers plainly point at another Redis; in any other
 * stack the pack cannot tell whether it holds a queue and says so in an advisory.
 * https://docs.bullmq.io/guide/going-to-production#max-memory-policy
 */
export const requireRedisNoeviction = stackRule({
  name: "require-redis-noeviction",
  description: "ElastiCache Redis used as a job queue must use a parameter group with maxmemory-policy set to noeviction, which ElastiCache Serverless cannot.",
  enforcementLevel: "mandatory",
  remediationSteps:
    'Create an aws.elasticache.ParameterGroup with `{ name: "maxmemory-policy", value: "noeviction" }` and set it as the cache\'s `parameterGroupName`; run the queue on a replication group with cluster mode disabled, not on ElastiCache Serverless.',
  appliesTo: (t) => t === REPLICATION_GROUP || t === CACHE_CLUSTER || t === CACHE_PARAMETER_GROUP || t === SERVERLESS_CACHE,
  // Workloads tell whether a Serverless cache serves ActivePieces; without one they are not read.
  context: { types: (t) => WORKLOAD_TYPES.includes(t), neededBy: (t) => t === SERVERLESS_CACHE },
  validate: (args, report) => {
    const index = new StackIndex(args.resources);
    const groups = byName(index.ofType(CACHE_PARAMETER_GROUP));
    const fix = "set `parameterGroupName` to a parameter group in this stack whose parameters include `maxmemory-policy` = `noeviction`.";
    const caches = [
      ...index.ofType(REPLICATION_GROUP),
      // A standalone cache cluster; members of a replication group take the group's settings.
      ...index.ofType(CACHE_CLUSTER).filter((c) => isStandaloneRedisCluster(c.props)),
    ];
    for (const cache of caches) {
      guarded(report, `the eviction policy of ${label(cache)}`, cache.urn, () => {
        const name = optStr(cache.props, "parameterGroupName");
        if (!name || name.startsWith("default.")) {
          report.violation(
            `${label(cache)} uses ${name ? `the default parameter group "${name}"` : "the default parameter group"}, whose maxmemory-policy is volatile-lru, so Redis may evict queued jobs.`,
            fix,
            cache.urn,
          );
          return;
        }
        const group = groups.get(name);
        if (!group) {
          report.cannotVerify(
            `the eviction policy of ${label(cache)}`,
            `its parameter group "${name}" is not in this stack`,
            "manage the parameter group in this stack, or check its maxmemory-policy by hand.",
            cache.urn,
          );
          return;
        }
        const param = objects(optList(group.props, "parameters"), "parameters").find((p) => optStr(p, "name") === "maxmemory-policy");
        const value = param ? optStr(param, "value") : undefined;
        if (value !== "noeviction") {
          report.violation(
            `${label(cache)} uses parameter group "${name}" with maxmemory-policy ${value ?? "unset (volatile-lru)"}, so Redis may evict queued jobs.`,
            "set the parameter `maxmemory-policy` to `noeviction` in that group.",
            cache.urn,
          );
        }
      });
    }
    const serverless = index.ofType(SERVERLESS_CACHE);
    if (serverless.length === 0) return;
    const view = workloads(index);
    const apContainers = view.workloads.flatMap((w) => w.containers.filter(isActivePieces));
    const apHosts = apContainers.length > 0 ? activePiecesRedisHosts(apContainers) : undefined;
    for (const cache of serverless) {
      guarded(report, `whether ${label(cache)} holds a job queue`, cache.urn, () => {
        if (!isRedisEngine(cache.props, "")) return;
        const why =
          "ElastiCache Serverless takes no parameter group (its eviction policy cannot be set to noeviction) and runs in cluster mode, where BullMQ's queue scripts fail with CROSSSLOT errors (langfuse#5906, bullmq#2787)";
        const alternative =
          "run the ActivePieces queue on an aws.elasticache.ReplicationGroup with cluster mode disabled and a `maxmemory-policy` = `noeviction` parameter group.";
        if (apContainers.length === 0) {
          report.cannotVerify(
            `whether ${label(cache)} holds a BullMQ job queue`,
            `no ActivePieces container in this stack names it; ${why}`,
            `if it holds a queue, ${alternative} Caches that only cache are fine.`,
            cache.urn,
          );
          return;
        }
        const hosts = cacheHosts(cache);
        if (apHosts && hosts.length > 0 && !hosts.some((h) => apHosts.has(h))) return;
        if (!apHosts && caches.length > 0) {
          report.cannotVerify(
            `whether ActivePieces queues on ${label(cache)}`,
            `the stack also has ${label(caches[0]!)} and the ActivePieces containers take their Redis address from a reference; ${why}`,
            `set AP_REDIS_HOST as a plain value, or ${alternative}`,
            cache.urn,
          );
          return;
        }
        report.violation(`${label(cache)} is in a stack that runs ActivePieces, whose queue cannot use it: ${why}.`, alternative, cache.urn);
      });
    }
  },
});
