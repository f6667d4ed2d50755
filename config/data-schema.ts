import { z } from "zod";
import { RDS_CLASSES } from "../policies/facts/rds";
import { int } from "./fields";

/** The data tier overrides: `database` (RDS Postgres) and `redis` (ElastiCache) (config/schema.ts). */

export const DatabaseSchema = z
  .strictObject({
    instanceClass: z
      .enum(RDS_CLASSES.map((c) => c.instanceClass) as [string, ...string[]])
      .optional()
      .describe("RDS instance class. Default: the smallest class whose pool budget fits (prod at least db.t4g.small)."),
    engineVersion: z
      .string()
      .regex(/^\d+(\.\d+)?$/, { error: "expected a Postgres version such as 16 or 16.4" })
      .default("16")
      .describe("Postgres engine version."),
    allocatedStorageGb: int(20, 65536, "gigabytes").default(20).describe("Initial gp3 storage."),
    maxAllocatedStorageGb: int(20, 65536, "gigabytes").default(100).describe("Storage autoscaling ceiling."),
    multiAz: z.boolean().optional().describe("Standby in a second AZ. Default: false in staging, true in prod."),
    backupRetentionDays: int(1, 35, "days").optional().describe("Automated backup retention. Default: 7 in staging, 14 in prod."),
    performanceInsights: z.boolean().optional().describe("Enable Performance Insights. Default: false in staging, true in prod."),
  })
  .describe("RDS Postgres overrides.");

export const RedisSchema = z
  .strictObject({
    nodeType: z
      .enum(["cache.t4g.micro", "cache.t4g.small", "cache.t4g.medium", "cache.m7g.large"])
      .optional()
      .describe(
        "ElastiCache node type. Default by fleet: cache.t4g.micro for staging up to 50 workers, cache.t4g.small up to 200, cache.t4g.medium up to 1,000, cache.m7g.large above.",
      ),
    replicas: int(0, 5, "a number of replicas").optional().describe("Read replicas with automatic failover. Default: 0 in staging, 1 in prod."),
    engineVersion: z
      .string()
      .regex(/^\d+\.\d+$/, { error: "expected a Redis version such as 7.1" })
      .default("7.1")
      .describe("Redis engine version."),
  })
  .describe("ElastiCache Redis overrides (cluster mode is always off).");
