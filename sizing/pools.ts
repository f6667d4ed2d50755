import { RDS_CLASSES, poolBudget, rdsClass, type RdsClass } from "../policies/facts/rds";

export interface PoolUser {
  readonly poolSize: number;
  readonly maxInstances: number;
}

/** Connections all pools can open at maximum scale. */
export function poolConnections(users: readonly PoolUser[]): number {
  return users.reduce((sum, u) => sum + u.poolSize * u.maxInstances, 0);
}

export function fitsBudget(instanceClass: string, connections: number): boolean {
  const c = rdsClass(instanceClass);
  return c !== undefined && connections <= poolBudget(c.maxConnections);
}

/** Smallest class, no smaller than `floorClass`, whose 80% budget holds `connections`. */
export function smallestFittingClass(connections: number, floorClass: string): RdsClass | undefined {
  const floor = RDS_CLASSES.findIndex((c) => c.instanceClass === floorClass);
  return RDS_CLASSES.slice(Math.max(0, floor)).find((c) => connections <= poolBudget(c.maxConnections));
}
