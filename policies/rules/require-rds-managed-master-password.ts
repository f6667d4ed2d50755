import { resourceRule } from "../lib/define";
import { optBool, optStr } from "../lib/values";
import { RDS_DATABASES } from "../lib/databases";

const TYPES = RDS_DATABASES;

/** Whether a property is set, without reading its (possibly unknown or encrypted) value. */
function has(props: Record<string, unknown>, key: string): boolean {
  return (
    Object.prototype.hasOwnProperty.call(props, key) &&
    Object.getOwnPropertyDescriptor(props, key)?.value !== null &&
    Object.getOwnPropertyDescriptor(props, key)?.value !== ""
  );
}

/**
 * With `manageMasterUserPassword` RDS creates and rotates the master password in Secrets Manager;
 * a `password` input is written into the stack state and never rotates.
 * https://docs.aws.amazon.com/AmazonRDS/latest/UserGuide/rds-secrets-manager.html
 */
export const requireRdsManagedMasterPassword = resourceRule({
  name: "require-rds-managed-master-password",
  description: "RDS instances and clusters must let RDS manage the master password in Secrets Manager instead of taking a password input.",
  enforcementLevel: "mandatory",
  remediationSteps: "Remove `password` and set `manageMasterUserPassword: true`; read the secret ARN from `masterUserSecrets[0].secretArn`.",
  appliesTo: (t) => TYPES.includes(t),
  validate: (args, report) => {
    const fix = "remove `password`/`passwordWo` and set `manageMasterUserPassword: true`; give the app the ARN from `masterUserSecrets[0].secretArn`.";
    const what = `${args.type === TYPES[0] ? "RDS instance" : "RDS cluster"} "${args.name}"`;
    // Presence is enough: an export without --show-secrets holds only the ciphertext.
    if (has(args.props, "password")) {
      report.violation(`${what} sets the master password through \`password\`, which is stored in the stack state and never rotated.`, fix);
      return;
    }
    if (has(args.props, "passwordWo")) {
      report.violation(`${what} sets the master password through \`passwordWo\`, a value the program holds instead of Secrets Manager.`, fix);
      return;
    }
    // Replicas and restores inherit their credentials from the source.
    const inherits = ["replicateSourceDb", "snapshotIdentifier", "replicationSourceIdentifier", "globalClusterIdentifier"].some((k) => optStr(args.props, k));
    if (!inherits && optBool(args.props, "manageMasterUserPassword") !== true) {
      report.violation(`${what} does not set \`manageMasterUserPassword: true\`.`, fix);
    }
  },
});
