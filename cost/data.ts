import { alarmSpecs } from "../sizing/alarms";
import type { Plan } from "../sizing/types";
import {
  ALB_HOUR, ALB_LCU_HOUR, CW_ALARM_MONTH, CW_CUSTOM_METRIC_MONTH, CW_DASHBOARD_MONTH, CW_LOGS_INGEST_GB,
  ELASTICACHE_HOURLY, NAT_GB, NAT_HOUR, PUBLIC_IPV4_HOUR, RDS_GP3_GB_MONTH, RDS_HOURLY, SECRET_MONTH, priceOf,
} from "./prices";
import { HOURS_PER_MONTH, line, type CostLine } from "./types";

/**
 * Cost lines every platform shares: data tier, network, load balancer, secrets, observability.
 * Platform modules add their compute lines to these.
 */

/** Generated app secrets (encryption key, JWT secret, worker token, Redis auth) + the RDS-managed master secret. */
export const SECRETS_PER_STACK = 5;


export function databaseLines(plan: Plan): CostLine[] {
  const db = plan.database;
  const copies = db.multiAz ? 2 : 1;
  const label = `${db.instanceClass}${db.multiAz ? " Multi-AZ" : ""}`;
  return [
    line("database", `RDS Postgres ${label}`, copies, priceOf(RDS_HOURLY, db.instanceClass, "RDS class") * HOURS_PER_MONTH, "instance-month"),
    line("database", `gp3 storage ${db.allocatedStorageGb} GB${db.multiAz ? " x2 (standby)" : ""}`, db.allocatedStorageGb * copies, RDS_GP3_GB_MONTH, "GB-month"),
  ];
}

export function redisLines(plan: Plan): CostLine[] {
  const nodes = 1 + plan.redis.replicas;
  return [line("redis", `ElastiCache ${plan.redis.nodeType} x${nodes}`, nodes, priceOf(ELASTICACHE_HOURLY, plan.redis.nodeType, "node type") * HOURS_PER_MONTH, "node-month")];
}

/** NAT gateways, their data processing and every public IPv4 address (NAT EIPs, internet-facing ALB nodes). */
export function networkLines(plan: Plan): CostLine[] {
  const nat = plan.network.natGateways;
  const albIps = plan.loadBalancer.scheme === "internet-facing" ? plan.network.azCount : 0;
  const lines: CostLine[] = [];
  if (nat > 0) {
    lines.push(line("network", `NAT gateway x${nat}`, nat, NAT_HOUR * HOURS_PER_MONTH, "gateway-month"));
    lines.push(line("network", "NAT data processed (S3 traffic bypasses via gateway endpoint)", plan.costAssumptions.natDataGbPerMonth, NAT_GB, "GB"));
  }
  if (nat + albIps > 0) {
    lines.push(line("network", "public IPv4 addresses", nat + albIps, PUBLIC_IPV4_HOUR * HOURS_PER_MONTH, "address-month"));
  }
  return lines;
}

export function loadBalancerLines(plan: Plan): CostLine[] {
  return [
    line("load balancer", "Application Load Balancer", 1, ALB_HOUR * HOURS_PER_MONTH, "ALB-month"),
    line("load balancer", "ALB capacity units (assumed average)", plan.costAssumptions.albLcu * HOURS_PER_MONTH, ALB_LCU_HOUR, "LCU-hour"),
  ];
}

export function secretsLines(): CostLine[] {
  return [line("secrets", "Secrets Manager secrets", SECRETS_PER_STACK, SECRET_MONTH, "secret-month")];
}

export function observabilityLines(plan: Plan, customMetrics: number): CostLine[] {
  const lines = [
    line("observability", "CloudWatch alarms", alarmSpecs(plan).length, CW_ALARM_MONTH, "alarm-month"),
    line("observability", "CloudWatch dashboard", 1, CW_DASHBOARD_MONTH, "dashboard-month"),
    line("observability", "CloudWatch Logs ingestion (assumed)", plan.costAssumptions.logsGbPerMonth, CW_LOGS_INGEST_GB, "GB"),
  ];
  if (customMetrics > 0) lines.push(line("observability", "custom metrics (queue backlog)", customMetrics, CW_CUSTOM_METRIC_MONTH, "metric-month"));
  return lines;
}

/** Everything that is not compute; each platform brings its own observability lines. */
export function sharedLines(plan: Plan, observability: readonly CostLine[]): CostLine[] {
  return [
    ...databaseLines(plan),
    ...redisLines(plan),
    ...networkLines(plan),
    ...loadBalancerLines(plan),
    ...secretsLines(),
    ...observability,
  ];
}
