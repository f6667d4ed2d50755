import { needsPrivilegedContainer } from "../facts/activepieces";
import { runsWorker } from "../lib/activepieces";
import { envValue, isK8sWorkload, k8sContainers, k8sPodSpec } from "../lib/containers";
import { resourceRule } from "../lib/define";
import { objects, optBool, optList, optObj, optStr, strings, type Props } from "../lib/values";

const SECCOMP_CONFINED = ["RuntimeDefault", "Localhost"];

function seccompOf(securityContext: Props | undefined): string | undefined {
  const profile = securityContext ? optObj(securityContext, "seccompProfile") : undefined;
  return profile ? optStr(profile, "type") : undefined;
}

/** What a container's securityContext leaves open, given the pod's. */
function gaps(container: Props, podSeccomp: string | undefined): string[] {
  const sc = optObj(container, "securityContext");
  const out: string[] = [];
  const seccomp = seccompOf(sc) ?? podSeccomp;
  if (!seccomp || !SECCOMP_CONFINED.includes(seccomp))
    out.push(`seccompProfile ${seccomp ? `"${seccomp}"` : "unset"} (RuntimeDefault wanted, on the pod or the container)`);
  const caps = sc ? optObj(sc, "capabilities") : undefined;
  const drop = strings(caps ? optList(caps, "drop") : undefined, "capabilities.drop");
  if (!drop.some((c) => c.toUpperCase() === "ALL")) out.push("capabilities.drop without ALL");
  if (sc && optBool(sc, "privileged") === true) out.push("privileged: true");
  if (!sc || optBool(sc, "allowPrivilegeEscalation") !== false) out.push("allowPrivilegeEscalation not false");
  return out;
}

/**
 * Workers run flow code, partly written by users; if a flow escapes its sandbox, a container
 * confined by the runtime's seccomp profile, without capabilities and unable to gain privileges
 * limits what it can do to the node (the Kubernetes "restricted" Pod Security Standard). Every
 * container of a pod that runs an ActivePieces worker is judged. AP_EXECUTION_MODE=SANDBOX_PROCESS
 * and SANDBOX_CODE_AND_PROCESS need a privileged container, so for those pods the findings are
 * advisory.
 * https://kubernetes.io/docs/concepts/security/pod-security-standards/#restricted
 */
export const requireWorkerPodHardening = resourceRule({
  name: "require-worker-pod-hardening",
  description:
    "Pods that run ActivePieces workers must use the RuntimeDefault seccomp profile, drop ALL capabilities and set allowPrivilegeEscalation to false in every container (advisory when the execution mode needs a privileged sandbox).",
  enforcementLevel: "mandatory",
  remediationSteps:
    'Set `securityContext.seccompProfile.type: RuntimeDefault` on the pod, and `capabilities: { drop: ["ALL"] }`, `allowPrivilegeEscalation: false` on every container of the worker pods.',
  appliesTo: (t) => isK8sWorkload(t),
  validate: (args, report) => {
    const workers = k8sContainers(args.type, args.props).filter(runsWorker);
    if (workers.length === 0) return;
    const spec = k8sPodSpec(args.type, args.props) ?? {};
    const privilegedMode = workers.map((c) => envValue(c, "AP_EXECUTION_MODE")).find((m) => m !== undefined && needsPrivilegedContainer(m));
    const podSeccomp = seccompOf(optObj(spec, "securityContext"));
    const all = [...objects(optList(spec, "initContainers"), "initContainers"), ...objects(optList(spec, "containers"), "containers")];
    const fix =
      'set `securityContext.seccompProfile.type: RuntimeDefault` on the pod and `securityContext: { capabilities: { drop: ["ALL"] }, allowPrivilegeEscalation: false }` on the container.';
    for (const [i, c] of all.entries()) {
      const open = gaps(c, podSeccomp);
      if (open.length === 0) continue;
      const problem = `Container "${optStr(c, "name") ?? `#${i}`}" of ${args.type} "${args.name}", a pod running ActivePieces workers, leaves ${open.join(", ")}`;
      if (privilegedMode) {
        report.advisory(
          `${problem}; AP_EXECUTION_MODE=${privilegedMode} needs a privileged sandbox, so this is advisory.`,
          `prefer AP_EXECUTION_MODE=SANDBOX_CODE_ONLY and ${fix}`,
        );
      } else {
        report.violation(`${problem}.`, fix);
      }
    }
  },
});
