/**
 * What uses a security group: load balancers (which may face the internet), and the tasks,
 * databases, caches, instances, nodes and clusters that must not. Read from the resources that name
 * the group (by id, ARN, name, or their property dependency during preview).
 */
import type { PolicyResource } from "@pulumi/policy";
import { isUnknownValue } from "./define";
import { OddInputError, type Props } from "./values";

export type AttachmentKind = "load balancer" | "private endpoint" | "workload";

interface AttachmentSpec {
  readonly kind: AttachmentKind;
  /** Paths to the security group ids; `*` walks a list. */
  readonly paths: readonly (readonly string[])[];
  /** Comma-separated ids in an annotation (Kubernetes). */
  readonly annotation?: string;
}

const LB_SGS: AttachmentSpec = { kind: "load balancer", paths: [["securityGroups"]] };

export const ATTACHMENTS: Readonly<Record<string, AttachmentSpec>> = {
  "aws:lb/loadBalancer:LoadBalancer": LB_SGS,
  "aws:alb/loadBalancer:LoadBalancer": LB_SGS,
  "aws:elb/loadBalancer:LoadBalancer": LB_SGS,
  "kubernetes:networking.k8s.io/v1:Ingress": { kind: "load balancer", paths: [], annotation: "alb.ingress.kubernetes.io/security-groups" },
  "kubernetes:core/v1:Service": { kind: "load balancer", paths: [], annotation: "service.beta.kubernetes.io/aws-load-balancer-security-groups" },
  // Interface endpoints answer only inside the VPC.
  "aws:ec2/vpcEndpoint:VpcEndpoint": { kind: "private endpoint", paths: [["securityGroupIds"]] },
  "aws:ecs/service:Service": { kind: "workload", paths: [["networkConfiguration", "securityGroups"]] },
  "aws:ecs/taskSet:TaskSet": { kind: "workload", paths: [["networkConfiguration", "securityGroups"]] },
  "aws:rds/instance:Instance": { kind: "workload", paths: [["vpcSecurityGroupIds"]] },
  "aws:rds/cluster:Cluster": { kind: "workload", paths: [["vpcSecurityGroupIds"]] },
  "aws:docdb/cluster:Cluster": { kind: "workload", paths: [["vpcSecurityGroupIds"]] },
  "aws:elasticache/replicationGroup:ReplicationGroup": { kind: "workload", paths: [["securityGroupIds"]] },
  "aws:elasticache/cluster:Cluster": { kind: "workload", paths: [["securityGroupIds"]] },
  "aws:elasticache/serverlessCache:ServerlessCache": { kind: "workload", paths: [["securityGroupIds"]] },
  "aws:memorydb/cluster:Cluster": { kind: "workload", paths: [["securityGroupIds"]] },
  "aws:ec2/instance:Instance": { kind: "workload", paths: [["vpcSecurityGroupIds"], ["securityGroups"]] },
  "aws:ec2/launchTemplate:LaunchTemplate": {
    kind: "workload",
    paths: [["vpcSecurityGroupIds"], ["securityGroupNames"], ["networkInterfaces", "*", "securityGroups"]],
  },
  "aws:ec2/launchConfiguration:LaunchConfiguration": { kind: "workload", paths: [["securityGroups"]] },
  "aws:ec2/networkInterface:NetworkInterface": { kind: "workload", paths: [["securityGroups"]] },
  "aws:ec2/networkInterfaceSgAttachment:NetworkInterfaceSgAttachment": { kind: "workload", paths: [["securityGroupId"]] },
  "aws:eks/cluster:Cluster": { kind: "workload", paths: [["vpcConfig", "securityGroupIds"]] },
  "aws:efs/mountTarget:MountTarget": { kind: "workload", paths: [["securityGroups"]] },
  "aws:mq/broker:Broker": { kind: "workload", paths: [["securityGroups"]] },
  "aws:opensearch/domain:Domain": { kind: "workload", paths: [["vpcOptions", "securityGroupIds"]] },
};

export const ATTACHMENT_TYPES = Object.keys(ATTACHMENTS);

export interface Attachment {
  readonly resource: PolicyResource;
  readonly kind: AttachmentKind;
}

function read(v: unknown, path: readonly string[]): string[] {
  if (path.length === 0) {
    if (typeof v === "string") return [v];
    if (Array.isArray(v)) return v.filter((x): x is string => typeof x === "string");
    return [];
  }
  const [head, ...rest] = path;
  if (head === "*") return Array.isArray(v) ? v.flatMap((x) => read(x, rest)) : [];
  if (v === null || typeof v !== "object" || Array.isArray(v)) return [];
  return read((v as Props)[head!], rest);
}

function safely(get: () => string[]): string[] {
  try {
    return get();
  } catch (e) {
    if (isUnknownValue(e) || e instanceof OddInputError) return [];
    throw e;
  }
}

/** The security groups (ids, names or URNs) a resource uses, with what kind of user it is. */
export function attachedGroups(r: PolicyResource): { kind: AttachmentKind; refs: string[] } | undefined {
  const spec = ATTACHMENTS[r.type];
  if (!spec) return undefined;
  const refs: string[] = [];
  for (const path of spec.paths) {
    refs.push(...safely(() => read(r.props, path)));
    for (const dep of r.propertyDependencies?.[path[0]!] ?? []) if (dep.type === "aws:ec2/securityGroup:SecurityGroup") refs.push(dep.urn);
  }
  if (spec.annotation) {
    const value = safely(() => read(r.props, ["metadata", "annotations", spec.annotation!]));
    refs.push(
      ...value
        .flatMap((v) => v.split(","))
        .map((v) => v.trim())
        .filter(Boolean),
    );
  }
  return { kind: spec.kind, refs };
}

/** Security group (URN in the stack, else id or name) -> what uses it. */
export function attachmentIndex(users: readonly PolicyResource[], groups: ReadonlyMap<string, string>): Map<string, Attachment[]> {
  const out = new Map<string, Attachment[]>();
  for (const r of users) {
    const found = attachedGroups(r);
    if (!found) continue;
    for (const ref of new Set(found.refs.map((x) => groups.get(x) ?? x))) {
      const list = out.get(ref);
      if (list) list.push({ resource: r, kind: found.kind });
      else out.set(ref, [{ resource: r, kind: found.kind }]);
    }
  }
  return out;
}
