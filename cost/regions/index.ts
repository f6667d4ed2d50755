import { PRICES_VERIFIED, SOURCES, US_EAST_1, US_EAST_1_EC2_HOURLY, US_EAST_1_RDS_HOURLY } from "./us-east-1";
import type { PriceSource, PriceStatus, RegionPrices } from "./types";

export type { PriceGroup, PriceSource, PriceStatus, RegionPrices } from "./types";
export { PRICES_VERIFIED, US_EAST_1 } from "./us-east-1";

/**
 * Price tables by region. Fargate and ElastiCache are read per region from the sources in
 * ./us-east-1.ts. EC2, RDS and the rest were not verifiable per region: they are the us-east-1
 * price times a stated regional multiplier, and each table says so in its notes. A region outside
 * PRICED_REGIONS is priced with the us-east-1 table and a warning that names it.
 */

interface RegionData {
  /** Fargate Linux/x86 vCPU-hour and GB-hour (verified, SOURCES.fargate). */
  readonly fargateX86: readonly [number, number];
  /** ElastiCache Redis OSS cache.t4g.micro/small/medium and cache.m7g.large (verified, SOURCES.elasticache). */
  readonly elasticache: readonly [number, number, number, number];
  /**
   * Median over the ElastiCache Redis on-demand node types offered in both regions of
   * (price here / price in us-east-1), SOURCES.elasticache, rounded to 3 decimals; `nodeTypes` is
   * how many types the median is over.
   */
  readonly multiplier: number;
  readonly nodeTypes: number;
  /** Prices read for this region that replace derived ones. */
  readonly verified?: Partial<Pick<RegionPrices, "natHour" | "natGb" | "albHour" | "albLcuHour" | "cwLogsIngestGb">>;
  readonly verifiedSources?: readonly PriceSource[];
}

const DATA: Readonly<Record<string, RegionData>> = {
  "us-east-2": { fargateX86: [0.04048, 0.004445], elasticache: [0.016, 0.032, 0.065, 0.158], multiplier: 1, nodeTypes: 73 },
  "us-west-2": { fargateX86: [0.04048, 0.004445], elasticache: [0.016, 0.032, 0.065, 0.158], multiplier: 1, nodeTypes: 73 },
  "eu-west-1": { fargateX86: [0.04048, 0.004445], elasticache: [0.017, 0.034, 0.068, 0.174], multiplier: 1.114, nodeTypes: 73 },
  "eu-central-1": { fargateX86: [0.04656, 0.00511], elasticache: [0.018, 0.036, 0.072, 0.188], multiplier: 1.193, nodeTypes: 66 },
  "eu-west-2": { fargateX86: [0.04656, 0.00511], elasticache: [0.018, 0.036, 0.072, 0.182], multiplier: 1.157, nodeTypes: 61 },
  "ap-southeast-1": {
    fargateX86: [0.05056, 0.00553],
    elasticache: [0.024, 0.048, 0.095, 0.197],
    multiplier: 1.242,
    nodeTypes: 66,
    verified: { natHour: 0.059, natGb: 0.059 },
    verifiedSources: [SOURCES.natApSoutheast1],
  },
  "ap-southeast-2": { fargateX86: [0.04856, 0.00532], elasticache: [0.024, 0.048, 0.095, 0.196], multiplier: 1.241, nodeTypes: 66 },
  "ap-northeast-1": {
    fargateX86: [0.05056, 0.00553],
    elasticache: [0.025, 0.049, 0.098, 0.202],
    multiplier: 1.28,
    nodeTypes: 66,
    verified: { albHour: 0.0243, albLcuHour: 0.008, cwLogsIngestGb: 0.76 },
    verifiedSources: [SOURCES.albApNortheast1, SOURCES.cloudwatchLogsApNortheast1],
  },
};

/** Regions with a price table of their own. */
export const PRICED_REGIONS: readonly string[] = ["us-east-1", ...Object.keys(DATA)];

/** Rounds a derived price to 5 decimals (below a tenth of a cent per hour). */
function r5(n: number): number {
  return Math.round(n * 1e5) / 1e5;
}

function scale(table: Readonly<Record<string, number>>, f: (key: string) => number): Record<string, number> {
  return Object.fromEntries(Object.entries(table).map(([k, v]) => [k, r5(v * f(k))]));
}

const CACHE_TYPES = ["cache.t4g.micro", "cache.t4g.small", "cache.t4g.medium", "cache.m7g.large"] as const;

/** The ElastiCache class whose regional ratio prices an RDS class: db.t4g.x <- cache.t4g.x, db.m7g.* <- cache.m7g.large. */
function cacheClassFor(rdsClass: string): (typeof CACHE_TYPES)[number] {
  if (rdsClass.startsWith("db.m7g.")) return "cache.m7g.large";
  const match = CACHE_TYPES.find((t) => t === rdsClass.replace(/^db\./, "cache."));
  if (!match) throw new Error(`no ElastiCache class to price ${rdsClass} by region; add one to cost/regions/index.ts`);
  return match;
}

