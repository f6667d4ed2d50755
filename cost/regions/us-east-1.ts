import type { PriceSource, RegionPrices } from "./types";

/**
 * us-east-1 (N. Virginia) list prices: the base every other region's table starts from. Each group
 * was checked on `verified` against the sources below; the dataset sources carry their own dates.
 */

export const PRICES_VERIFIED = "2026-12-02";

/** Sources shared by every region's table. */
export const SOURCES = {
  fargate: {
    what: "Fargate Linux/x86 vCPU-hour and GB-hour by region, transcribed from https://aws.amazon.com/fargate/pricing/; Linux/ARM is 20% less, rounded to 5 decimals (checked against the published us-east-1 and ap-southeast-2 ARM rates)",
    url: "https://github.com/theuves/fgcalc/blob/master/src/utils/data.js",
    dataDate: "2025-11-25, unchanged since 2021-01-14",
  },
  ec2: {
    what: "EC2 Linux on-demand per instance-hour, us-east-1 (generated from the AWS Price List API by Karpenter)",
    url: "https://github.com/aws/karpenter-provider-aws/blob/main/pkg/providers/pricing/zz_generated.pricing_aws.go",
    dataDate: "2026-07-20",
  },
  elasticache: {
    what: "ElastiCache Redis OSS on-demand node-hour by region (ec2instances.info data)",
    url: "https://github.com/LeanerCloud/ec2-instances-info/blob/master/data/elasticache-instances.json",
    dataDate: "2025-04-24",
  },
  rds: {
    what: "RDS for PostgreSQL db.t4g single-AZ per hour, us-east-1 (Multi-AZ exactly 2x)",
    url: "https://infratally.com/articles/aws-rds-pricing-explained-2026.html",
    dataDate: "2026",
  },
  rdsM7g: {
    what: "RDS for PostgreSQL db.m7g.large single-AZ 0.168 per hour, us-east-1; larger sizes double per step (not re-checked on 2026-12-02)",
    url: "https://aws.amazon.com/rds/postgresql/pricing/",
  },
  rdsStorage: {
    what: "RDS gp3 storage 0.115 per GB-month, us-east-1",
    url: "https://www.usage.ai/blogs/aws/reserved-instances/rds/pricing-calculator/",
    dataDate: "2026-06",
  },
  nat: {
    what: "NAT gateway 0.045 per hour and per GB processed, US East; public IPv4 0.005 per address-hour",
    url: "https://cloudburn.io/blog/aws-nat-gateway-pricing",
    dataDate: "2026-02-24",
  },
  natApSoutheast1: {
    what: "NAT gateway ap-southeast-1: 0.059 per hour and per GB",
    url: "https://basavytix.com/blog/aws-nat-gateway-pricing",
  },
  alb: {
    what: "ALB 0.0225 per ALB-hour (us-east-1), 0.008 per LCU-hour",
    url: "https://aws.amazon.com/elasticloadbalancing/pricing/",
  },
  albApNortheast1: {
    what: "ALB ap-northeast-1: 0.0243 per ALB-hour, 0.008 per LCU-hour",
    url: "https://aws.darcy-it.com/elb%E3%81%AE%E3%82%B3%E3%82%B9%E3%83%88%E6%96%99%E9%87%91/",
  },
  cloudwatchLogs: {
    what: "CloudWatch Logs standard ingestion 0.50 per GB, us-east-1",
    url: "https://c3x.dev/blog/cloudwatch-logs-cost-optimization",
    dataDate: "2026-06",
  },
  cloudwatchLogsApNortheast1: {
    what: "CloudWatch Logs ingestion ap-northeast-1: 0.76 per GB",
    url: "https://awsi.click/en/articles/cloudwatch-logs-cost-structure-surprise/",
  },
  cloudwatch: { what: "CloudWatch alarms, custom metrics, dashboards", url: "https://aws.amazon.com/cloudwatch/pricing/" },
  ebs: { what: "EBS gp3 0.08 per GB-month, us-east-1", url: "https://aws.amazon.com/ebs/pricing/" },
  eks: {
    what: "EKS 0.10 per cluster-hour in standard support, 0.60 in extended support; one price for every region",
    url: "https://aws.amazon.com/eks/pricing/",
  },
  secrets: { what: "Secrets Manager 0.40 per secret-month; one price on the page", url: "https://aws.amazon.com/secrets-manager/pricing/" },
  kms: { what: "KMS 1 USD per customer-managed key-month; one price on the page", url: "https://aws.amazon.com/kms/pricing/" },
  lambda: { what: "Lambda arm64 0.0000133334 per GB-second, 0.20 per million requests", url: "https://aws.amazon.com/lambda/pricing/" },
} as const satisfies Record<string, PriceSource>;

