import { resourceRule } from "../lib/define";
import { optBool, optStr } from "../lib/values";
import { RDS_DATABASES } from "../lib/databases";

const TYPES = RDS_DATABASES;

/** RDS encrypts storage, backups and snapshots only when `storageEncrypted` is set at creation. https://docs.aws.amazon.com/AmazonRDS/latest/UserGuide/Overview.Encryption.html */
export const requireRdsStorageEncryption = resourceRule({
  name: "require-rds-storage-encryption",
  description: "RDS instances and clusters must encrypt their storage.",
  enforcementLevel: "mandatory",
  remediationSteps: "Set `storageEncrypted: true` (optionally with `kmsKeyId`); an existing database is encrypted by restoring an encrypted snapshot copy.",
  appliesTo: (t) => TYPES.includes(t),
  validate: (args, report) => {
    // Read replicas inherit encryption from their source.
    if (optStr(args.props, "replicateSourceDb")) return;
    if (optBool(args.props, "storageEncrypted") !== true) {
      report.violation(
        `${args.type === TYPES[0] ? "RDS instance" : "RDS cluster"} "${args.name}" does not set \`storageEncrypted: true\`, so its data, backups and snapshots are unencrypted.`,
        "set `storageEncrypted: true` (for an existing database, restore from an encrypted snapshot copy).",
      );
    }
  },
});
