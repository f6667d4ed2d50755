import type { Architecture, Plan, RolePlan } from "../sizing/types";
import { observabilityLines, sharedLines } from "./data";
import { estimateEks } from "./eks";
import { between, natData, workerFleet } from "./fleet";
import { pricesFor, US_EAST_1, type RegionPrices } from "./regions";
import { makeReport } from "./report";
import { HOURS_PER_MONTH, line, type CostLine, type CostReport } from "./types";

/** Fargate price of one task running a whole month. */
export function fargateTaskMonth(cpu: number, memoryMiB: number, arch: Architecture, prices: RegionPrices = US_EAST_1): number {
  const p = prices.fargate[arch];
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

/** Worker tasks running, and how ECS splits them between FARGATE and FARGATE_SPOT. */
interface FleetPoint {
  readonly workers: number;
  readonly onDemand: number;
  readonly spot: number;
}

/** The fleet at its minimum, its maximum, and the expected average (each provider's count interpolated). */
function fleetPoints(plan: Plan): { min: FleetPoint; max: FleetPoint; expected: FleetPoint } {
  const fleet = workerFleet(plan);
  const at = (n: number): FleetPoint => ({ workers: n, ...splitByCapacity(plan.worker, n) });
  const min = at(fleet.min);
  const max = at(fleet.max);
  const u = fleet.utilisation;
  const expected =
    fleet.mode === "static" ? max : { workers: fleet.expected, onDemand: between(min.onDemand, max.onDemand, u), spot: between(min.spot, max.spot, u) };
  return { min, max, expected };
}

function sizeLabel(r: RolePlan): string {
  return `${r.cpu / 1024} vCPU / ${r.memory / 1024} GB`;
}

function computeLines(plan: Plan, p: RegionPrices, arch: Architecture, allOnDemand: boolean, fleet: FleetPoint): CostLine[] {
  const lines: CostLine[] = [];
  const discount = plan.costAssumptions.spotDiscount;
  const app = allOnDemand ? { onDemand: plan.app.desired, spot: 0 } : splitByCapacity(plan.app, plan.app.desired);
  const workers = allOnDemand ? { onDemand: fleet.workers, spot: 0 } : fleet;
  for (const [role, split] of [
    [plan.app, app],
    [plan.worker, workers],
  ] as const) {
    const month = fargateTaskMonth(role.cpu, role.memory, arch, p);
    if (split.onDemand > 0) {
      lines.push(line(role.role, `Fargate on-demand ${arch} ${sizeLabel(role)}`, split.onDemand, month, "task-month"));
    }
    if (split.spot > 0) {
      lines.push(
        line(role.role, `Fargate Spot ${arch} ${sizeLabel(role)} (-${Math.round(discount * 100)}% assumed)`, split.spot, month * (1 - discount), "task-month"),
      );
    }
  }
  if (plan.workerScaling.mode === "queue") {
    // The backlog function: one 128 MB arm64 invocation a minute, about a second each.
    const invocations = 60 * HOURS_PER_MONTH;
    lines.push(
      line("worker", "queue metric Lambda (128 MB, 1 s, every minute)", invocations, 0.125 * p.lambdaArmGbSecond + p.lambdaRequestMillion / 1e6, "invocation"),
    );
  }
  return lines;
}

function linesAt(plan: Plan, p: RegionPrices, fleet: FleetPoint, reference: boolean): CostLine[] {
  const customMetrics = plan.workerScaling.mode === "queue" ? 2 : 0;
  // On Fargate every task pulls the image when it starts: a deploy restarts the app and every worker.
  const nat = natData(plan.costAssumptions, fleet.workers, plan.app.desired + fleet.workers);
  return [
    ...computeLines(plan, p, reference ? "x86_64" : plan.architecture, reference, fleet),
    ...sharedLines(plan, p, nat, observabilityLines(plan, p, customMetrics)),
  ];
}

/**
 * Monthly cost of a Fargate plan in its region: expected, the range between the worker minimum and
 * maximum, and the same plan with all compute on-demand x86 for reference.
 */
export function estimateFargate(plan: Plan): CostReport {
  const pricing = pricesFor(plan.region);
  const p = pricing.prices;
  const points = fleetPoints(plan);
  return makeReport(plan, pricing, workerFleet(plan), {
    lines: linesAt(plan, p, points.expected, false),
    atMin: linesAt(plan, p, points.min, false),
    atMax: linesAt(plan, p, points.max, false),
    reference: linesAt(plan, p, points.expected, true),
    pulledBy: "task",
  });
}

/** Cost of the plan on its own platform. */
export function estimate(plan: Plan): CostReport {
  return plan.platform === "eks" ? estimateEks(plan) : estimateFargate(plan);
}
