import { resourceRule } from "../lib/define";
import { optNum, optStr } from "../lib/values";
import { RDS_DATABASES } from "../lib/databases";

const TYPES = RDS_DATABASES;

interface Config {
  minimumDays: number;
}

/**
 * Point-in-time recovery reaches back only as far as the retention period; the RDS API default is
 * 1 day. https://docs.aws.amazon.com/AmazonRDS/latest/UserGuide/USER_WorkingWithAutomatedBackups.html
 */
export const requireRdsBackupRetention = resourceRule<Config>({
  name: "require-rds-backup-retention",
  description: "RDS instances and clusters must keep automated backups for at least the configured number of days (7 by default).",
  enforcementLevel: "mandatory",
  remediationSteps: "Set `backupRetentionPeriod` to 7 or more days.",
  configSchema: {
    properties: {
      minimumDays: { type: "integer", minimum: 1, maximum: 35, default: 7, description: "Fewest days of automated backups." },
    },
  },
  appliesTo: (t) => TYPES.includes(t),
  validate: (args, report, config) => {
    // Read replicas take their backups from the source instance.
    if (optStr(args.props, "replicateSourceDb")) return;
    const days = optNum(args.props, "backupRetentionPeriod");
    if (days === undefined || days < config.minimumDays) {
      report.violation(
        `${args.type === TYPES[0] ? "RDS instance" : "RDS cluster"} "${args.name}" keeps backups for ${days === undefined ? "the API default of 1 day" : `${days} day(s)`}, fewer than ${config.minimumDays}.`,
        `set \`backupRetentionPeriod: ${config.minimumDays}\` or more.`,
      );
    }
  },
});
