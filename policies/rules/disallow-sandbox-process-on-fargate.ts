import { needsPrivilegedContainer } from "../facts/activepieces";
import { ECS_TASK_DEFINITION, ecsContainers, envValue } from "../lib/containers";
import { guarded, label, stackRule } from "../lib/define";
import { FARGATE_LAUNCH_CONTEXT, fargateTaskDefinitions } from "../lib/fargate";
import { StackIndex } from "../lib/stack";

/**
 * SANDBOX_PROCESS and SANDBOX_CODE_AND_PROCESS isolate flows with a privileged sandbox, and Fargate
 * does not run privileged containers, so flows fail at runtime. A task definition runs on Fargate
 * when it says so or when a service, task set or scheduled task launches it there.
 * https://www.activepieces.com/docs/install/architecture/workers
 */
export const disallowSandboxProcessOnFargate = stackRule({
  name: "disallow-sandbox-process-on-fargate",
  description:
    "ActivePieces containers on Fargate must not use an execution mode that needs privileged containers (SANDBOX_PROCESS, SANDBOX_CODE_AND_PROCESS).",
  enforcementLevel: "mandatory",
  remediationSteps:
    "Use AP_EXECUTION_MODE=SANDBOX_CODE_ONLY (or UNSANDBOXED) on Fargate, or run the workers on EC2/EKS nodes that allow privileged containers.",
  appliesTo: (t) => t === ECS_TASK_DEFINITION,
  context: FARGATE_LAUNCH_CONTEXT,
  validate: (args, report) => {
    for (const [td, how] of fargateTaskDefinitions(new StackIndex(args.resources))) {
      guarded(report, label(td), td.urn, () => {
        for (const c of ecsContainers(td.props)) {
          const mode = envValue(c, "AP_EXECUTION_MODE");
          if (mode && needsPrivilegedContainer(mode)) {
            report.violation(
              `Container "${c.name}" of Fargate task definition "${td.name}" sets AP_EXECUTION_MODE=${mode}, which needs a privileged container that Fargate does not allow${how}.`,
              "set AP_EXECUTION_MODE=SANDBOX_CODE_ONLY, or run these workers on EC2 capacity or EKS nodes.",
              td.urn,
            );
          }
        }
      });
    }
  },
});
