/**
 * One region's price table: every unit price the cost model uses, USD, list prices (on-demand,
 * Linux, no Savings Plans), per hour unless the name says otherwise. Months are 730 hours.
 */

/**
 * Where a group of numbers comes from:
 * - verified: read for this region from a stated source on the table's `verified` date;
 * - listed: the us-east-1 list price of the previous table, not re-checked on that date;
 * - derived: not verified for this region: the us-east-1 price times the region's stated multiplier;
 * - uniform: the pricing page quotes one price for every commercial region.
 */
export type PriceStatus = "verified" | "listed" | "derived" | "uniform";

export interface PriceSource {
  /** What the source gave, e.g. "Fargate vCPU-hour and GB-hour (x86)". */
  readonly what: string;
  readonly url: string;
  /** Date of the data at the source (the page or file's own date), when it carries one. */
  readonly dataDate?: string;
}

export interface RegionPrices {
  readonly region: string;
  /** The date the numbers were checked against their sources. */
  readonly verified: string;
  readonly fargate: {
    readonly x86_64: { readonly vcpuHour: number; readonly gbHour: number };
    readonly arm64: { readonly vcpuHour: number; readonly gbHour: number };
  };
  /** RDS for PostgreSQL single-AZ per instance-hour; Multi-AZ (one standby) doubles instance and storage. */
  readonly rdsHourly: Readonly<Record<string, number>>;
  readonly rdsGp3GbMonth: number;
  /** ElastiCache for Redis OSS per node-hour. */
  readonly elasticacheHourly: Readonly<Record<string, number>>;
  readonly albHour: number;
  readonly albLcuHour: number;
  readonly natHour: number;
  readonly natGb: number;
  readonly publicIpv4Hour: number;
  /** EC2 Linux on-demand per instance-hour (EKS nodes). */
  readonly ec2Hourly: Readonly<Record<string, number>>;
  readonly ebsGp3GbMonth: number;
  /** EKS cluster-hour in standard Kubernetes version support, and in extended support (0.10 + 0.50). */
  readonly eksHour: number;
  readonly eksExtendedHour: number;
  readonly secretMonth: number;
  readonly cwCustomMetricMonth: number;
  /** Per standard-resolution alarm metric (a metric-math alarm counts each metric it reads). */
  readonly cwAlarmMonth: number;
  readonly cwDashboardMonth: number;
  readonly cwLogsIngestGb: number;
  /**
   * A customer-managed KMS key per key-month (first year; each of the first two yearly rotations adds
   * 1 USD/month). Requests stay inside the 20,000/month free tier at alarm volumes.
   */
  readonly kmsKeyMonth: number;
  /** Lambda arm64 per GB-second, and per million requests. */
  readonly lambdaArmGbSecond: number;
  readonly lambdaRequestMillion: number;
  /** How each group of prices was obtained in this region. */
  readonly status: Readonly<Record<PriceGroup, PriceStatus>>;
  readonly sources: readonly PriceSource[];
  /** Caveats printed with the table: derivations, multipliers and their sources. */
  readonly notes: readonly string[];
}

export const PRICE_GROUPS = [
  "fargate",
  "rds",
  "rdsStorage",
  "elasticache",
  "alb",
  "nat",
  "publicIpv4",
  "ec2",
  "ebs",
  "eks",
  "secrets",
  "cloudwatch",
  "cloudwatchLogs",
  "kms",
  "lambda",
] as const;
export type PriceGroup = (typeof PRICE_GROUPS)[number];
