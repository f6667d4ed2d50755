import { secretSource } from "../facts/secrets";
import { ECS_TASK_DEFINITION, ecsSecretRefs } from "../lib/containers";
import { resourceRule } from "../lib/define";

interface Config {
  allowSsmParameters: boolean;
}

/** ECS injects `secrets` from Secrets Manager or SSM Parameter Store; this pack keeps every secret in Secrets Manager (rotation, one audit trail). */
export const requireSecretsManagerReferences = resourceRule<Config>({
  name: "require-secrets-manager-references",
  description: "ECS container secrets must be referenced by a Secrets Manager secret ARN.",
  enforcementLevel: "mandatory",
  remediationSteps: "Store the value in AWS Secrets Manager and set `valueFrom` to the secret's ARN (optionally with `:json-key::` for one key of a JSON secret).",
  configSchema: {
    properties: {
      allowSsmParameters: { type: "boolean", default: false, description: "Also accept SSM Parameter Store parameters (SecureString) as `valueFrom`." },
    },
  },
  appliesTo: (t) => t === ECS_TASK_DEFINITION,
  validate: (args, report, config) => {
    for (const ref of ecsSecretRefs(args.props)) {
      const source = secretSource(ref.valueFrom);
      if (source === "secretsmanager" || (source === "ssm" && config.allowSsmParameters)) continue;
      const where = `Container "${ref.container}" of task definition "${args.name}" takes ${ref.field}`;
      if (source === "ssm") {
        report.violation(`${where} from SSM Parameter Store ("${ref.valueFrom}").`, "move the value to Secrets Manager and use the secret ARN, or set `allowSsmParameters: true` for this policy in the pack config.");
      } else {
        report.violation(`${where} from "${ref.valueFrom}", which is not a Secrets Manager secret ARN.`, "set `valueFrom` to `arn:aws:secretsmanager:<region>:<account>:secret:<name>`.");
      }
    }
  },
});
