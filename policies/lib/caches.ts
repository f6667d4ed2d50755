/** ElastiCache resources as the Redis rules see them: replication groups, standalone cache clusters, Serverless caches. */
import type { PolicyResource } from "@pulumi/policy";
import { optStr, type Props } from "./values";

export const REPLICATION_GROUP = "aws:elasticache/replicationGroup:ReplicationGroup";
export const CACHE_CLUSTER = "aws:elasticache/cluster:Cluster";
export const SERVERLESS_CACHE = "aws:elasticache/serverlessCache:ServerlessCache";
export const CACHE_PARAMETER_GROUP = "aws:elasticache/parameterGroup:ParameterGroup";
export const REDIS_ENGINES: readonly string[] = ["redis", "valkey"];

/** Redis or Valkey engine (a replication group without `engine` runs Redis). */
export function isRedisEngine(props: Props, fallback = "redis"): boolean {
  return REDIS_ENGINES.includes((optStr(props, "engine") ?? fallback).toLowerCase());
}

/** A cache cluster that is not a member of a replication group (members take the group's settings). */
export function isStandaloneRedisCluster(props: Props): boolean {
  return !optStr(props, "replicationGroupId") && isRedisEngine(props, "");
}

/** Hosts an ElastiCache resource answers on (primary/reader/configuration endpoints, cache nodes, Serverless endpoints). */
export function cacheHosts(r: PolicyResource): string[] {
  const hosts: string[] = [];
  const add = (v: unknown) => {
    if (typeof v === "string" && v) hosts.push(v.replace(/:\d+$/, ""));
  };
  for (const key of ["primaryEndpointAddress", "readerEndpointAddress", "configurationEndpointAddress", "clusterAddress", "configurationEndpoint"])
    add(r.props[key]);
  for (const key of ["cacheNodes", "endpoints", "readerEndpoints"]) {
    const list: unknown = r.props[key];
    if (Array.isArray(list)) for (const n of list) if (n && typeof n === "object") add((n as Props).address);
  }
  return hosts;
}
