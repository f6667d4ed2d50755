/**
 * Price table, us-east-1 on-demand list prices, USD. One dated table: update the date and the
 * numbers together. A month is 730 hours (the AWS pricing pages' convention).
 */
export const PRICES_AS_OF = "2026-11-01";

export const PRICE_SOURCES = {
  fargate: "https://aws.amazon.com/fargate/pricing/",
  rds: "https://aws.amazon.com/rds/postgresql/pricing/",
  elasticache: "https://aws.amazon.com/elasticache/pricing/",
  alb: "https://aws.amazon.com/elasticloadbalancing/pricing/",
  vpc: "https://aws.amazon.com/vpc/pricing/",
  secretsManager: "https://aws.amazon.com/secrets-manager/pricing/",
  cloudwatch: "https://aws.amazon.com/cloudwatch/pricing/",
  lambda: "https://aws.amazon.com/lambda/pricing/",
} as const;

/** The price of `key` in a table; a missing price is a gap in the table, never zero. */
export function priceOf(table: Readonly<Record<string, number>>, key: string, what: string): number {
  const price = table[key];
  if (price === undefined) throw new Error(`no price for ${what} ${key}; add it to the price table in cost/`);
  return price;
}

/** Fargate per vCPU-hour and per GB-hour, by architecture. */
export const FARGATE = {
  x86_64: { vcpuHour: 0.04048, gbHour: 0.004445 },
  arm64: { vcpuHour: 0.03238, gbHour: 0.00356 },
} as const;

/** RDS for PostgreSQL single-AZ per hour; Multi-AZ (one standby) doubles instance and storage. */
export const RDS_HOURLY: Readonly<Record<string, number>> = {
  "db.t4g.micro": 0.016,
  "db.t4g.small": 0.032,
  "db.t4g.medium": 0.065,
  "db.m7g.large": 0.168,
  // Larger m7g sizes double with each step on the RDS pricing page.
  "db.m7g.xlarge": 0.336,
  "db.m7g.2xlarge": 0.672,
  "db.m7g.4xlarge": 1.344,
};
export const RDS_GP3_GB_MONTH = 0.115;

/** ElastiCache for Redis OSS per node-hour. */
export const ELASTICACHE_HOURLY: Readonly<Record<string, number>> = {
  "cache.t4g.micro": 0.016,
  "cache.t4g.small": 0.032,
  "cache.t4g.medium": 0.065,
  "cache.m7g.large": 0.158,
};

export const ALB_HOUR = 0.0225;
export const ALB_LCU_HOUR = 0.008;
export const NAT_HOUR = 0.045;
export const NAT_GB = 0.045;
export const PUBLIC_IPV4_HOUR = 0.005;
export const SECRET_MONTH = 0.4;
export const CW_CUSTOM_METRIC_MONTH = 0.3;
export const CW_ALARM_MONTH = 0.1;
export const CW_DASHBOARD_MONTH = 3;
export const CW_LOGS_INGEST_GB = 0.5;
/** Lambda arm64, per GB-second, and per million requests. */
export const LAMBDA_ARM_GB_SECOND = 0.0000133334;
export const LAMBDA_REQUEST_MILLION = 0.2;
