/**
 * Security group ingress as stack policies see it: inline `ingress` blocks and separate rule
 * resources, the security group each targets, what uses each group, and which ports the stack's
 * databases and caches listen on.
 */
import type { PolicyResource } from "@pulumi/policy";
import { CACHE_DEFAULT_PORTS, SERVERLESS_CACHE_PORTS, rdsDefaultPort } from "../facts/ports";
import { CACHE_CLUSTER, REPLICATION_GROUP, SERVERLESS_CACHE } from "./caches";
import { RDS_CLUSTER, RDS_INSTANCE } from "./databases";
import { isUnknownValue } from "./define";
import { lastSegment } from "./stack";
import { OddInputError, objects, optList, optNum, optStr, strings, type Props } from "./values";

export const SECURITY_GROUP = "aws:ec2/securityGroup:SecurityGroup";
export const SECURITY_GROUP_RULE = "aws:ec2/securityGroupRule:SecurityGroupRule";
export const INGRESS_RULE = "aws:vpc/securityGroupIngressRule:SecurityGroupIngressRule";
export const SECURITY_GROUP_TYPES = [SECURITY_GROUP, SECURITY_GROUP_RULE, INGRESS_RULE];

/** A CIDR with prefix length 0 matches every address. */
export function isAnywhere(cidr: string): boolean {
  return /\/0+$/.test(cidr.trim());
}

export function allProtocols(protocol: string | undefined): boolean {
  return protocol === "-1" || protocol?.toLowerCase() === "all";
}

export function isIcmp(protocol: string | undefined): boolean {
  return ["icmp", "1", "icmpv6", "58"].includes(protocol?.toLowerCase() ?? "");
}

export interface IngressEntry {
  /** The security group or rule resource that declares the entry. */
  readonly resource: PolicyResource;
  /** The security group it adds to: the group's URN when the group is in the stack, else its id. */
  group: string;
  readonly protocol?: string;
  readonly from?: number;
  readonly to?: number;
  readonly cidrs: readonly string[];
  readonly inline: boolean;
}

/** Ports of `ports` an entry opens to 0.0.0.0/0 or ::/0 over TCP (or every protocol). */
export function exposedPorts(entry: IngressEntry, ports: readonly number[]): number[] {
  if (!entry.cidrs.some(isAnywhere)) return [];
  if (allProtocols(entry.protocol)) return [...ports];
  if (entry.protocol !== undefined && !["tcp", "6"].includes(entry.protocol.toLowerCase())) return [];
  const from = entry.from ?? 0;
  const to = entry.to ?? 65535;
  return ports.filter((p) => p >= from && p <= to);
}

export function worldCidrs(entry: IngressEntry): string[] {
  return entry.cidrs.filter(isAnywhere);
}

/** `all ports`, `port 22`, `udp ports 1000-2000`: what an entry opens, for messages. */
export function portText(entry: IngressEntry): string {
  if (allProtocols(entry.protocol)) return "all ports";
  const proto = entry.protocol && !["tcp", "6"].includes(entry.protocol.toLowerCase()) ? `${entry.protocol} ` : "";
  const from = entry.from ?? 0;
  const to = entry.to ?? 65535;
  return from === to ? `${proto}port ${from}` : `${proto}ports ${from}-${to}`;
}

function cidrsOf(r: Props): string[] {
  return [...strings(optList(r, "cidrBlocks"), "cidrBlocks"), ...strings(optList(r, "ipv6CidrBlocks"), "ipv6CidrBlocks")];
}

/** Ids, ARNs and names a security group is referred to by. */
export function groupKeys(sg: PolicyResource): string[] {
  const keys = [sg.urn];
  for (const field of ["id", "arn", "name"]) {
    const v = safeStr(sg.props, field);
    if (v) keys.push(field === "arn" ? lastSegment(v) : v);
  }
  return keys;
}

function safeStr(props: Props, key: string): string | undefined {
  try {
    return optStr(props, key);
  } catch (e) {
    if (isUnknownValue(e) || e instanceof OddInputError) return undefined;
    throw e;
  }
}

/** URN or id -> the URN of the security group in the stack it names. */
export function groupIndex(groups: readonly PolicyResource[]): Map<string, string> {
  const out = new Map<string, string>();
  for (const sg of groups) for (const k of groupKeys(sg)) out.set(k, sg.urn);
  return out;
}

/**
 * The ingress entries one resource declares. Throws on an odd or unknown input (callers guard it).
 * A rule resource's target is read from `securityGroupId` or, when that is unknown during preview,
 * from its property dependency.
 */
