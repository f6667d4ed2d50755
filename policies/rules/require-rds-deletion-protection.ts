import { resourceRule } from "../lib/define";
import { globMatch, optBool, stackOfUrn } from "../lib/values";
import { RDS_DATABASES } from "../lib/databases";

const TYPES = RDS_DATABASES;

interface Config {
  protectedStacks: string[];
}

/** On stacks that hold real data, a `pulumi destroy` or a replacement must not delete the database. */
export const requireRdsDeletionProtection = resourceRule<Config>({
  name: "require-rds-deletion-protection",
  description: "RDS instances and clusters on protected stacks (prod and production by default) must enable deletion protection.",
  enforcementLevel: "mandatory",
  remediationSteps: "Set `deletionProtection: true` (and a `finalSnapshotIdentifier`) on databases of protected stacks.",
  configSchema: {
    properties: {
      protectedStacks: {
        type: "array",
        items: { type: "string" },
        default: ["prod", "production"],
        description: "Stack names (`*` wildcards allowed) whose databases must have deletion protection.",
      },
    },
  },
  appliesTo: (t) => TYPES.includes(t),
  validate: (args, report, config) => {
    const stack = stackOfUrn(args.urn);
    if (!config.protectedStacks.some((p) => globMatch(p, stack))) return;
    if (optBool(args.props, "deletionProtection") !== true) {
      report.violation(`${args.type === TYPES[0] ? "RDS instance" : "RDS cluster"} "${args.name}" on protected stack "${stack}" does not set \`deletionProtection: true\`.`, "set `deletionProtection: true` and a `finalSnapshotIdentifier`.");
    }
  },
});
