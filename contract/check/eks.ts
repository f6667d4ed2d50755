import type { Plan } from "../../sizing/types";
import type { RoleName } from "../types";
import { type RoleContainer, containerExtras, frontendUrl, tlsMissing } from "./containers";
import { declared, existingSecrets } from "./declared";
import { EksSecrets } from "./eks-secrets";
import { callersOf } from "./expected";
import { missingS3, podIdentityRoles, rolePolicies, s3Access } from "./iam";
import { hasIngress, ingressRules, unexplainedIngress } from "./ingress";
import { bucketOf, dataTierSgs, k8sMeta, secretSources, sgName } from "./stack";
import { type CheckedResource, type ExpectedEdge, type PlatformCheck, TYPES, obj, objs, ofType, prop, str } from "./types";

/** One role on Kubernetes: its Deployment (by name, `*-<role>`), namespace, service account, pod labels and container. */
export interface EksRole<R extends string = RoleName> {
  readonly namespace: string;
  readonly serviceAccount: string;
  readonly labels: Record<string, unknown>;
  readonly ports: Record<string, unknown>[];
  readonly container?: RoleContainer<R>;
}

/** The role's Deployment is found by name unless the caller found it (profiles find it by container name). */
export function eksRole<R extends string>(
  rs: readonly CheckedResource[],
  role: R,
  dep: CheckedResource | undefined = ofType(rs, TYPES.deployment).find((r) => r.name.endsWith(`-${role}`)),
): EksRole<R> {
  const template = obj(obj(prop(dep, "spec")).template);
  const pod = obj(template.spec);
  const containers = objs(pod.containers);
  const c = containers.find((x) => x.name === role) ?? containers[0];
  const base = {
    namespace: dep ? k8sMeta(dep).namespace : "default",
    // A pod without serviceAccountName runs as `default`.
    serviceAccount: str(pod.serviceAccountName) ?? "default",
    labels: obj(obj(template.metadata).labels),
    ports: objs(c?.ports),
  };
  if (!c) return base;
  const env = objs(c.env);
  const ref = (e: Record<string, unknown>) => obj(obj(e.valueFrom).secretKeyRef);
  return {
    ...base,
    container: {
      role,
      // A variable from a fieldRef or ConfigMap still reaches the process: it counts as set.
      values: Object.fromEntries(env.filter((e) => !ref(e).name).map((e) => [str(e.name) ?? "", str(e.value) ?? ""])),
      secrets: Object.fromEntries(env.filter((e) => ref(e).name).map((e) => [str(e.name) ?? "", `${str(ref(e).name)}/${str(ref(e).key)}`])),
      unbounded: objs(c.envFrom).map((f) =>
        f.secretRef ? `envFrom Secret ${str(obj(f.secretRef).name)}` : `envFrom ConfigMap ${str(obj(f.configMapRef).name)}`,
      ),
    },
  };
}

const TARGET_LABEL: Readonly<Record<string, string>> = { postgres: "the database security group", redis: "the cache security group" };

/**
 * EKS: pods use their node's network interface, and every node carries the cluster security group
 * (the launch templates set no other), so the data tier is opened to that group. All pods share
 * it: per-role confinement on EKS (a 0.80+ worker kept off Postgres) needs a Kubernetes
 * NetworkPolicy, which security groups cannot express. The worker reaches the app through a
 * ClusterIP Service; S3 and secrets come from Pod Identity roles.
 * https://docs.aws.amazon.com/eks/latest/userguide/sec-group-reqs.html
 */
