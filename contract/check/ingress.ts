import { type CheckedResource, TYPES, num, objs, ofType, prop, str, strings } from "./types";

/**
 * Every way the stack can open a security group, as one shape: standalone ingress rules
 * (aws.vpc.SecurityGroupIngressRule, what this project uses), legacy aws.ec2.SecurityGroupRule and
 * inline `ingress` blocks. A check that read only the first kind would miss the other two.
 */
export interface IngressRule {
  /** The resource that opens it. */
  readonly name: string;
  /** The security group it opens. */
  readonly sg: string;
  /** Where traffic may come from: a security group id, or a description of a CIDR, prefix list or `self`. */
  readonly sourceSg?: string;
  readonly source: string;
  /** `tcp`, `all` (-1) or the protocol as written. */
  readonly protocol: string;
  readonly fromPort: number;
  readonly toPort: number;
}

const protocolOf = (p: unknown): string => {
  const v = (str(p) ?? num(p)?.toString() ?? "").toLowerCase();
  return v === "6" ? "tcp" : v === "-1" || v === "all" ? "all" : v;
};

function expand(name: string, sg: string, b: Record<string, unknown>, sgKeys: string[], proto: unknown): IngressRule[] {
  const base = { name, sg, protocol: protocolOf(proto), fromPort: num(b.fromPort) ?? 0, toPort: num(b.toPort) ?? 0 };
  return [
    ...sgKeys.flatMap((k) => strings(b[k]).concat(str(b[k]) ?? [])).map((id) => ({ ...base, sourceSg: id, source: id })),
    ...["cidrIpv4", "cidrIpv6", "cidrBlocks", "ipv6CidrBlocks"]
      .flatMap((k) => strings(b[k]).concat(str(b[k]) ?? []))
      .map((c) => ({ ...base, source: `CIDR ${c}` })),
    ...["prefixListId", "prefixListIds"].flatMap((k) => strings(b[k]).concat(str(b[k]) ?? [])).map((p) => ({ ...base, source: `prefix list ${p}` })),
    ...(b.self === true ? [{ ...base, sourceSg: sg, source: sg }] : []),
  ];
}

export function ingressRules(rs: readonly CheckedResource[]): IngressRule[] {
  const standalone = ofType(rs, TYPES.ingressRule).flatMap((r) =>
    expand(r.name, str(prop(r, "securityGroupId")) ?? "", { ...r.inputs, ...r.outputs }, ["referencedSecurityGroupId"], prop(r, "ipProtocol")),
  );
  const legacy = ofType(rs, TYPES.sgRule)
    .filter((r) => prop(r, "type") === "ingress")
    .flatMap((r) => expand(r.name, str(prop(r, "securityGroupId")) ?? "", { ...r.inputs, ...r.outputs }, ["sourceSecurityGroupId"], prop(r, "protocol")));
  const inline = ofType(rs, TYPES.sg).flatMap((r) => objs(prop(r, "ingress")).flatMap((b) => expand(r.name, r.id ?? "", b, ["securityGroups"], b.protocol)));
  return [...standalone, ...legacy, ...inline];
}

/** Whether the rule lets TCP reach `port`. */
export const opens = (r: IngressRule, port: number): boolean => r.protocol === "all" || (r.protocol === "tcp" && r.fromPort <= port && port <= r.toPort);

/** Whether the rule opens exactly TCP `port`, nothing wider. */
export const exactly = (r: IngressRule, port: number): boolean => r.protocol === "tcp" && r.fromPort === port && r.toPort === port;

/** Whether some rule on one of `targets` lets one of `sources` reach `port`. */
export function hasIngress(rules: readonly IngressRule[], targets: readonly string[], sources: readonly string[], port: number): boolean {
  return rules.some((r) => targets.includes(r.sg) && r.sourceSg !== undefined && sources.includes(r.sourceSg) && opens(r, port));
}

/** A security group the check guards, and the callers (security groups on one port each) allowed in. */
export interface Guarded {
  readonly label: string;
  readonly sgs: readonly string[];
  readonly allowed: readonly { readonly sgs: readonly string[]; readonly port: number }[];
}

const ports = (r: IngressRule): string =>
  r.protocol === "all" ? "all ports" : r.fromPort === r.toPort ? `${r.protocol === "tcp" ? "" : `${r.protocol} `}${r.fromPort}` : `${r.fromPort}-${r.toPort}`;

/** Rules on a guarded group that no allowed caller explains, as messages. */
export function unexplainedIngress(rules: readonly IngressRule[], guarded: readonly Guarded[], describe: (sg: string) => string): string[] {
  const out: string[] = [];
  for (const g of guarded) {
    for (const r of rules.filter((x) => g.sgs.includes(x.sg))) {
      const explained = r.sourceSg !== undefined && g.allowed.some((a) => a.sgs.includes(r.sourceSg!) && exactly(r, a.port));
      if (!explained) {
        const from = r.sourceSg !== undefined ? describe(r.sourceSg) : r.source;
        out.push(`ingress rule ${r.name} opens ${g.label} to ${from} on ${ports(r)}, which no contract edge or known caller needs`);
      }
    }
  }
  return out;
}
