import { ECS_TASK_DEFINITION, LAMBDA_FUNCTION, containersOf, isK8sWorkload, lambdaContainer, type ContainerView } from "../lib/containers";
import { FIX_UNKNOWN, resourceRule } from "../lib/define";
import { unpinnedReason } from "../lib/images";
import { unreadablePath, unreadablePhrase } from "../lib/unreadable";

const FIX = "pin a release tag or a digest (`image@sha256:...`).";

/**
 * A moving tag changes the code on the next task start or node replacement without a deploy, and
 * app and workers can end up on different releases. A Lambda function has an image only when it
 * is packaged as one (`packageType: Image`); a zip function is out of scope.
 */
export const requirePinnedImage = resourceRule({
  name: "require-pinned-image",
  description: "Container images must name a fixed version (a tag other than latest, or a digest).",
  enforcementLevel: "mandatory",
  remediationSteps: "Reference the image by a release tag (activepieces/activepieces:0.79.0) or by digest (@sha256:...).",
  appliesTo: (t) => t === ECS_TASK_DEFINITION || t === LAMBDA_FUNCTION || isK8sWorkload(t),
  validate: (args, report) => {
    if (args.type === LAMBDA_FUNCTION) {
      const fn = lambdaContainer(args.name, args.props);
      const what = `Lambda function "${args.name}"`;
      if (fn.imageUnreadable) report.cannotVerify(`the image of ${what}`, `its imageUri ${unreadablePhrase()}`, FIX_UNKNOWN);
      const reason = fn.image ? unpinnedReason(fn.image) : undefined;
      if (reason) report.violation(`${what} runs image "${fn.image}", which ${reason}.`, FIX);
      return;
    }
    let containers: ContainerView[];
    try {
      containers = containersOf(args.type, args.name, args.props);
    } catch (e) {
      const path = unreadablePath(e);
      if (path === undefined) throw e;
      report.cannotVerify(`the images of ${args.type} "${args.name}"`, `its ${path} ${unreadablePhrase()}`, FIX_UNKNOWN);
      return;
    }
    for (const c of containers) {
      const what = `container "${c.name}" of ${args.type} "${args.name}"`;
      if (c.imageUnreadable) report.cannotVerify(`the image of ${what}`, `it ${unreadablePhrase()}`, FIX_UNKNOWN);
      const reason = c.image ? unpinnedReason(c.image) : undefined;
      if (reason) report.violation(`Container "${c.name}" of ${args.type} "${args.name}" runs image "${c.image}", which ${reason}.`, FIX);
    }
  },
});
