/**
 * Default ports of the data stores the pack recognises, for a resource without a `port` input.
 * Sources: RDS https://docs.aws.amazon.com/AmazonRDS/latest/APIReference/API_CreateDBInstance.html (Port),
 * ElastiCache https://docs.aws.amazon.com/AmazonElastiCache/latest/dg/accessing-elasticache.html.
 */

/** RDS and Aurora engine (prefix) -> default port. */
export const RDS_DEFAULT_PORTS: readonly (readonly [prefix: string, port: number])[] = [
  ["aurora-postgresql", 5432],
  ["aurora-mysql", 3306],
  ["aurora", 3306],
  ["postgres", 5432],
  ["mysql", 3306],
  ["mariadb", 3306],
  ["oracle", 1521],
  ["custom-oracle", 1521],
  ["sqlserver", 1433],
  ["custom-sqlserver", 1433],
  ["db2", 50000],
];

/** ElastiCache engine -> default ports (Serverless also serves reads on the port after it). */
export const CACHE_DEFAULT_PORTS: Readonly<Record<string, readonly number[]>> = {
  redis: [6379],
  valkey: [6379],
  memcached: [11211],
};
export const SERVERLESS_CACHE_PORTS: Readonly<Record<string, readonly number[]>> = {
  redis: [6379, 6380],
  valkey: [6379, 6380],
  memcached: [11211, 11212],
};

export function rdsDefaultPort(engine: string | undefined): number | undefined {
  if (!engine) return undefined;
  return RDS_DEFAULT_PORTS.find(([prefix]) => engine === prefix || engine.startsWith(`${prefix}-`) || (prefix !== "aurora" && engine.startsWith(prefix)))?.[1];
}
