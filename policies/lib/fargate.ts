/** Task definitions that run on Fargate, and their task size in ECS's accepted spellings. */
import { optList, optStr, strings, type Props } from "./values";

export function runsOnFargate(props: Props): boolean {
  return strings(optList(props, "requiresCompatibilities"), "requiresCompatibilities").includes("FARGATE");
}

/** ECS takes cpu as units ("1024") or vCPU ("1 vCPU"), memory as MiB ("2048") or GB ("2 GB"). */
export function taskCpu(props: Props): { raw?: string; units?: number } {
  const raw = optStr(props, "cpu");
  if (raw === undefined) return {};
  const m = /^\s*(\d+(?:\.\d+)?)\s*(vcpu)?\s*$/i.exec(raw);
  if (!m) return { raw };
  return { raw, units: m[2] ? Math.round(Number(m[1]) * 1024) : Number(m[1]) };
}

export function taskMemory(props: Props): { raw?: string; mib?: number } {
  const raw = optStr(props, "memory");
  if (raw === undefined) return {};
  const m = /^\s*(\d+(?:\.\d+)?)\s*(gb)?\s*$/i.exec(raw);
  if (!m) return { raw };
  return { raw, mib: m[2] ? Math.round(Number(m[1]) * 1024) : Number(m[1]) };
}
