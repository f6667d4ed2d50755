import { z } from "zod";
import { int } from "./fields";

/** The `cost` key: assumptions of the cost model (config/schema.ts). */

export const CostSchema = z
  .strictObject({
    spotDiscount: z
      .number()
      .min(0, { error: "expected a fraction from 0 to 0.9" })
      .max(0.9, { error: "expected a fraction from 0 to 0.9" })
      .default(0.7)
      .describe("Assumed Spot discount off on-demand, for FARGATE_SPOT tasks and EC2 Spot worker nodes (Fargate Spot is up to 70% off)."),
    natGbPerWorkerMonth: z
      .number()
      .min(0, { error: "expected gigabytes from 0 to 1000" })
      .max(1000, { error: "expected gigabytes from 0 to 1000" })
      .default(2)
      .describe(
        "Assumed internet traffic through NAT per worker per month, GB: the external APIs its flows call (about 8 KB per call, a call every 10 s while busy, busy half the month: about 1 GB), doubled for TLS handshakes, retries and pieces fetched at run time. Worker-to-app traffic stays in the VPC; S3 uses the free gateway endpoint.",
      ),
    deploysPerMonth: int(0, 1000, "a number of deploys")
      .default(4)
      .describe(
        "Assumed deploys (image or config rollouts, secret-rotation restarts) per month; each pulls the image (about 1 GB compressed) through NAT once per Fargate task or EKS node.",
      ),
    natDataGbPerMonth: int(0, 1000000, "gigabytes")
      .optional()
      .describe("NAT data processed per month, GB, when known from billing: replaces the figure derived from natGbPerWorkerMonth and deploysPerMonth."),
    expectedWorkerUtilisation: z
      .number()
      .min(0, { error: "expected a fraction from 0 to 1" })
      .max(1, { error: "expected a fraction from 0 to 1" })
      .default(0.5)
      .describe(
        "Queue scaling only: where the worker fleet sits on average between worker.scaling.min (0) and max (1); the expected cost runs min + utilisation x (max - min) workers. The cost table also shows the range at min and max.",
      ),
    albLcu: z.number().min(0).max(10000).default(1).describe("Assumed average ALB LCUs."),
    logsGbPerMonth: int(0, 1000000, "gigabytes").default(10).describe("Assumed CloudWatch Logs ingestion per month."),
  })
  .describe("Assumptions of the cost model.");
