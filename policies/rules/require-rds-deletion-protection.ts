import { resourceRule } from "../lib/define";
import { PROTECTION_SCHEMA, protectionOf, type ProtectionConfig } from "../lib/protection";
import { globMatch, optBool, stackOfUrn } from "../lib/values";
import { RDS_DATABASES } from "../lib/databases";

const TYPES = RDS_DATABASES;

interface Config extends ProtectionConfig {
  protectedStacks: string[];
}

/**
 * On stacks that hold real data, a `pulumi destroy` or a replacement must not delete the database.
 * Which stacks those are is read from what they declare (an `environment` tag on the database or its
 * provider's default tags), never from the stack's name: renaming `Pulumi.prod.yaml` must not change
 * the verdict. `protectedStacks` names stacks explicitly for teams that configured it before.
 */
export const requireRdsDeletionProtection = resourceRule<Config>({
  name: "require-rds-deletion-protection",
  description: "RDS instances and clusters in a protected environment (an environment tag of prod or production by default) must enable deletion protection.",
  enforcementLevel: "mandatory",
  remediationSteps: "Set `deletionProtection: true` (and a `finalSnapshotIdentifier`) on databases of protected environments.",
  configSchema: {
    properties: {
      ...PROTECTION_SCHEMA,
      protectedStacks: {
        type: "array",
        items: { type: "string" },
        default: [],
        description: "Stack names (`*` wildcards allowed) that are protected whatever their tags, for configs written before environment tags counted.",
      },
    },
  },
  appliesTo: (t) => TYPES.includes(t),
  validate: (args, report, config) => {
    const stack = stackOfUrn(args.urn);
    const named = config.protected !== false && config.protectedStacks.some((p) => globMatch(p, stack));
    const protection = named ? { protected: true, reason: "the pack config lists it in `protectedStacks`" } : protectionOf(args, config);
    if (!protection.protected) return;
    if (optBool(args.props, "deletionProtection") !== true) {
      report.violation(
        `${args.type === TYPES[0] ? "RDS instance" : "RDS cluster"} "${args.name}" on protected stack "${stack}" does not set \`deletionProtection: true\` (protected because ${protection.reason}).`,
        "set `deletionProtection: true` and a `finalSnapshotIdentifier`.",
      );
    }
  },
});
