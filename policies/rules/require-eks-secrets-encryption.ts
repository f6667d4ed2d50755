import { resourceRule } from "../lib/define";
import { objects, optList, optObj, optStr, strings, type Props } from "../lib/values";

const EKS_CLUSTER = "aws:eks/cluster:Cluster";

/** `encryptionConfig` is one block in @pulumi/aws v6/v7; older programs and exports hold a list. */
function encryptionConfigs(props: Props): Props[] {
  const single = props.encryptionConfig;
  if (Array.isArray(single)) return objects(single, "encryptionConfig");
  const one = optObj(props, "encryptionConfig");
  return [...(one ? [one] : []), ...objects(optList(props, "encryptionConfigs"), "encryptionConfigs")];
}

/**
 * Kubernetes Secrets hold the database password, the encryption key and the worker token synced
 * from Secrets Manager; envelope encryption with a customer-managed KMS key means a copy of etcd
 * alone does not reveal them, and access to the key is audited and revocable (Security Hub EKS.3).
 * https://docs.aws.amazon.com/eks/latest/userguide/enable-kms.html
 */
export const requireEksSecretsEncryption = resourceRule({
  name: "require-eks-secrets-encryption",
  description: 'EKS clusters must encrypt Kubernetes secrets with a KMS key (encryptionConfig with resources ["secrets"]).',
  enforcementLevel: "mandatory",
  remediationSteps:
    'Set `encryptionConfig: { resources: ["secrets"], provider: { keyArn: <KMS key ARN> } }` on the cluster; it can be added to an existing cluster but not removed.',
  appliesTo: (t) => t === EKS_CLUSTER,
  validate: (args, report) => {
    const configs = encryptionConfigs(args.props);
    const ok = configs.some(
      (c) => strings(optList(c, "resources"), "encryptionConfig.resources").includes("secrets") && !!optStr(optObj(c, "provider") ?? {}, "keyArn"),
    );
    if (ok) return;
    const has = configs.some((c) => strings(optList(c, "resources"), "encryptionConfig.resources").includes("secrets"));
    report.violation(
      has
        ? `EKS cluster "${args.name}" lists "secrets" in encryptionConfig but names no KMS key (provider.keyArn).`
        : `EKS cluster "${args.name}" does not encrypt Kubernetes secrets with a KMS key (no encryptionConfig for "secrets").`,
      'add `encryptionConfig: { resources: ["secrets"], provider: { keyArn: key.arn } }` with a customer-managed KMS key.',
    );
  },
});
