import type { PolicyResource } from "@pulumi/policy";
import { RDS_CLUSTER, RDS_CLUSTER_INSTANCE, RDS_INSTANCE } from "../lib/databases";
import { guarded, label, stackRule } from "../lib/define";
import { PROTECTION_SCHEMA, protectionOf, type ProtectionConfig } from "../lib/protection";
import { StackIndex } from "../lib/stack";
import { optBool, optStr } from "../lib/values";

/** Aurora members of a cluster: by `clusterIdentifier`, or by their dependency on the cluster during preview. */
function membersOf(cluster: PolicyResource, instances: readonly PolicyResource[]): PolicyResource[] {
  const ids = [optStr(cluster.props, "clusterIdentifier"), optStr(cluster.props, "id")].filter((x): x is string => !!x);
  return instances.filter((m) => {
    if ((m.propertyDependencies?.clusterIdentifier ?? []).some((d) => d.urn === cluster.urn)) return true;
    try {
      const id = optStr(m.props, "clusterIdentifier");
      return id !== undefined && ids.includes(id);
    } catch {
      return false;
    }
  });
}

/**
 * A single-AZ database is down for the length of an AZ outage or an instance failure (a restore
 * takes hours); with a standby (RDS Multi-AZ) or an Aurora replica in another AZ, RDS fails over in
 * a minute or two. Required in protected environments only (see require-rds-deletion-protection for
 * how a resource is judged protected), where the cost of a standby is expected.
 * https://docs.aws.amazon.com/AmazonRDS/latest/UserGuide/Concepts.MultiAZ.html
 */
export const requireRdsMultiAz = stackRule<ProtectionConfig>({
  name: "require-rds-multi-az",
  description:
    "RDS instances and clusters in a protected environment must survive the loss of an AZ: Multi-AZ for instances, at least two instances for Aurora clusters.",
  enforcementLevel: "mandatory",
  remediationSteps:
    "Set `multiAz: true` on RDS instances, or give an Aurora cluster a second aws.rds.ClusterInstance (a reader the cluster fails over to) in another AZ.",
  configSchema: { properties: { ...PROTECTION_SCHEMA } },
  appliesTo: (t) => t === RDS_INSTANCE || t === RDS_CLUSTER || t === RDS_CLUSTER_INSTANCE,
  validate: (args, report, config) => {
    const index = new StackIndex(args.resources);
    for (const db of index.ofType(RDS_INSTANCE)) {
      guarded(report, `the availability of ${label(db)}`, db.urn, () => {
        const protection = protectionOf(db, config);
        // A read replica is a second copy already; its source is judged on its own.
        if (!protection.protected || optStr(db.props, "replicateSourceDb")) return;
        if (optBool(db.props, "multiAz") !== true) {
          report.violation(
            `RDS instance "${db.name}" runs in one AZ without a standby (\`multiAz\` is not true), in a protected environment (${protection.reason}).`,
            "set `multiAz: true`.",
            db.urn,
          );
        }
      });
    }
    const members = index.ofType(RDS_CLUSTER_INSTANCE);
    for (const cluster of index.ofType(RDS_CLUSTER)) {
      guarded(report, `the availability of ${label(cluster)}`, cluster.urn, () => {
        const protection = protectionOf(cluster, config);
        if (!protection.protected) return;
        const engine = optStr(cluster.props, "engine") ?? "";
        // Multi-AZ DB clusters (non-Aurora, with dbClusterInstanceClass) always run a writer and two readers in three AZs.
        if (!engine.startsWith("aurora") && optStr(cluster.props, "dbClusterInstanceClass")) return;
        const mine = membersOf(cluster, members);
        if (mine.length < 2) {
          report.violation(
            `Aurora cluster "${cluster.name}" has ${mine.length} instance${mine.length === 1 ? "" : "s"} in this stack, so it has no replica in another AZ to fail over to, in a protected environment (${protection.reason}).`,
            "add a second aws.rds.ClusterInstance for the cluster (Aurora places it in another AZ).",
            cluster.urn,
          );
        }
      });
    }
  },
});
