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
  withoutDuplicates,
  worldCidrs,
  type IngressEntry,
} from "../lib/security-groups";

interface Config {
  ports: number[];
}

/**
 * Postgres and Redis serve only the app; opened to the internet they face credential stuffing and
 * exploits. The ports judged are the configured ones plus the port every database and cache of the
 * stack listens on (its `port`, else its engine's default), so a database on 5433 or a MySQL on
 * 3306 is covered too. A stack policy, so it sees the databases next to the security groups.
 */
export const disallowOpenDatabaseIngress = stackRule<Config>({
  name: "disallow-open-database-ingress",
  description:
    "Security groups must not allow ingress from 0.0.0.0/0 or ::/0 to the port of a database or cache in the stack (its `port`, else its engine's default) or to the configured ports (5432 and 6379 by default).",
  enforcementLevel: "mandatory",
  remediationSteps: "Allow the port only from the app's security group (`referencedSecurityGroupId` / `sourceSecurityGroupId`) or the VPC's private CIDR.",
  configSchema: {
    properties: {
      ports: {
        type: "array",
        items: { type: "integer", minimum: 1, maximum: 65535 },
        default: [5432, 6379],
        description: "Ports that must not be open to the internet whatever the stack holds.",
      },
    },
  },
  appliesTo: (t) => SECURITY_GROUP_TYPES.includes(t),
  // The stores' ports matter only for an opening to the internet.
  context: { types: (t) => DATA_STORE_TYPES.includes(t), neededBy: (_t, props) => mayHold(props, "/0") },
  validate: (args, report, config) => {
    const index = new StackIndex(args.resources);
    const rules = index.ofType(...SECURITY_GROUP_TYPES);
    if (rules.length === 0) return;
    const stores = dataStorePortMap(index.ofType(...DATA_STORE_TYPES));
    const ports = [...new Set([...config.ports, ...stores.keys()])].sort((a, b) => a - b);
    const groups = groupIndex(index.ofType(SECURITY_GROUP));
    const entries: IngressEntry[] = [];
    for (const r of rules) guarded(report, `the ingress rules of ${label(r)}`, r.urn, () => entries.push(...entriesOf(r, groups)));
    for (const entry of withoutDuplicates(entries)) {
      const open = exposedPorts(entry, ports);
      if (open.length === 0) continue;
      const owners = [...new Set(open.flatMap((p) => stores.get(p) ?? []))].map(label);
      report.violation(
        `${entry.resource.type} "${entry.resource.name}" allows ingress from ${worldCidrs(entry).join(" and ")} to port ${open.join(", ")}${owners.length > 0 ? ` (where ${owners.join(", ")} listen${owners.length === 1 ? "s" : ""})` : ""}.`,
        "allow the port only from the app's security group (referencedSecurityGroupId/sourceSecurityGroupId) or a private CIDR.",
        entry.resource.urn,
      );
    }
  },
});
