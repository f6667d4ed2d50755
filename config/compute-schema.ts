import { z } from "zod";
import { int } from "./fields";

/** The ActivePieces app and worker tiers (`app`, `worker`) and the task size fields profiles share (config/schema.ts). */

export const fargateCpu = int(256, 16384, "CPU units").describe(
  "CPU units (1024 = 1 vCPU): on Fargate the task's CPU, part of a valid cpu/memory pair; on EKS the pod's CPU request and limit (1024 units = 1000m).",
);
export const fargateMemory = int(512, 122880, "MiB").describe(
  "Memory in MiB: on Fargate the task's memory, a valid pair with cpu; on EKS the pod's memory request and limit.",
);

export const WorkerCapacitySchema = z
  .strictObject({
    onDemandBase: int(0, 10000, "a number of tasks")
      .default(0)
      .describe("Fargate only: worker tasks always kept on on-demand FARGATE capacity before FARGATE_SPOT takes the rest."),
    onDemandWeight: int(0, 1000, "a weight")
      .default(0)
      .describe("Fargate only: relative share of worker tasks above the base placed on on-demand FARGATE capacity."),
    spotWeight: int(0, 1000, "a weight").default(1).describe("Fargate only: relative share of worker tasks above the base placed on FARGATE_SPOT."),
  })
  .describe(
    "Fargate only: where worker tasks run, Spot with an optional on-demand base and weights. On EKS workers always run on the Spot node group (eks.workerInstanceTypes); setting these there is an error.",
  );

export const WorkerScalingSchema = z
  .discriminatedUnion(
    "mode",
    [
      z.strictObject({
        mode: z.literal("static").describe("Run one worker per peak concurrent flow all the time (vendor default)."),
      }),
      z.strictObject({
        mode: z.literal("queue").describe("Scale workers on the BullMQ backlog: jobs waiting (prioritized and wait) plus jobs running (active)."),
        min: int(0, 10000, "a number of workers").describe("Fewest workers kept running."),
        max: int(1, 10000, "a number of workers").describe("Most workers; required so a stuck queue cannot scale without bound."),
        backlogPerWorker: int(1, 1000, "a number of jobs")
          .optional()
          .describe("Target jobs (waiting or running) per worker for target tracking. Default: workerConcurrency, one job per flow slot."),
      }),
    ],
    { error: "expected mode to be static or queue" },
  )
  .default({ mode: "static" })
  .describe("Worker scaling: `static` for peak (vendor default) or `queue` depth with min/max/backlog target.");

export const WorkerSchema = z
  .strictObject({
    cpu: fargateCpu.default(512),
    memory: fargateMemory.default(1024),
    capacity: WorkerCapacitySchema.default({ onDemandBase: 0, onDemandWeight: 0, spotWeight: 1 }),
    scaling: WorkerScalingSchema,
  })
  .describe("Worker tier: size, capacity (Spot/on-demand) and scaling.");

export const AppSchema = z
  .strictObject({
    cpu: fargateCpu.default(1024),
    memory: fargateMemory.default(2048),
    min: int(1, 1000, "a number of apps").optional().describe("Fewest app tasks. Default: ceil(max workers / workersPerApp), at least 2 in prod."),
    max: int(1, 1000, "a number of apps").optional().describe("Most app tasks under autoscaling. Default: 2 x min."),
    cpuTarget: int(10, 95, "a CPU percentage").default(70).describe("Target average CPU % for app scaling."),
    requestsPerTarget: int(10, 100000, "a number of requests")
      .default(1000)
      .describe(
        "Fargate only: target ALB requests per app task per minute for request-count scaling. On EKS the app scales on CPU (cpuTarget); setting it there is an error.",
      ),
    scaleOutCooldownSeconds: int(0, 3600, "seconds").default(60).describe("Cooldown after a scale-out."),
    scaleInCooldownSeconds: int(0, 3600, "seconds").default(300).describe("Cooldown after a scale-in."),
    dbPoolSize: int(1, 200, "a pool size").default(10).describe("AP_POSTGRES_POOL_SIZE per app task."),
  })
  .describe("App tier: size, autoscaling and database pool.");
