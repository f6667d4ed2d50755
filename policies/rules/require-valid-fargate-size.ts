import { describeAllowedMemory, isValidFargatePair } from "../facts/fargate";
import { ECS_TASK_DEFINITION } from "../lib/containers";
import { resourceRule } from "../lib/define";
import { runsOnFargate, taskCpu, taskMemory } from "../lib/fargate";

/**
 * Fargate runs only fixed cpu/memory combinations; anything else fails at RegisterTaskDefinition.
 * https://docs.aws.amazon.com/AmazonECS/latest/developerguide/fargate-tasks-services.html#fargate-tasks-size
 */
export const requireValidFargateSize = resourceRule({
  name: "require-valid-fargate-size",
  description: "ECS task definitions for Fargate must use a cpu/memory combination Fargate supports.",
  enforcementLevel: "mandatory",
  remediationSteps: "Pick a supported pair from the Fargate task size table (for example 512 cpu with 1024-4096 MiB, 1024 cpu with 2048-8192 MiB).",
  appliesTo: (t) => t === ECS_TASK_DEFINITION,
  validate: (args, report) => {
    if (!runsOnFargate(args.props)) return;
    const cpu = taskCpu(args.props);
    const memory = taskMemory(args.props);
    const what = `Fargate task definition "${args.name}"`;
    if (cpu.units === undefined || memory.mib === undefined) {
      const missing = [cpu.units === undefined ? `cpu (${cpu.raw === undefined ? "unset" : `"${cpu.raw}"`})` : "", memory.mib === undefined ? `memory (${memory.raw === undefined ? "unset" : `"${memory.raw}"`})` : ""].filter(Boolean);
      report.violation(`${what} has no usable task-level ${missing.join(" and ")}; Fargate requires both.`, "set task-level `cpu` and `memory` to a supported pair, for example cpu \"512\" and memory \"1024\".");
      return;
    }
    if (!isValidFargatePair(cpu.units, memory.mib)) {
      report.violation(`${what} asks for cpu ${cpu.units} with memory ${memory.mib} MiB, which Fargate does not offer.`, `${describeAllowedMemory(cpu.units)}.`);
    }
  },
});