export const US_EAST_1_EC2_HOURLY: Readonly<Record<string, number>> = {
  // Graviton (arm64)
  "t4g.medium": 0.0336,
  "t4g.large": 0.0672,
  "t4g.xlarge": 0.1344,
  "c6g.large": 0.068,
  "c6g.xlarge": 0.136,
  "c6g.2xlarge": 0.272,
  "c6g.4xlarge": 0.544,
  "c7g.large": 0.0725,
  "c7g.xlarge": 0.145,
  "c7g.2xlarge": 0.29,
  "c7g.4xlarge": 0.58,
  "m6g.large": 0.077,
  "m6g.xlarge": 0.154,
  "m6g.2xlarge": 0.308,
  "m6g.4xlarge": 0.616,
  "m7g.large": 0.0816,
  "m7g.xlarge": 0.1632,
  "m7g.2xlarge": 0.3264,
  "m7g.4xlarge": 0.6528,
  "r7g.large": 0.1071,
  "r7g.xlarge": 0.2142,
  "r7g.2xlarge": 0.4284,
  "r7g.4xlarge": 0.8568,
  // Intel (x86_64)
  "t3.medium": 0.0416,
  "t3.large": 0.0832,
  "t3.xlarge": 0.1664,
  "c6i.large": 0.085,
  "c6i.xlarge": 0.17,
  "c6i.2xlarge": 0.34,
  "c6i.4xlarge": 0.68,
  "c7i.large": 0.08925,
  "c7i.xlarge": 0.1785,
  "c7i.2xlarge": 0.357,
  "c7i.4xlarge": 0.714,
  "m6i.large": 0.096,
  "m6i.xlarge": 0.192,
  "m6i.2xlarge": 0.384,
  "m6i.4xlarge": 0.768,
  "m7i.large": 0.1008,
  "m7i.xlarge": 0.2016,
  "m7i.2xlarge": 0.4032,
  "m7i.4xlarge": 0.8064,
  "r7i.large": 0.1323,
  "r7i.xlarge": 0.2646,
  "r7i.2xlarge": 0.5292,
  "r7i.4xlarge": 1.0584,
};

export const US_EAST_1_RDS_HOURLY: Readonly<Record<string, number>> = {
  "db.t4g.micro": 0.016,
  "db.t4g.small": 0.032,
  "db.t4g.medium": 0.065,
  "db.m7g.large": 0.168,
  // Larger m7g sizes double with each step on the RDS pricing page.
  "db.m7g.xlarge": 0.336,
  "db.m7g.2xlarge": 0.672,
  "db.m7g.4xlarge": 1.344,
};

export const US_EAST_1: RegionPrices = {
  region: "us-east-1",
  verified: PRICES_VERIFIED,
  fargate: {
    x86_64: { vcpuHour: 0.04048, gbHour: 0.004445 },
    arm64: { vcpuHour: 0.03238, gbHour: 0.00356 },
  },
  rdsHourly: US_EAST_1_RDS_HOURLY,
  rdsGp3GbMonth: 0.115,
  elasticacheHourly: { "cache.t4g.micro": 0.016, "cache.t4g.small": 0.032, "cache.t4g.medium": 0.065, "cache.m7g.large": 0.158 },
  albHour: 0.0225,
  albLcuHour: 0.008,
  natHour: 0.045,
  natGb: 0.045,
  publicIpv4Hour: 0.005,
  ec2Hourly: US_EAST_1_EC2_HOURLY,
  ebsGp3GbMonth: 0.08,
  eksHour: 0.1,
  eksExtendedHour: 0.6,
  secretMonth: 0.4,
  cwCustomMetricMonth: 0.3,
  cwAlarmMonth: 0.1,
  cwDashboardMonth: 3,
  cwLogsIngestGb: 0.5,
  kmsKeyMonth: 1,
  lambdaArmGbSecond: 0.0000133334,
  lambdaRequestMillion: 0.2,
  status: {
    fargate: "verified",
    rds: "verified",
    rdsStorage: "verified",
    elasticache: "verified",
    alb: "listed",
    nat: "verified",
    publicIpv4: "uniform",
    ec2: "verified",
    ebs: "listed",
    eks: "uniform",
    secrets: "uniform",
    cloudwatch: "listed",
    cloudwatchLogs: "verified",
    kms: "uniform",
    lambda: "listed",
  },
  sources: [
    SOURCES.fargate,
    SOURCES.ec2,
    SOURCES.elasticache,
    SOURCES.rds,
    SOURCES.rdsM7g,
    SOURCES.rdsStorage,
    SOURCES.nat,
    SOURCES.alb,
    SOURCES.cloudwatchLogs,
    SOURCES.cloudwatch,
    SOURCES.ebs,
    SOURCES.eks,
    SOURCES.secrets,
    SOURCES.kms,
    SOURCES.lambda,
  ],
  notes: ["db.m7g, ALB, EBS, CloudWatch alarms/metrics and Lambda are the previous table's list prices, not re-checked on 2026-12-02"],
};