function buildRegion(region: string, d: RegionData): RegionPrices {
  const m = d.multiplier;
  const cache = Object.fromEntries(CACHE_TYPES.map((t, i) => [t, d.elasticache[i]!])) as Record<string, number>;
  const base = US_EAST_1;
  const v = d.verified ?? {};
  const derived = (verifiedHere: boolean): PriceStatus => (verifiedHere ? "verified" : "derived");
  const [vcpuHour, gbHour] = d.fargateX86;
  return {
    region,
    verified: PRICES_VERIFIED,
    fargate: {
      x86_64: { vcpuHour, gbHour },
      // Graviton Fargate is 20% below x86 in every region, rounded to 5 decimals.
      arm64: { vcpuHour: r5(vcpuHour * 0.8), gbHour: r5(gbHour * 0.8) },
    },
    rdsHourly: scale(US_EAST_1_RDS_HOURLY, (k) => cache[cacheClassFor(k)]! / base.elasticacheHourly[cacheClassFor(k)]!),
    rdsGp3GbMonth: r5(base.rdsGp3GbMonth * m),
    elasticacheHourly: cache,
    albHour: v.albHour ?? r5(base.albHour * m),
    albLcuHour: v.albLcuHour ?? r5(base.albLcuHour * m),
    natHour: v.natHour ?? r5(base.natHour * m),
    natGb: v.natGb ?? r5(base.natGb * m),
    publicIpv4Hour: base.publicIpv4Hour,
    ec2Hourly: scale(US_EAST_1_EC2_HOURLY, () => m),
    ebsGp3GbMonth: r5(base.ebsGp3GbMonth * m),
    eksHour: base.eksHour,
    eksExtendedHour: base.eksExtendedHour,
    secretMonth: base.secretMonth,
    cwCustomMetricMonth: r5(base.cwCustomMetricMonth * m),
    cwAlarmMonth: r5(base.cwAlarmMonth * m),
    cwDashboardMonth: base.cwDashboardMonth,
    cwLogsIngestGb: v.cwLogsIngestGb ?? r5(base.cwLogsIngestGb * m),
    kmsKeyMonth: base.kmsKeyMonth,
    lambdaArmGbSecond: base.lambdaArmGbSecond,
    lambdaRequestMillion: base.lambdaRequestMillion,
    status: {
      fargate: "verified",
      elasticache: "verified",
      rds: "derived",
      rdsStorage: "derived",
      alb: derived(v.albHour !== undefined),
      nat: derived(v.natHour !== undefined),
      publicIpv4: "uniform",
      ec2: "derived",
      ebs: "derived",
      eks: "uniform",
      secrets: "uniform",
      cloudwatch: "derived",
      cloudwatchLogs: derived(v.cwLogsIngestGb !== undefined),
      kms: "uniform",
      lambda: "uniform",
    },
    sources: [SOURCES.fargate, SOURCES.elasticache, ...(d.verifiedSources ?? []), SOURCES.ec2, SOURCES.rds, SOURCES.eks, SOURCES.secrets, SOURCES.kms],
    notes: [
      `EC2, RDS storage, EBS, CloudWatch${v.albHour === undefined ? ", ALB" : ""}${v.natHour === undefined ? ", NAT" : ""} prices were not verified for ${region}: ` +
        `us-east-1 x ${m.toFixed(3)}, the median ratio of ElastiCache Redis node prices ${region}/us-east-1 over ${d.nodeTypes} node types (ec2instances.info data, 2025-04-24)`,
      `RDS classes: us-east-1 x the ratio of the matching ElastiCache class (db.t4g.* <- cache.t4g.*, db.m7g.* <- cache.m7g.large)`,
    ],
  };
}

const TABLES: Readonly<Record<string, RegionPrices>> = {
  "us-east-1": US_EAST_1,
  ...Object.fromEntries(Object.entries(DATA).map(([r, d]) => [r, buildRegion(r, d)])),
};

export interface RegionPricing {
  /** The table used: the region's own, or us-east-1 when the region has none. */
  readonly prices: RegionPrices;
  /** The region asked for. */
  readonly region: string;
  /** Set when the region has no table of its own; names the region and the prices used. */
  readonly warning?: string;
}

/** The price table for a region; a region without one is priced with us-east-1 and a warning. */
export function pricesFor(region: string): RegionPricing {
  const own = TABLES[region];
  if (own) return { prices: own, region };
  return {
    prices: US_EAST_1,
    region,
    warning:
      `no price table for ${region}: priced with us-east-1 list prices (verified ${PRICES_VERIFIED}); ` +
      `${region} list prices are usually higher. Tables exist for ${PRICED_REGIONS.join(", ")}`,
  };
}

/** The price of `key` in a table; a missing price is a gap in the table, never zero. */
export function priceOf(table: Readonly<Record<string, number>>, key: string, what: string): number {
  const price = table[key];
  if (price === undefined) throw new Error(`no price for ${what} ${key}; add it to the price tables in cost/regions/`);
  return price;
}
