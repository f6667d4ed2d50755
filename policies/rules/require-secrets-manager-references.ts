import type { PolicyResource } from "@pulumi/policy";
import { PLAINTEXT_SSM_TYPES, secretSource, ssmParameterKey } from "../facts/secrets";
import { ECS_TASK_DEFINITION, ecsSecretRefs, type EcsSecretRef } from "../lib/containers";
import { FIX_UNKNOWN, guarded, label, stackRule } from "../lib/define";
import { StackIndex } from "../lib/stack";
import { UNREADABLE, readable, unreadablePhrase } from "../lib/unreadable";
import { OddInputError, optStr } from "../lib/values";

const SSM_PARAMETER = "aws:ssm/parameter:Parameter";

interface Config {
  allowSsmParameters: boolean;
}

interface Parameter {
  readonly resource: PolicyResource;
  readonly name: string;
  readonly type?: string;
}

/** SSM parameters of the stack by ARN and by name (without the leading `/` that ARNs drop); a name used twice is left out. */
function parameterIndex(params: readonly PolicyResource[]): (valueFrom: string) => Parameter | undefined {
  const byArn = new Map<string, Parameter>();
  const byName = new Map<string, Parameter | null>();
  for (const r of params) {
    let name, type, arn;
    try {
      name = readable(() => optStr(r.props, "name"));
      type = readable(() => optStr(r.props, "type"));
      arn = readable(() => optStr(r.props, "arn"));
    } catch (e) {
      if (e instanceof OddInputError) continue; // an odd parameter cannot be matched; references to it pass as SSM
      throw e;
    }
    if (typeof name !== "string") continue;
    const p: Parameter = { resource: r, name, type: typeof type === "string" ? type : undefined };
    if (typeof arn === "string") byArn.set(arn, p);
    const key = ssmParameterKey(name);
    byName.set(key, byName.has(key) ? null : p);
  }
  return (valueFrom) => byArn.get(valueFrom) ?? byName.get(ssmParameterKey(valueFrom)) ?? undefined;
}

/**
 * ECS injects `secrets` from Secrets Manager or SSM Parameter Store; this pack keeps every secret in
 * Secrets Manager (rotation, one audit trail). Where SSM is allowed, only a SecureString is a
 * secret store: a `String` or `StringList` parameter is kept and returned in plaintext, so a stack
 * policy looks up the parameters of the stack a reference names.
 */
export const requireSecretsManagerReferences = stackRule<Config>({
  name: "require-secrets-manager-references",
  description: "ECS container secrets must be referenced by a Secrets Manager secret ARN.",
  enforcementLevel: "mandatory",
  remediationSteps:
    "Store the value in AWS Secrets Manager and set `valueFrom` to the secret's ARN (optionally with `:json-key::` for one key of a JSON secret).",
  configSchema: {
    properties: {
      allowSsmParameters: {
        type: "boolean",
        default: false,
        description:
          "Also accept SSM Parameter Store parameters (SecureString) as `valueFrom`; a String or StringList parameter of the stack is still rejected.",
      },
    },
  },
  appliesTo: (t) => t === ECS_TASK_DEFINITION || t === SSM_PARAMETER,
  validate: (args, report, config) => {
    const index = new StackIndex(args.resources);
    const parameter = config.allowSsmParameters ? parameterIndex(index.ofType(SSM_PARAMETER)) : undefined;
    for (const td of index.ofType(ECS_TASK_DEFINITION)) {
      guarded(report, `the secret references of ${label(td)}`, td.urn, () => {
        const refs = readable(() => ecsSecretRefs(td.props));
        if (refs === UNREADABLE) {
          report.cannotVerify(`the secret references of ${label(td)}`, `its containerDefinitions ${unreadablePhrase()}`, FIX_UNKNOWN, td.urn);
          return;
        }
        for (const ref of refs) judge(ref, td);
      });
    }

    function judge(ref: EcsSecretRef, td: PolicyResource): void {
      const source = secretSource(ref.valueFrom);
      const where = `Container "${ref.container}" of task definition "${td.name}" takes ${ref.field}`;
      if (source === "secretsmanager") return;
      if (source === "ssm" && parameter) {
        const p = parameter(ref.valueFrom);
        if (p?.type !== undefined && PLAINTEXT_SSM_TYPES.includes(p.type)) {
          report.violation(
            `${where} from SSM parameter "${p.name}" (${label(p.resource)}), a ${p.type} parameter, which SSM stores and returns in plaintext.`,
            'recreate the parameter with type "SecureString", or move the value to Secrets Manager and set `valueFrom` to the secret\'s ARN.',
            td.urn,
          );
        }
        return;
      }
      if (source === "ssm") {
        report.violation(
          `${where} from SSM Parameter Store ("${ref.valueFrom}").`,
          "move the value to Secrets Manager and use the secret ARN, or set `allowSsmParameters: true` for this policy in the pack config.",
          td.urn,
        );
      } else {
        report.violation(
          `${where} from "${ref.valueFrom}", which is not a Secrets Manager secret ARN.`,
          "set `valueFrom` to `arn:aws:secretsmanager:<region>:<account>:secret:<name>`.",
          td.urn,
        );
      }
    }
  },
});
