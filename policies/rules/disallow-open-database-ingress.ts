import { resourceRule } from "../lib/define";
import { objects, optList, optNum, optStr, strings, type Props } from "../lib/values";

const SECURITY_GROUP = "aws:ec2/securityGroup:SecurityGroup";
const SECURITY_GROUP_RULE = "aws:ec2/securityGroupRule:SecurityGroupRule";
const INGRESS_RULE = "aws:vpc/securityGroupIngressRule:SecurityGroupIngressRule";

interface Config {
  ports: number[];
}

/** A CIDR with prefix length 0 matches every address. */
function isAnywhere(cidr: string): boolean {
  return /\/0$/.test(cidr.trim());
}

function allPorts(protocol: string | undefined): boolean {
  return protocol === "-1" || protocol?.toLowerCase() === "all";
}

interface Rule {
  readonly protocol?: string;
  readonly from?: number;
  readonly to?: number;
  readonly cidrs: string[];
}

function exposedPorts(rule: Rule, ports: readonly number[]): number[] {
  const open = rule.cidrs.filter(isAnywhere);
  if (open.length === 0) return [];
  if (allPorts(rule.protocol)) return [...ports];
  if (rule.protocol !== undefined && !["tcp", "6"].includes(rule.protocol.toLowerCase())) return [];
  const from = rule.from ?? 0;
  const to = rule.to ?? 65535;
  return ports.filter((p) => p >= from && p <= to);
}

function rulesOf(type: string, props: Props): Rule[] {
  if (type === SECURITY_GROUP) {
    return objects(optList(props, "ingress"), "ingress").map((r) => ({
      protocol: optStr(r, "protocol"),
      from: optNum(r, "fromPort"),
      to: optNum(r, "toPort"),
      cidrs: [...strings(optList(r, "cidrBlocks"), "cidrBlocks"), ...strings(optList(r, "ipv6CidrBlocks"), "ipv6CidrBlocks")],
    }));
  }
  if (type === SECURITY_GROUP_RULE) {
    if (optStr(props, "type") !== "ingress") return [];
    return [{
      protocol: optStr(props, "protocol"),
      from: optNum(props, "fromPort"),
      to: optNum(props, "toPort"),
      cidrs: [...strings(optList(props, "cidrBlocks"), "cidrBlocks"), ...strings(optList(props, "ipv6CidrBlocks"), "ipv6CidrBlocks")],
    }];
  }
  return [{
    protocol: optStr(props, "ipProtocol"),
    from: optNum(props, "fromPort"),
    to: optNum(props, "toPort"),
    cidrs: [optStr(props, "cidrIpv4"), optStr(props, "cidrIpv6")].filter((c): c is string => !!c),
  }];
}

/** Postgres and Redis serve only the app; opened to the internet they face credential stuffing and exploits. */
export const disallowOpenDatabaseIngress = resourceRule<Config>({
  name: "disallow-open-database-ingress",
  description: "Security groups must not allow ingress from 0.0.0.0/0 or ::/0 to database or Redis ports (5432 and 6379 by default).",
  enforcementLevel: "mandatory",
  remediationSteps: "Allow the port only from the app's security group (`referencedSecurityGroupId` / `sourceSecurityGroupId`) or the VPC's private CIDR.",
  configSchema: {
    properties: {
      ports: { type: "array", items: { type: "integer", minimum: 1, maximum: 65535 }, default: [5432, 6379], description: "Ports that must not be open to the internet." },
    },
  },
  appliesTo: (t) => t === SECURITY_GROUP || t === SECURITY_GROUP_RULE || t === INGRESS_RULE,
  validate: (args, report, config) => {
    for (const rule of rulesOf(args.type, args.props)) {
      const ports = exposedPorts(rule, config.ports);
      if (ports.length === 0) continue;
      report.violation(
        `${args.type} "${args.name}" allows ingress from ${rule.cidrs.filter(isAnywhere).join(" and ")} to port ${ports.join(", ")}.`,
        "allow the port only from the app's security group (referencedSecurityGroupId/sourceSecurityGroupId) or a private CIDR.",
      );
    }
  },
});
