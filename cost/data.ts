import { alarmMetricCount } from "../sizing/alarms";
import type { Plan } from "../sizing/types";
import type { NatData } from "./fleet";
import { priceOf, type RegionPrices } from "./regions";
import { HOURS_PER_MONTH, line, type CostLine } from "./types";

/**
 * Cost lines every platform shares: data tier, network, load balancer, secrets, observability.
 * Platform modules add their compute lines to these. Every price comes from the region's table.
 */

/** Generated app secrets (encryption key, JWT secret, worker token, Redis auth) + the RDS-managed master secret. */
export const SECRETS_PER_STACK = 5;

export function databaseLines(plan: Pick<Plan, "database">, p: RegionPrices): CostLine[] {
  const db = plan.database;
  const copies = db.multiAz ? 2 : 1;
  const label = `${db.instanceClass}${db.multiAz ? " Multi-AZ" : ""}`;
  return [
    line("database", `RDS Postgres ${label}`, copies, priceOf(p.rdsHourly, db.instanceClass, "RDS class") * HOURS_PER_MONTH, "instance-month"),
    line(
      "database",
      `gp3 storage ${db.allocatedStorageGb} GB${db.multiAz ? " x2 (standby)" : ""}`,
      db.allocatedStorageGb * copies,
      p.rdsGp3GbMonth,
      "GB-month",
    ),
  ];
}

export function redisLines(plan: Pick<Plan, "redis">, p: RegionPrices): CostLine[] {
  const nodes = 1 + plan.redis.replicas;
  return [
    line(
      "redis",
      `ElastiCache ${plan.redis.nodeType} x${nodes}`,
      nodes,
      priceOf(p.elasticacheHourly, plan.redis.nodeType, "node type") * HOURS_PER_MONTH,
      "node-month",
    ),
  ];
}

/** NAT gateways, the data they process and every public IPv4 address (NAT EIPs, internet-facing ALB nodes). */
export function networkLines(plan: Pick<Plan, "network" | "loadBalancer">, p: RegionPrices, nat: NatData): CostLine[] {
  const gateways = plan.network.natGateways;
  const albIps = plan.loadBalancer.scheme === "internet-facing" ? plan.network.azCount : 0;
  const lines: CostLine[] = [];
  if (gateways > 0) {
    lines.push(line("network", `NAT gateway x${gateways}`, gateways, p.natHour * HOURS_PER_MONTH, "gateway-month"));
    lines.push(line("network", nat.item, nat.gb, p.natGb, "GB"));
  }
  if (gateways + albIps > 0) {
    lines.push(line("network", "public IPv4 addresses", gateways + albIps, p.publicIpv4Hour * HOURS_PER_MONTH, "address-month"));
  }
  return lines;
}

export function loadBalancerLines(plan: Pick<Plan, "costAssumptions">, p: RegionPrices): CostLine[] {
  return [
    line("load balancer", "Application Load Balancer", 1, p.albHour * HOURS_PER_MONTH, "ALB-month"),
    line("load balancer", "ALB capacity units (assumed average)", plan.costAssumptions.albLcu * HOURS_PER_MONTH, p.albLcuHour, "LCU-hour"),
  ];
}

export function secretsLines(p: RegionPrices, count: number = SECRETS_PER_STACK): CostLine[] {
  return [line("secrets", "Secrets Manager secrets", count, p.secretMonth, "secret-month")];
}

/** The customer-managed key of the alarm topic (components/alarms.ts): CloudWatch cannot publish to a topic under alias/aws/sns. */
export function alarmTopicKeyLine(p: RegionPrices): CostLine {
  return line("observability", "KMS key for the alarm topic (first year; each of the first two yearly rotations adds 1 USD)", 1, p.kmsKeyMonth, "key-month");
}

export function observabilityLines(plan: Plan, p: RegionPrices, customMetrics: number): CostLine[] {
  const lines = [
    line("observability", "CloudWatch alarm metrics", alarmMetricCount(plan), p.cwAlarmMonth, "metric-month"),
    alarmTopicKeyLine(p),
    line("observability", "CloudWatch dashboard", 1, p.cwDashboardMonth, "dashboard-month"),
    line("observability", "CloudWatch Logs ingestion (assumed)", plan.costAssumptions.logsGbPerMonth, p.cwLogsIngestGb, "GB"),
  ];
  if (customMetrics > 0) lines.push(line("observability", "custom metrics (queue backlog)", customMetrics, p.cwCustomMetricMonth, "metric-month"));
  return lines;
}

/** Everything that is not compute; each platform brings its own observability lines and NAT data. */
export function sharedLines(plan: Plan, p: RegionPrices, nat: NatData, observability: readonly CostLine[]): CostLine[] {
  return [
    ...databaseLines(plan, p),
    ...redisLines(plan, p),
    ...networkLines(plan, p, nat),
    ...loadBalancerLines(plan, p),
    ...secretsLines(p),
    ...observability,
  ];
}
