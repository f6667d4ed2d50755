import { ECS_TASK_DEFINITION, LAMBDA_FUNCTION, UNREADABLE_LITERAL, containersOf, isK8sWorkload } from "../lib/containers";
import { FIX_UNKNOWN, resourceRule, type Reporter } from "../lib/define";
import { KEY_ID_FIX, NameJudge, unreadableNames, weakFix, weakReason, type Verdict } from "../lib/secret-evidence";
import { UNREADABLE, runPhase, unreadablePhrase } from "../lib/unreadable";

interface Config {
  allowNames: string[];
}

const FIX: Record<string, string> = {
  [ECS_TASK_DEFINITION]: "move it from `environment` to the container's `secrets` with `valueFrom` set to a Secrets Manager secret ARN.",
  [LAMBDA_FUNCTION]:
    "store it in Secrets Manager and read it at runtime (the AWS Parameters and Secrets Lambda Extension or the SDK), passing only the secret ARN in the environment.",
};
const K8S_FIX =
  "replace `value` with `valueFrom.secretKeyRef` on a Secret synced from Secrets Manager (External Secrets Operator or the Secrets Store CSI driver).";
const CONFIG_MAP_NOTE = "a ConfigMap is stored unencrypted and shown to anyone who may read ConfigMaps in its namespace";
const CONFIG_MAP_FIX =
  "keep the value in a Secret synced from Secrets Manager (External Secrets Operator or the Secrets Store CSI driver) and use `valueFrom.secretKeyRef`.";

/**
 * A literal environment value is stored in the task definition, function configuration or pod
 * spec, readable by anyone with describe rights and kept in every revision. This judges where a
 * value comes from and what the engine and the name say about it (lib/secret-evidence.ts), never
 * what the value looks like: a value the program marked secret, a URL with a password or a strong
 * name is a violation; a weak name alone is advisory. Each variable is judged on its own, so one
 * value the pack cannot read does not hide a literal secret beside it.
 */
export const disallowPlaintextSecretEnv = resourceRule<Config>({
  name: "disallow-plaintext-secret-env",
  description: "Secrets must not be passed as literal environment variables to ECS containers, Lambda functions or Kubernetes containers.",
  enforcementLevel: "mandatory",
  remediationSteps:
    "Keep the secret in AWS Secrets Manager and reference it: ECS `secrets[].valueFrom`, a Kubernetes `secretKeyRef` synced from Secrets Manager, or a runtime lookup in Lambda.",
  configSchema: {
    properties: {
      allowNames: {
        type: "array",
        items: { type: "string" },
        default: [],
        description: "Variable names (`*` wildcards allowed) that look secret but hold none, such as `PASSWORD_RESET_TEMPLATE`; relaxes name evidence only.",
      },
    },
  },
  appliesTo: (t) => t === ECS_TASK_DEFINITION || t === LAMBDA_FUNCTION || isK8sWorkload(t),
  validate: (args, report, config) => {
    const fix = FIX[args.type] ?? K8S_FIX;
    const judge = new NameJudge(config.allowNames);
    const isFunction = args.type === LAMBDA_FUNCTION;
    for (const c of containersOf(args.type, args.name, args.props)) {
      const subject = isFunction ? `${args.type} "${args.name}"` : `Container "${c.name}" of ${args.type} "${args.name}"`;
      const within = isFunction ? subject : `container "${c.name}" of ${args.type} "${args.name}"`;
      if (c.envUnreadable) {
        if (runPhase() === "export")
          report.violation(`${subject} sets environment variables the program marked secret as a whole (its environment ${unreadablePhrase()}).`, fix);
        else report.cannotVerify(`the environment of ${within}`, `it ${unreadablePhrase()}`, FIX_UNKNOWN);
      }
      const keyIds = judge.keyIds([...c.literals.map((e) => e.name), ...c.references.map((r) => r.name)]);
      const unknown: string[] = [];
      const literal = (name: string, verdict: Verdict | undefined) => {
        if (verdict?.kind === "unreadable") unknown.push(name);
        else if (verdict) reportLiteral(report, { subject, within, name, fix }, verdict);
      };
      for (const env of c.literals) literal(env.name, judge.judge(env.name, env.value, keyIds));
      for (const ref of c.references) {
        if (ref.source === UNREADABLE_LITERAL) literal(ref.name, judge.judge(ref.name, UNREADABLE, keyIds));
        else if (ref.source === "configMapKeyRef" && ref.selector) reportConfigMapRef(report, judge, { subject, within, name: ref.name }, ref.selector);
      }
      if (unknown.length > 0) {
        const { list, clause } = unreadableNames(unknown);
        report.cannotVerify(`${list} of ${within}`, clause, FIX_UNKNOWN);
      }
    }
  },
});

interface Where {
  /** `Container "app" of <type> "<name>"`, or `<type> "<name>"` for a function. */
  readonly subject: string;
  /** The same in the middle of a sentence. */
  readonly within: string;
  readonly name: string;
}

function reportLiteral(report: Reporter, w: Where & { fix: string }, v: Verdict): void {
  if (v.kind === "violation") {
    if (v.urlOnly) report.violation(`${w.subject} sets ${w.name} to a URL that carries a password.`, `drop the password from the URL and ${w.fix}`);
    else report.violation(`${w.subject} sets ${w.name} as a literal environment value, and ${v.evidence.join(", and ")}.`, w.fix);
  } else if (v.kind === "weak") {
    report.cannotVerify(
      `that ${w.name} of ${w.within} holds no secret`,
      `it is set as a literal environment value and ${weakReason(v.name)}`,
      v.name.accessKeyId ? KEY_ID_FIX : weakFix(w.fix),
    );
  }
}

/** A variable taken from a ConfigMap key: a secret there is as readable as a literal. */
function reportConfigMapRef(report: Reporter, judge: NameJudge, w: Where, sel: { name: string; key: string }): void {
  const byName = judge.evidence(w.name);
  const byKey = judge.evidence(sel.key);
  const from = `ConfigMap "${sel.name}" (key "${sel.key}")`;
  if (byName?.grade === "strong" || byKey?.grade === "strong") {
    const why = byName?.grade === "strong" ? `its name marks a secret (${byName.word})` : `the key's name marks a secret (${byKey!.word})`;
    report.violation(`${w.subject} takes ${w.name} from ${from}, and ${why}; ${CONFIG_MAP_NOTE}.`, CONFIG_MAP_FIX);
    return;
  }
  const weak = byName?.grade === "weak" ? byName : byKey?.grade === "weak" ? byKey : undefined;
  if (weak) {
    const whose = weak === byName ? weakReason(weak) : weakReason(weak).replace(/^its name/, "the key's name");
    report.cannotVerify(
      `that ${w.name} of ${w.within} holds no secret`,
      `it comes from ${from} and ${whose}`,
      weak.accessKeyId ? KEY_ID_FIX : weakFix(CONFIG_MAP_FIX),
    );
  }
}
