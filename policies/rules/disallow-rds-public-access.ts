import { resourceRule } from "../lib/define";
import { optBool } from "../lib/values";

const TYPES = ["aws:rds/instance:Instance", "aws:rds/clusterInstance:ClusterInstance"];

/** Only the app talks to Postgres, from private subnets; a public endpoint exposes it to the internet. */
export const disallowRdsPublicAccess = resourceRule({
  name: "disallow-rds-public-access",
  description: "RDS database instances must not be publicly accessible.",
  enforcementLevel: "mandatory",
  remediationSteps: "Set `publiclyAccessible: false` and place the database in private subnets reachable only from the app's security group.",
  appliesTo: (t) => TYPES.includes(t),
  validate: (args, report) => {
    if (optBool(args.props, "publiclyAccessible") === true) {
      report.violation(
        `RDS instance "${args.name}" sets \`publiclyAccessible: true\`, which gives it a public endpoint.`,
        "set `publiclyAccessible: false` and reach it from private subnets.",
      );
    }
  },
});
