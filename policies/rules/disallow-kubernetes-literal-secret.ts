import { resourceRule } from "../lib/define";
import { optObj, optStr } from "../lib/values";

const TYPES = ["kubernetes:core/v1:Secret", "kubernetes:core/v1:SecretPatch"];

/** A Secret built by the program carries its data in the stack state and the program's inputs; sync it from Secrets Manager instead. */
export const disallowKubernetesLiteralSecret = resourceRule({
  name: "disallow-kubernetes-literal-secret",
  description: "Kubernetes Secrets must not be created with literal data or stringData by the program.",
  enforcementLevel: "mandatory",
  remediationSteps: "Keep the value in AWS Secrets Manager and let External Secrets Operator (ExternalSecret) or the Secrets Store CSI driver create the Kubernetes Secret.",
  appliesTo: (t) => TYPES.includes(t),
  validate: (args, report) => {
    const keys = ["data", "stringData"].flatMap((field) => {
      const map = optObj(args.props, field);
      return map ? Object.keys(map).map((k) => `${field}.${k}`) : [];
    });
    if (keys.length === 0) return;
    const name = optStr(optObj(args.props, "metadata") ?? {}, "name") ?? args.name;
    report.violation(
      `Kubernetes Secret "${name}" is created with literal ${keys.join(", ")}.`,
      "create an ExternalSecret (External Secrets Operator) or a SecretProviderClass (Secrets Store CSI driver) that syncs the value from Secrets Manager, and drop the Secret from the program.",
    );
  },
});
