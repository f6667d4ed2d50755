import { hasUrlCredentials, isSecretName } from "../facts/secrets";
import { ECS_TASK_DEFINITION, LAMBDA_FUNCTION, containersOf, isK8sWorkload } from "../lib/containers";
import { resourceRule } from "../lib/define";
import { globMatch } from "../lib/values";

interface Config {
  allowNames: string[];
}

const FIX: Record<string, string> = {
  [ECS_TASK_DEFINITION]: "move it from `environment` to the container's `secrets` with `valueFrom` set to a Secrets Manager secret ARN.",
  [LAMBDA_FUNCTION]: "store it in Secrets Manager and read it at runtime (the AWS Parameters and Secrets Lambda Extension or the SDK), passing only the secret ARN in the environment.",
};
const K8S_FIX = "replace `value` with `valueFrom.secretKeyRef` on a Secret synced from Secrets Manager (External Secrets Operator or the Secrets Store CSI driver).";

/**
 * A literal environment value is stored in the task definition, function configuration or pod
 * spec, readable by anyone with describe rights and kept in every revision. This judges where a
 * value comes from (a literal under a secret's name, or a URL with a password in it), never what
 * the value looks like.
 */
export const disallowPlaintextSecretEnv = resourceRule<Config>({
  name: "disallow-plaintext-secret-env",
  description: "Secrets must not be passed as literal environment variables to ECS containers, Lambda functions or Kubernetes containers.",
  enforcementLevel: "mandatory",
  remediationSteps: "Keep the secret in AWS Secrets Manager and reference it: ECS `secrets[].valueFrom`, a Kubernetes `secretKeyRef` synced from Secrets Manager, or a runtime lookup in Lambda.",
  configSchema: {
    properties: {
      allowNames: {
        type: "array",
        items: { type: "string" },
        default: [],
        description: "Variable names (`*` wildcards allowed) that look secret but hold none, such as `SORT_KEY`.",
      },
    },
  },
  appliesTo: (t) => t === ECS_TASK_DEFINITION || t === LAMBDA_FUNCTION || isK8sWorkload(t),
  validate: (args, report, config) => {
    const fix = FIX[args.type] ?? K8S_FIX;
    for (const c of containersOf(args.type, args.name, args.props)) {
      for (const env of c.literals) {
        if (env.value === "" || config.allowNames.some((p) => globMatch(p, env.name))) continue;
        if (isSecretName(env.name)) {
          report.violation(`Container "${c.name}" of ${args.type} "${args.name}" sets ${env.name} as a literal environment value.`, fix);
        } else if (hasUrlCredentials(env.value)) {
          report.violation(`Container "${c.name}" of ${args.type} "${args.name}" sets ${env.name} to a URL that carries a password.`, `drop the password from the URL and ${fix}`);
        }
      }
    }
  },
});
