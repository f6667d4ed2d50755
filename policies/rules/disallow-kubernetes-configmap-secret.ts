import { CONFIG_MAP_TYPES, configMapData } from "../lib/configmaps";
import { FIX_UNKNOWN, resourceRule } from "../lib/define";
import { KEY_ID_FIX, NameJudge, unreadableNames, weakFix, weakReason } from "../lib/secret-evidence";
import { UNREADABLE, readable, runPhase, unreadablePhrase } from "../lib/unreadable";
import { optObj, optStr } from "../lib/values";

interface Config {
  allowNames: string[];
}

const NOTE = "a ConfigMap is stored unencrypted and shown to anyone who may read ConfigMaps in its namespace";
const FIX =
  "keep the value in a Secret synced from Secrets Manager (External Secrets Operator or the Secrets Store CSI driver) and read it with `secretKeyRef` or `envFrom.secretRef`.";

/**
 * A ConfigMap is plain configuration: etcd keeps it unencrypted by default, `kubectl get` shows it,
 * and RBAC grants it more widely than Secrets. A pod that takes a secret through `envFrom` or
 * `configMapKeyRef` leaks it there. Keys are judged like environment variables
 * (lib/secret-evidence.ts): a value the program marked secret, a URL with a password or a strong
 * key name is a violation; a weak key name alone is advisory. Keys of `binaryData` are judged by name.
 */
export const disallowKubernetesConfigmapSecret = resourceRule<Config>({
  name: "disallow-kubernetes-configmap-secret",
  description: "Kubernetes ConfigMaps must not hold secrets: keys named like a secret, values the program marked secret, or URLs with a password.",
  enforcementLevel: "mandatory",
  remediationSteps:
    "Keep the value in AWS Secrets Manager, sync it into a Kubernetes Secret (External Secrets Operator or the Secrets Store CSI driver) and read it with secretKeyRef or envFrom.secretRef.",
  configSchema: {
    properties: {
      allowNames: {
        type: "array",
        items: { type: "string" },
        default: [],
        description: "ConfigMap keys (`*` wildcards allowed) that look secret but hold none; relaxes name evidence only.",
      },
    },
  },
  appliesTo: (t) => CONFIG_MAP_TYPES.includes(t),
  validate: (args, report, config) => {
    const meta = readable(() => optObj(args.props, "metadata"));
    const metaName = meta && meta !== UNREADABLE ? readable(() => optStr(meta, "name")) : undefined;
    const subject = `ConfigMap "${typeof metaName === "string" && metaName !== "" ? metaName : args.name}"`;
    const judge = new NameJudge(config.allowNames);
    const unknown: string[] = [];
    for (const field of ["data", "binaryData"]) {
      const data = configMapData(args.props, field);
      if (data === UNREADABLE) {
        if (runPhase() === "export") report.violation(`${subject} holds ${field} the program marked secret (it ${unreadablePhrase()}); ${NOTE}.`, FIX);
        else report.cannotVerify(`the ${field} of ${subject}`, `it ${unreadablePhrase()}`, FIX_UNKNOWN);
        continue;
      }
      const keyIds = judge.keyIds(data.keys());
      for (const [key, value] of data) {
        // binaryData is base64: only its keys say anything.
        const v = judge.judge(key, field === "data" ? value : undefined, keyIds);
        if (v?.kind === "unreadable") unknown.push(key);
        else if (v?.kind === "violation" && v.urlOnly)
          report.violation(`${subject} sets ${key} to a URL that carries a password; ${NOTE}.`, `drop the password from the URL and ${FIX}`);
        else if (v?.kind === "violation") report.violation(`${subject} holds ${key}, and ${v.evidence.join(", and ")}; ${NOTE}.`, FIX);
        else if (v?.kind === "weak")
          report.cannotVerify(`that key ${key} of ${subject} holds no secret`, weakReason(v.name), v.name.accessKeyId ? KEY_ID_FIX : weakFix(FIX));
      }
    }
    if (unknown.length > 0) {
      const { list, clause } = unreadableNames(unknown);
      report.cannotVerify(`${unknown.length > 1 ? "keys" : "key"} ${list} of ${subject}`, clause, FIX_UNKNOWN);
    }
  },
});