export function entriesOf(r: PolicyResource, groups: ReadonlyMap<string, string>): IngressEntry[] {
  if (r.type === SECURITY_GROUP) {
    return objects(optList(r.props, "ingress"), "ingress").map((i) => ({
      resource: r,
      group: r.urn,
      protocol: optStr(i, "protocol"),
      from: optNum(i, "fromPort"),
      to: optNum(i, "toPort"),
      cidrs: cidrsOf(i),
      inline: true,
    }));
  }
  const dep = (r.propertyDependencies?.securityGroupId ?? []).find((d) => d.type === SECURITY_GROUP)?.urn;
  const target = () => {
    const id = safeStr(r.props, "securityGroupId");
    return (id && groups.get(id)) ?? dep ?? id ?? `(unknown security group of ${r.name})`;
  };
  if (r.type === SECURITY_GROUP_RULE) {
    if (optStr(r.props, "type") !== "ingress") return [];
    return [
      {
        resource: r,
        group: target(),
        protocol: optStr(r.props, "protocol"),
        from: optNum(r.props, "fromPort"),
        to: optNum(r.props, "toPort"),
        cidrs: cidrsOf(r.props),
        inline: false,
      },
    ];
  }
  return [
    {
      resource: r,
      group: target(),
      protocol: optStr(r.props, "ipProtocol"),
      from: optNum(r.props, "fromPort"),
      to: optNum(r.props, "toPort"),
      cidrs: [optStr(r.props, "cidrIpv4"), optStr(r.props, "cidrIpv6")].filter((c): c is string => !!c),
      inline: false,
    },
  ];
}

/**
 * Drops inline entries a separate rule resource of the same group also declares: after a refresh a
 * group's `ingress` output lists the rules added by separate resources too, and one opening should
 * give one message.
 */
export function withoutDuplicates(entries: readonly IngressEntry[]): IngressEntry[] {
  const key = (e: IngressEntry, cidr: string) => `${e.group}|${(e.protocol ?? "").toLowerCase()}|${e.from ?? ""}|${e.to ?? ""}|${cidr}`;
  const separate = new Set(entries.filter((e) => !e.inline).flatMap((e) => e.cidrs.map((c) => key(e, c))));
  return entries.filter((e) => !e.inline || !e.cidrs.every((c) => separate.has(key(e, c))));
}

export const MEMORYDB_CLUSTER = "aws:memorydb/cluster:Cluster";
export const DOCDB_CLUSTER = "aws:docdb/cluster:Cluster";
/** Data stores whose listening port must never face the internet. */
export const DATA_STORE_TYPES = [RDS_INSTANCE, RDS_CLUSTER, REPLICATION_GROUP, CACHE_CLUSTER, SERVERLESS_CACHE, MEMORYDB_CLUSTER, DOCDB_CLUSTER];

/** Ports a data store listens on: its `port`, else its engine's default. Throws on odd input. */
export function dataStorePorts(r: PolicyResource): number[] {
  const port = optNum(r.props, "port");
  const engine = optStr(r.props, "engine")?.toLowerCase();
  switch (r.type) {
    case RDS_INSTANCE:
    case RDS_CLUSTER: {
      const p = port ?? rdsDefaultPort(engine);
      return p === undefined ? [] : [p];
    }
    case REPLICATION_GROUP:
      return [port ?? 6379];
    case CACHE_CLUSTER:
      if (optStr(r.props, "replicationGroupId")) return port === undefined ? [] : [port];
      return port !== undefined ? [port] : [...(CACHE_DEFAULT_PORTS[engine ?? ""] ?? [])];
    case SERVERLESS_CACHE:
      return [...(SERVERLESS_CACHE_PORTS[engine ?? "redis"] ?? [])];
    case MEMORYDB_CLUSTER:
      return [port ?? 6379];
    case DOCDB_CLUSTER:
      return [port ?? 27017];
    default:
      return [];
  }
}

/** Port -> the data stores of the stack that listen on it (unreadable ones are left out). */
export function dataStorePortMap(stores: readonly PolicyResource[]): Map<number, PolicyResource[]> {
  const out = new Map<number, PolicyResource[]>();
  for (const s of stores) {
    let ports: number[];
    try {
      ports = dataStorePorts(s);
    } catch (e) {
      if (isUnknownValue(e) || e instanceof OddInputError) continue;
      throw e;
    }
    for (const p of ports) out.set(p, [...(out.get(p) ?? []), s]);
  }
  return out;
}
