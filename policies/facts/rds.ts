/**
 * RDS for PostgreSQL instance classes the sizing picks from, with memory and the default
 * `max_connections` = LEAST(DBInstanceClassMemory / 9531392, 5000).
 * Source: https://docs.aws.amazon.com/AmazonRDS/latest/UserGuide/CHAP_Limits.html#RDS_Limits.MaxConnections
 * DBInstanceClassMemory is below the nominal memory (the OS and RDS processes keep some), so the
 * values are the observed defaults (198 at 2 GiB, 413 at 4 GiB, 856 at 8 GiB), not memory / 9531392.
 * Values for 1, 16 and 32 GiB are extrapolated conservatively from the same reserve.
 */
export interface RdsClass {
  readonly instanceClass: string;
  readonly vcpu: number;
  readonly memoryGiB: number;
  readonly maxConnections: number;
  readonly arch: "arm64" | "x86_64";
}

export const RDS_CLASSES: readonly RdsClass[] = [
  { instanceClass: "db.t4g.micro", vcpu: 2, memoryGiB: 1, maxConnections: 87, arch: "arm64" },
  { instanceClass: "db.t4g.small", vcpu: 2, memoryGiB: 2, maxConnections: 198, arch: "arm64" },
  { instanceClass: "db.t4g.medium", vcpu: 2, memoryGiB: 4, maxConnections: 413, arch: "arm64" },
  { instanceClass: "db.m7g.large", vcpu: 2, memoryGiB: 8, maxConnections: 856, arch: "arm64" },
  { instanceClass: "db.m7g.xlarge", vcpu: 4, memoryGiB: 16, maxConnections: 1740, arch: "arm64" },
  { instanceClass: "db.m7g.2xlarge", vcpu: 8, memoryGiB: 32, maxConnections: 3500, arch: "arm64" },
  { instanceClass: "db.m7g.4xlarge", vcpu: 16, memoryGiB: 64, maxConnections: 5000, arch: "arm64" },
];

export const RDS_MAX_CONNECTIONS_DIVISOR = 9531392;
export const RDS_MAX_CONNECTIONS_CAP = 5000;

/** Share of max_connections the application pools may take; the rest is for admin, migrations, replication. */
export const POOL_BUDGET_SHARE = 0.8;

export function rdsClass(instanceClass: string): RdsClass | undefined {
  return RDS_CLASSES.find((c) => c.instanceClass === instanceClass);
}

/** max_connections for a class, or undefined when the class is unknown. */
export function maxConnectionsFor(instanceClass: string): number | undefined {
  return rdsClass(instanceClass)?.maxConnections;
}

/** Connections the pools may use for a class: floor(0.8 x max_connections). */
export function poolBudget(maxConnections: number): number {
  return Math.floor(POOL_BUDGET_SHARE * maxConnections);
}
