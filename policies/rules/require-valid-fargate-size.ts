import { describeAllowedMemory, isValidFargatePair } from "../facts/fargate";
import { ECS_TASK_DEFINITION } from "../lib/containers";
import { guarded, label, stackRule } from "../lib/define";
import { FARGATE_LAUNCH_CONTEXT, fargateTaskDefinitions, taskCpu, taskMemory } from "../lib/fargate";
import { StackIndex } from "../lib/stack";

/**
 * Fargate runs only fixed cpu/memory combinations; anything else fails at RegisterTaskDefinition or,
 * for a task definition that does not declare FARGATE but is launched there by a service, when the
 * service starts tasks. A stack policy, so it sees which services launch a task definition.
 * https://docs.aws.amazon.com/AmazonECS/latest/developerguide/fargate-tasks-services.html#fargate-tasks-size
 */
export const requireValidFargateSize = stackRule({
  name: "require-valid-fargate-size",
  description:
    "ECS task definitions that run on Fargate (by their requiresCompatibilities or a service, task set or scheduled task launching them there) must use a cpu/memory combination Fargate supports.",
  enforcementLevel: "mandatory",
  remediationSteps: "Pick a supported pair from the Fargate task size table (for example 512 cpu with 1024-4096 MiB, 1024 cpu with 2048-8192 MiB).",
  appliesTo: (t) => t === ECS_TASK_DEFINITION,
  context: FARGATE_LAUNCH_CONTEXT,
  validate: (args, report) => {
    for (const [td, how] of fargateTaskDefinitions(new StackIndex(args.resources))) {
      guarded(report, `the task size of ${label(td)}`, td.urn, () => {
        const cpu = taskCpu(td.props);
        const memory = taskMemory(td.props);
        const what = `Fargate task definition "${td.name}"`;
        if (cpu.units === undefined || memory.mib === undefined) {
          const missing = [
            cpu.units === undefined ? `cpu (${cpu.raw === undefined ? "unset" : `"${cpu.raw}"`})` : "",
            memory.mib === undefined ? `memory (${memory.raw === undefined ? "unset" : `"${memory.raw}"`})` : "",
          ].filter(Boolean);
          report.violation(
            `${what} has no usable task-level ${missing.join(" and ")}; Fargate requires both${how}.`,
            'set task-level `cpu` and `memory` to a supported pair, for example cpu "512" and memory "1024".',
            td.urn,
          );
          return;
        }
        if (!isValidFargatePair(cpu.units, memory.mib)) {
          report.violation(
            `${what} asks for cpu ${cpu.units} with memory ${memory.mib} MiB, which Fargate does not offer${how}.`,
            `${describeAllowedMemory(cpu.units)}.`,
            td.urn,
          );
        }
      });
    }
  },
});
