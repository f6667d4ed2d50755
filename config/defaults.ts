import { resolveEksSettings, type EksSettings } from "./eks-settings";
import type { ParsedStackConfig } from "./schema";

/**
 * Environment-dependent defaults: staging is cheap (single NAT, single-AZ data, no replica),
 * prod is highly available (NAT per AZ, Multi-AZ RDS, a Redis replica with failover, protected data).
 */
export interface StackConfig extends Omit<ParsedStackConfig, "database" | "redis" | "network" | "protectData" | "eks"> {
  readonly database: ParsedStackConfig["database"] & {
    multiAz: boolean;
    backupRetentionDays: number;
    performanceInsights: boolean;
  };
  /** `nodeType` stays unset unless configured: the plan sizes it from the fleet. */
  readonly redis: ParsedStackConfig["redis"] & { replicas: number };
  readonly network:
    { mode: "new"; cidr: string; azCount: number; natGateways: "single" | "perAz" } | Extract<ParsedStackConfig["network"], { mode: "existing" }>;
  readonly protectData: boolean;
  /** EKS settings with node instance types chosen for the architecture and pod sizes. */
  readonly eks: EksSettings;
}

/** The keys every stack shares, whatever it runs (ActivePieces or a workload profile). */
type SharedInput = Pick<ParsedStackConfig, "environment" | "network" | "database" | "redis" | "protectData">;
export type SharedDefaults = Pick<StackConfig, "network" | "database" | "redis" | "protectData">;

/** Environment defaults of the shared keys (network, data tier, protection); both config kinds use them. */
export function resolveSharedDefaults(c: SharedInput): SharedDefaults {
  const prod = c.environment === "prod";
  const network: StackConfig["network"] =
    c.network.mode === "new"
      ? {
          mode: "new",
          cidr: c.network.cidr,
          azCount: c.network.azCount ?? 2,
          natGateways: c.network.natGateways ?? (prod ? "perAz" : "single"),
        }
      : c.network;
  return {
    database: {
      ...c.database,
      multiAz: c.database.multiAz ?? prod,
      backupRetentionDays: c.database.backupRetentionDays ?? (prod ? 14 : 7),
      performanceInsights: c.database.performanceInsights ?? prod,
    },
    redis: {
      ...c.redis,
      replicas: c.redis.replicas ?? (prod ? 1 : 0),
    },
    network,
    protectData: c.protectData === "auto" ? prod : c.protectData,
  };
}

export function resolveDefaults(c: ParsedStackConfig): StackConfig {
  return {
    ...c,
    ...resolveSharedDefaults(c),
    eks: resolveEksSettings(c.eks, c.architecture, c.app, c.worker),
  };
}
