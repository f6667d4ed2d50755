import { ECS_TASK_DEFINITION, LAMBDA_FUNCTION, containersOf, isK8sWorkload } from "../lib/containers";
import { resourceRule } from "../lib/define";
import { unpinnedReason } from "../lib/images";

/**
 * A moving tag changes the code on the next task start or node replacement without a deploy, and
 * app and workers can end up on different releases.
 */
export const requirePinnedImage = resourceRule({
  name: "require-pinned-image",
  description: "Container images must name a fixed version (a tag other than latest, or a digest).",
  enforcementLevel: "mandatory",
  remediationSteps: "Reference the image by a release tag (activepieces/activepieces:0.79.0) or by digest (@sha256:...).",
  appliesTo: (t) => t === ECS_TASK_DEFINITION || t === LAMBDA_FUNCTION || isK8sWorkload(t),
  validate: (args, report) => {
    for (const c of containersOf(args.type, args.name, args.props)) {
      if (!c.image) continue;
      const reason = unpinnedReason(c.image);
      if (reason) {
        report.violation(`Container "${c.name}" of ${args.type} "${args.name}" runs image "${c.image}", which ${reason}.`, "pin a release tag or a digest (`image@sha256:...`).");
      }
    }
  },
});
