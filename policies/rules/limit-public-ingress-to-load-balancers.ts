import { ATTACHMENT_TYPES, attachmentIndex } from "../lib/attachments";
import { guarded, label, mayHold, stackRule } from "../lib/define";
import { StackIndex } from "../lib/stack";
import {
  DATA_STORE_TYPES,
  SECURITY_GROUP,
  SECURITY_GROUP_TYPES,
  dataStorePortMap,
  entriesOf,
  exposedPorts,
  groupIndex,
  groupKeys,
  isIcmp,
  portText,
  withoutDuplicates,
  worldCidrs,
  type IngressEntry,
} from "../lib/security-groups";
import { globMatch } from "../lib/values";

interface Config {
  exemptSecurityGroups: string[];
}

/**
 * Only a load balancer should take traffic from the whole internet; tasks, databases, caches,
 * instances and nodes sit behind it and accept the load balancer's security group or private CIDRs.
 * Egress is not judged (0.0.0.0/0 egress is how tasks reach AWS APIs), nor ICMP (path MTU discovery
 * needs it). An opening to a database's or cache's port is left to disallow-open-database-ingress,
 * so it gives one message. A group nothing in the stack uses may belong to a load balancer managed
 * elsewhere: the pack cannot see it and says so in an advisory.
 */
export const limitPublicIngressToLoadBalancers = stackRule<Config>({
  name: "limit-public-ingress-to-load-balancers",
  description:
    "Security groups may allow ingress from 0.0.0.0/0 or ::/0 only when load balancers are all that use them, never tasks, databases, caches, instances or nodes.",
  enforcementLevel: "mandatory",
  remediationSteps:
    "Put a load balancer in front and allow only its security group (`referencedSecurityGroupId` / `sourceSecurityGroupId`) on the workload's group, or narrow the CIDR to the networks that need access.",
  configSchema: {
    properties: {
      exemptSecurityGroups: {
        type: "array",
        items: { type: "string" },
        default: [],
        description: "Security group resource names, group names or ids (`*` wildcards allowed) that are public on purpose, such as a VPN endpoint.",
      },
    },
  },
  appliesTo: (t) => SECURITY_GROUP_TYPES.includes(t),
  // Who uses a group, and which ports are the stores', matter only for an opening to the internet.
  context: { types: (t) => ATTACHMENT_TYPES.includes(t) || DATA_STORE_TYPES.includes(t), neededBy: (_t, props) => mayHold(props, "/0") },
  validate: (args, report, config) => {
    const index = new StackIndex(args.resources);
    const rules = index.ofType(...SECURITY_GROUP_TYPES);
    if (rules.length === 0) return;
    const sgs = index.ofType(SECURITY_GROUP);
    const groups = groupIndex(sgs);
    const byUrn = new Map(sgs.map((g) => [g.urn, g]));
    const storePorts = [...dataStorePortMap(index.ofType(...DATA_STORE_TYPES)).keys()];
    const entries: IngressEntry[] = [];
    for (const r of rules) guarded(report, `the ingress rules of ${label(r)}`, r.urn, () => entries.push(...entriesOf(r, groups)));
    const open = withoutDuplicates(entries).filter((e) => worldCidrs(e).length > 0 && !isIcmp(e.protocol) && exposedPorts(e, storePorts).length === 0);
    if (open.length === 0) return;
    const users = attachmentIndex(index.ofType(...ATTACHMENT_TYPES), groups);
    const exempt = (e: IngressEntry) => {
      const sg = byUrn.get(e.group);
      const names = [e.group, e.resource.name, ...(sg ? [sg.name, ...groupKeys(sg)] : [])];
      return config.exemptSecurityGroups.some((p) => names.some((n) => globMatch(p, n)));
    };
    // One message per declaring resource and group, listing what it opens.
    const byDeclaration = new Map<string, IngressEntry[]>();
    for (const e of open) {
      const k = `${e.resource.urn}|${e.group}`;
      byDeclaration.set(k, [...(byDeclaration.get(k) ?? []), e]);
    }
    for (const [, list] of byDeclaration) {
      const e = list[0]!;
      guarded(report, `the users of the security group of ${label(e.resource)}`, e.resource.urn, () => {
        if (exempt(e)) return;
        const sg = byUrn.get(e.group);
        const groupText = sg ? `security group "${sg.name}"` : `security group ${e.group}`;
        const opening = `${label(e.resource)} opens ${list.map((x) => `${portText(x)} to ${worldCidrs(x).join(" and ")}`).join(", ")}`;
        const mine = users.get(e.group) ?? [];
        const workloads = mine.filter((u) => u.kind === "workload");
        if (workloads.length > 0) {
          report.violation(
            `${opening} on ${groupText}, which ${workloads.map((u) => label(u.resource)).join(", ")} use${workloads.length === 1 ? "s" : ""}; only a load balancer's security group may take traffic from the internet.`,
            "allow only the load balancer's security group (`referencedSecurityGroupId`/`sourceSecurityGroupId`) or a private CIDR on this group, and keep the internet-facing rule on the load balancer's own group.",
            e.resource.urn,
          );
        } else if (mine.length === 0) {
          report.cannotVerify(
            `whether ${groupText} belongs to a load balancer`,
            `${opening} and nothing in this stack uses the group`,
            "attach the group only to a load balancer; if a load balancer in another stack uses it, list it in `exemptSecurityGroups`.",
            e.resource.urn,
          );
        }
      });
    }
  },
});
