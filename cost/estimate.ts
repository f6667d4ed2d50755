import type { Architecture, Plan, RolePlan } from "../sizing/types";
import { observabilityLines, sharedLines } from "./data";
import { estimateEks } from "./eks";
import { FARGATE, LAMBDA_ARM_GB_SECOND, LAMBDA_REQUEST_MILLION, PRICES_AS_OF } from "./prices";
import { HOURS_PER_MONTH, line, round2, type CostLine, type CostReport } from "./types";

/** Fargate price of one task running a whole month. */
export function fargateTaskMonth(cpu: number, memoryMiB: number, arch: Architecture): number {
  const p = FARGATE[arch];
  return ((cpu / 1024) * p.vcpuHour + (memoryMiB / 1024) * p.gbHour) * HOURS_PER_MONTH;
}

/** How many of `count` tasks ECS places on each provider, per the strategy's base and weights. */
export function splitByCapacity(role: RolePlan, count: number): { onDemand: number; spot: number } {
  const od = role.capacity.find((c) => c.capacityProvider === "FARGATE");
  const spot = role.capacity.find((c) => c.capacityProvider === "FARGATE_SPOT");
  const base = Math.min(count, od?.base ?? 0);
  const rest = count - base;
  const odW = od?.weight ?? 0;
  const spotW = spot?.weight ?? 0;
  const onDemandRest = odW + spotW === 0 ? rest : Math.round((rest * odW) / (odW + spotW));
  return { onDemand: base + onDemandRest, spot: rest - onDemandRest };
}

function sizeLabel(r: RolePlan): string {
  return `${r.cpu / 1024} vCPU / ${r.memory / 1024} GB`;
}

function fargateComputeLines(plan: Plan, arch: Architecture, allOnDemand: boolean): CostLine[] {
  const lines: CostLine[] = [];
  for (const role of [plan.app, plan.worker]) {
    const split = allOnDemand ? { onDemand: role.desired, spot: 0 } : splitByCapacity(role, role.desired);
    const month = fargateTaskMonth(role.cpu, role.memory, arch);
    if (split.onDemand > 0) {
      lines.push(line(role.role, `Fargate on-demand ${arch} ${sizeLabel(role)}`, split.onDemand, month, "task-month"));
    }
    if (split.spot > 0) {
      lines.push(line(role.role, `Fargate Spot ${arch} ${sizeLabel(role)} (-${Math.round(plan.costAssumptions.spotDiscount * 100)}% assumed)`,
        split.spot, month * (1 - plan.costAssumptions.spotDiscount), "task-month"));
    }
  }
  if (plan.workerScaling.mode === "queue") {
    // The backlog function: one 128 MB arm64 invocation a minute, about a second each.
    const invocations = 60 * HOURS_PER_MONTH;
    lines.push(line("worker", "queue metric Lambda (128 MB, 1 s, every minute)", invocations,
      0.125 * LAMBDA_ARM_GB_SECOND + LAMBDA_REQUEST_MILLION / 1e6, "invocation"));
  }
  return lines;
}

function total(lines: readonly CostLine[]): number {
  return round2(lines.reduce((s, l) => s + l.monthly, 0));
}

/** Monthly cost of a Fargate plan, and the same plan with all compute on-demand x86 for reference. */
export function estimateFargate(plan: Plan): CostReport {
  const customMetrics = plan.workerScaling.mode === "queue" ? 2 : 0;
  const shared = sharedLines(plan, observabilityLines(plan, customMetrics));
  const lines = [...fargateComputeLines(plan, plan.architecture, false), ...shared];
  const reference = [...fargateComputeLines(plan, "x86_64", true), ...shared];
  return { currency: "USD", monthlyTotal: total(lines), onDemandX86Reference: total(reference), lines, pricesAsOf: PRICES_AS_OF };
}

/** Cost of the plan on its own platform. */
export function estimate(plan: Plan): CostReport {
  return plan.platform === "eks" ? estimateEks(plan) : estimateFargate(plan);
}
