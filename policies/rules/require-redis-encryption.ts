import { resourceRule } from "../lib/define";
import { optBool, optStr } from "../lib/values";

const REPLICATION_GROUP = "aws:elasticache/replicationGroup:ReplicationGroup";

/**
 * The queue carries flow payloads and the Redis AUTH token; ElastiCache encrypts in transit and at
 * rest only when asked, and AUTH requires transit encryption.
 * https://docs.aws.amazon.com/AmazonElastiCache/latest/dg/encryption.html
 */
export const requireRedisEncryption = resourceRule({
  name: "require-redis-encryption",
  description: "ElastiCache Redis replication groups must enable and require transit encryption and enable at-rest encryption.",
  enforcementLevel: "mandatory",
  remediationSteps: "Set `transitEncryptionEnabled: true` (mode `required`) and `atRestEncryptionEnabled: true`, and connect with TLS (rediss://, AP_REDIS_USE_SSL=true).",
  appliesTo: (t) => t === REPLICATION_GROUP,
  validate: (args, report) => {
    const what = `ElastiCache replication group "${args.name}"`;
    if (optBool(args.props, "transitEncryptionEnabled") !== true) {
      report.violation(`${what} does not enable transit encryption.`, "set `transitEncryptionEnabled: true` and connect clients over TLS.");
    } else if (optStr(args.props, "transitEncryptionMode") === "preferred") {
      report.violation(`${what} sets transitEncryptionMode "preferred", which still accepts unencrypted connections.`, "set `transitEncryptionMode: \"required\"` once every client uses TLS.");
    }
    if (optBool(args.props, "atRestEncryptionEnabled") !== true) {
      report.violation(`${what} does not enable at-rest encryption.`, "set `atRestEncryptionEnabled: true` (this replaces the replication group).");
    }
  },
});
