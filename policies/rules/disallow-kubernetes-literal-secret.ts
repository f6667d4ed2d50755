import { resourceRule } from "../lib/define";
import { UNREADABLE, readable, unreadablePhrase } from "../lib/unreadable";
import { optObj, optStr } from "../lib/values";

const TYPES = ["kubernetes:core/v1:Secret", "kubernetes:core/v1:SecretPatch"];

/**
 * A Secret built by the program carries its data in the stack state and the program's inputs; sync
 * it from Secrets Manager instead. The Kubernetes provider marks `data` and `stringData` secret, so
 * an export without `--show-secrets` holds each as one ciphertext (and a preview may not know it
 * yet): data the program wrote is literal data whether or not the pack can read its keys.
 */
export const disallowKubernetesLiteralSecret = resourceRule({
  name: "disallow-kubernetes-literal-secret",
  description: "Kubernetes Secrets must not be created with literal data or stringData by the program.",
  enforcementLevel: "mandatory",
  remediationSteps:
    "Keep the value in AWS Secrets Manager and let External Secrets Operator (ExternalSecret) or the Secrets Store CSI driver create the Kubernetes Secret.",
  appliesTo: (t) => TYPES.includes(t),
  validate: (args, report) => {
    const parts = ["data", "stringData"].flatMap((field) => {
      const map = readable(() => optObj(args.props, field));
      if (map === UNREADABLE) return [`${field} (it ${unreadablePhrase()}, so its keys cannot be listed)`];
      return map ? Object.keys(map).map((k) => `${field}.${k}`) : [];
    });
    if (parts.length === 0) return;
    const meta = readable(() => optObj(args.props, "metadata"));
    const metaName = meta && meta !== UNREADABLE ? readable(() => optStr(meta, "name")) : undefined;
    const name = typeof metaName === "string" && metaName !== "" ? metaName : args.name;
    report.violation(
      `Kubernetes Secret "${name}" is created with literal ${parts.join(", ")}.`,
      "create an ExternalSecret (External Secrets Operator) or a SecretProviderClass (Secrets Store CSI driver) that syncs the value from Secrets Manager, and drop the Secret from the program.",
    );
  },
});