export function eksCheck(plan: Plan, rs: readonly CheckedResource[]): PlatformCheck {
  const contract = plan.release.contract;
  const roles = { app: eksRole(rs, "app"), worker: eksRole(rs, "worker") };
  const rules = ingressRules(rs);
  const data = dataTierSgs(rs);
  const clusterSg = str(obj(prop(ofType(rs, TYPES.eksCluster)[0], "vpcConfig")).clusterSecurityGroupId);
  const secrets = new EksSecrets(plan, rs, secretSources(rs, existingSecrets(plan)));
  // The bucket the app stores files in: what a role without an s3 edge must not reach.
  const appBucket = bucketOf(rs, roles.app.container?.values.AP_S3_BUCKET);
  const podRoles = (r: EksRole) => podIdentityRoles(rs, r.namespace, r.serviceAccount).map((arn) => rolePolicies(rs, arn));

  /** The worker's AP_FRONTEND_URL host `<service>.<namespace>.svc.cluster.local` names a Service that selects the app pods on that port. */
  function toApp(role: RoleName, r: EksRole): string[] {
    const url = frontendUrl(plan.urls.workerToApp, r.container!);
    if (typeof url === "string") return [url];
    const [name, ns = r.namespace] = url.host.split(".");
    const svc = ofType(rs, TYPES.k8sService).find((s) => k8sMeta(s).name === name && k8sMeta(s).namespace === ns);
    if (!svc) return [`no Service ${name} in namespace ${ns} for the ${role}'s AP_FRONTEND_URL`];
    const spec = obj(prop(svc, "spec"));
    const port = objs(spec.ports).find((p) => Number(p.port) === url.port);
    const selector = Object.entries(obj(spec.selector));
    const out: string[] = [];
    if (ns !== roles.app.namespace || selector.length === 0 || !selector.every(([k, v]) => roles.app.labels[k] === v))
      out.push(`the Service ${name} does not select the app pods`);
    if (!port) return [...out, `the Service ${name} has no port ${url.port} for the ${role}'s AP_FRONTEND_URL`];
    const target = port.targetPort ?? port.port;
    if (!roles.app.ports.some((p) => p.containerPort === target || Number(p.containerPort) === Number(target) || p.name === target)) {
      out.push(`the Service ${name}'s port ${url.port} targets no port of the app container`);
    }
    return out;
  }

  async function networkEdge(e: ExpectedEdge, r: EksRole): Promise<string[]> {
    const edge = e.edge!;
    if (edge.target === "postgres" || edge.target === "redis") {
      const rule = clusterSg && hasIngress(rules, data[edge.target], [clusterSg], edge.port);
      return [
        ...(rule ? [] : [`no ingress rule on ${TARGET_LABEL[edge.target]} from the cluster security group (which the ${e.role} pods share) on ${edge.port}`]),
        ...tlsMissing(contract, r.container!, edge),
      ];
    }
    if (edge.target === "app") return toApp(e.role, r);
    const bucket = bucketOf(rs, r.container!.values.AP_S3_BUCKET);
    if (!bucket) return [`the ${e.role} container's AP_S3_BUCKET names no bucket of the stack`];
    const identities = podRoles(r).filter((p) => p.found);
    if (identities.length === 0) return [`no Pod Identity association for the ${e.role} service account ${r.namespace}/${r.serviceAccount} to reach s3`];
    const action = await missingS3(identities[0]!, bucket);
    return action ? [`the ${e.role} Pod Identity role does not allow ${action} on ${bucket.arn}/*`] : [];
  }

  function describeSg(sg: string): string {
    if (sg === clusterSg) return "the cluster security group";
    const name = sgName(rs, sg);
    return name ? `security group ${name} (${sg})` : `security group ${sg}`;
  }

  async function roleExtras(role: RoleName): Promise<string[]> {
    const r = roles[role];
    const out = r.container ? containerExtras(contract, r.container, declared(plan, role)) : [];
    if (!appBucket || contract.roles[role].connects.some((e) => e.target === "s3")) return out;
    for (const p of podRoles(r).filter((x) => x.found)) {
      const why = await s3Access(p, appBucket);
      if (why) out.push(`the ${role} Pod Identity role ${why}, but the ${contract.line} ${role} contract has no s3 edge`);
    }
    return out;
  }

  return {
    async missing(e) {
      const r = roles[e.role];
      if (!r.container) return [`no Deployment *-${e.role} with a ${e.role} container`];
      return e.secret ? secrets.missing(r.container, r.namespace, e.secret) : networkEdge(e, r);
    },
    async extras() {
      // A role's edge opens the group to the whole cluster (see above), so the cluster group is the only allowed source.
      const fromCluster = (target: string) => (clusterSg ? callersOf(contract, target).map((c) => ({ sgs: [clusterSg], port: c.port })) : []);
      const ingress = unexplainedIngress(
        rules,
        [
          { label: TARGET_LABEL.postgres!, sgs: data.postgres, allowed: fromCluster("postgres") },
          { label: TARGET_LABEL.redis!, sgs: data.redis, allowed: fromCluster("redis") },
        ],
        describeSg,
      );
      const withContainers = (["app", "worker"] as const)
        .filter((x) => roles[x].container)
        .map((x) => ({ c: roles[x].container!, namespace: roles[x].namespace }));
      return [...ingress, ...(await roleExtras("app")), ...(await roleExtras("worker")), ...(await secrets.extras(contract, withContainers))];
    },
  };
}
