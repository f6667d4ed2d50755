import type { ProfileRolePlan, WorkloadPlan } from "../../../sizing/profile-types";
import type { RoleContainer } from "../containers";
import { eksRole, type EksRole } from "../eks";
import { missingS3, podIdentityRoles, rolePolicies, s3Access } from "../iam";
import { type IngressRule, hasIngress, ingressRules, unexplainedIngress } from "../ingress";
import { dataTierSgs, describeSource, k8sMeta, sameSource, sgName, type SecretSource } from "../stack";
import { type CheckedResource, TYPES, num, obj, objs, ofType, prop, str, strings } from "../types";
import type { ProfileExpectedEdge } from "./expected";
import {
  CREDENTIAL,
  DATA_LABEL,
  type ProfilePlatform,
  bucketOfKey,
  byRole,
  callersOfData,
  callersOfRole,
  knownRedisCallers,
  planSource,
  secretExtras,
  servesPath,
  wiredSecrets,
} from "./shared";

/** A Kubernetes label selector's matchLabels selects pods carrying these labels. */
const selects = (selector: unknown, labels: Record<string, unknown>): boolean => {
  const match = Object.entries(obj(obj(selector).matchLabels));
  const expressions = objs(obj(selector).matchExpressions);
  return expressions.length === 0 && match.every(([k, v]) => labels[k] === v);
};

export function eksProfile(plan: WorkloadPlan, rs: readonly CheckedResource[]): ProfilePlatform {
  const deployments = byRole(
    plan,
    ofType(rs, TYPES.deployment),
    (d) => [...objs(obj(obj(obj(prop(d, "spec")).template).spec).containers).map((c) => str(c.name) ?? ""), k8sMeta(d).name ?? ""],
    "",
  );
  const found = new Set(deployments.keys());
  const roles = new Map<string, EksRole<string>>(plan.roles.map((r) => [r.name, eksRole(rs, r.name, deployments.get(r.name))]));
  const rules: IngressRule[] = ingressRules(rs);
  const data = dataTierSgs(rs);
  const clusterSg = str(obj(prop(ofType(rs, TYPES.eksCluster)[0], "vpcConfig")).clusterSecurityGroupId);
  const services = ofType(rs, TYPES.k8sService);
  const policies = ofType(rs, TYPES.networkPolicy);
  const podRoles = (r: EksRole<string>) => podIdentityRoles(rs, r.namespace, r.serviceAccount).map((arn) => rolePolicies(rs, arn));
  const wired = wiredSecrets(rs);

  /** The ExternalSecret that writes a Kubernetes Secret in a namespace. */
  const externalSecret = (namespace: string, k8sSecret: string) =>
    ofType(rs, TYPES.externalSecret).find(
      (x) => k8sMeta(x).namespace === namespace && (str(obj(obj(prop(x, "spec")).target).name) ?? k8sMeta(x).name) === k8sSecret,
    );

  /** Where a container's `<Secret>/<key>` reference is filled from by External Secrets. */
  function externalSource(namespace: string, ref: string): SecretSource | undefined {
    const [k8sSecret, key] = ref.split("/") as [string, string];
    const es = externalSecret(namespace, k8sSecret);
    const entry = objs(obj(prop(es, "spec")).data).find((d) => d.secretKey === key);
    if (!entry) return undefined;
    const remote = obj(entry.remoteRef);
    return str(remote.property) ? { arn: str(remote.key) ?? "", key: str(remote.property)! } : { arn: str(remote.key) ?? "" };
  }

  /** Roles whose pods a selector (in a namespace) selects. */
  const rolesSelected = (selector: unknown, namespace: string): string[] =>
    [...roles.entries()].filter(([n, r]) => found.has(n) && r.namespace === namespace && selects(selector, r.labels)).map(([n]) => n);

  /** Services that send traffic to a role's pods. */
  const servicesOf = (role: string) => {
    const r = roles.get(role)!;
    return services.filter(
      (s) =>
        k8sMeta(s).namespace === r.namespace &&
        Object.keys(obj(obj(prop(s, "spec")).selector)).length > 0 &&
        selects({ matchLabels: obj(obj(prop(s, "spec")).selector) }, r.labels),
    );
  };

  /** Ingress paths (Ingress resources) with the Service they send to. */
  const ingressPaths = ofType(rs, TYPES.k8sIngress).flatMap((ing) => {
    const spec = obj(prop(ing, "spec"));
    const backend = (b: unknown) => str(obj(obj(b).service).name);
    return [
      ...(backend(spec.defaultBackend) ? [{ ing, host: undefined as string | undefined, path: "/", service: backend(spec.defaultBackend)! }] : []),
      ...objs(spec.rules).flatMap((rule) =>
        objs(obj(rule.http).paths).map((p) => ({ ing, host: str(rule.host), path: str(p.path) ?? "/", service: backend(p.backend) ?? "" })),
      ),
    ];
  });

  /** The NetworkPolicies that limit ingress to a role's pods. */
  const ingressPolicies = (role: string) => {
    const r = roles.get(role)!;
    return policies.filter((np) => {
      const spec = obj(prop(np, "spec"));
      const types = strings(spec.policyTypes);
      return k8sMeta(np).namespace === r.namespace && selects(spec.podSelector, r.labels) && (types.length === 0 || types.includes("Ingress"));
    });
  };

  /** Each ingress peer of the policies on a role: the roles it admits (undefined: anything beyond roles) and the ports. */
  const admitted = (role: string) =>
    ingressPolicies(role).flatMap((np) =>
      objs(obj(prop(np, "spec")).ingress).flatMap((rule) => {
        const ports = objs(rule.ports).map((p) => num(p.port));
        const from = objs(rule.from);
        if (from.length === 0) return [{ np, roles: undefined as string[] | undefined, what: "any source", ports }];
        return from.map((peer) => {
          if (peer.ipBlock) return { np, roles: undefined, what: `the address block ${str(obj(peer.ipBlock).cidr) ?? "?"}`, ports };
          if (peer.namespaceSelector || !peer.podSelector) return { np, roles: undefined, what: "pods of other namespaces", ports };
          return { np, roles: rolesSelected(peer.podSelector, roles.get(role)!.namespace), what: "", ports };
        });
      }),
    );

  const allowsPort = (ports: (number | undefined)[], port: number) => ports.length === 0 || ports.includes(port);

  function egressOpen(role: string): boolean {
    const r = roles.get(role)!;
    const limiting = policies.filter((np) => {
      const spec = obj(prop(np, "spec"));
      return k8sMeta(np).namespace === r.namespace && selects(spec.podSelector, r.labels) && strings(spec.policyTypes).includes("Egress");
    });
    if (limiting.length === 0) return true;
    return limiting.some((np) =>
      objs(obj(prop(np, "spec")).egress).some((e) => objs(e.to).length === 0 || objs(e.to).some((t) => str(obj(t.ipBlock).cidr) === "0.0.0.0/0")),
    );
  }

  function toRole(from: string, target: string, port: number): string[] {
    const t = roles.get(target)!;
    if (!found.has(target)) return [`no Deployment for the ${target} role the ${from} role connects to`];
    const out: string[] = [];
    const svc = servicesOf(target).filter((s) =>
      objs(obj(prop(s, "spec")).ports).some((p) => num(p.port) === port || num(p.targetPort) === port || t.ports.some((c) => c.name === p.targetPort)),
    );
    if (svc.length === 0) out.push(`no Service selects the ${target} pods on ${port} for the ${from} role`);
    const peers = admitted(target);
    if (ingressPolicies(target).length > 0 && !peers.some((p) => p.roles?.includes(from) && allowsPort(p.ports, port)))
      out.push(`no NetworkPolicy on the ${target} pods admits the ${from} pods on ${port}`);
    return out;
  }

  async function edgeMissing(e: ProfileExpectedEdge, r: EksRole<string>): Promise<string[]> {
    const edge = e.edge!;
    switch (edge.target) {
      case "postgres":
      case "redis": {
        const out =
          clusterSg && hasIngress(rules, data[edge.target], [clusterSg], edge.port)
            ? []
            : [`no ingress rule on ${DATA_LABEL[edge.target]} from the cluster security group (which the ${e.role} pods share) on ${edge.port}`];
        // Both take credentials: the pod reads the stack's from a Secret External Secrets fills from it.
        const arn = wired[edge.target];
        if (!arn || !Object.values(r.container!.secrets).some((ref) => externalSource(r.namespace, ref)?.arn === arn))
          out.push(`the ${e.role} container receives no ${CREDENTIAL[edge.target]} from the stack's secret`);
        return out;
      }
      case "role":
        return toRole(e.role, edge.role, edge.port);
      case "s3": {
        const bucket = bucketOfKey(rs, edge.bucket);
        if (!bucket) return [`the stack has no ${edge.bucket} bucket for the ${e.role} role`];
        const ids = podRoles(r).filter((p) => p.found);
        if (ids.length === 0)
          return [`no Pod Identity association for the ${e.role} service account ${r.namespace}/${r.serviceAccount} to reach the ${edge.bucket} bucket`];
        const action = await missingS3(ids[0]!, bucket);
        return action ? [`the ${e.role} Pod Identity role does not allow ${action} on ${bucket.arn}/*`] : [];
      }
      case "external":
        return egressOpen(e.role) ? [] : [`no NetworkPolicy egress lets the ${e.role} pods reach ${edge.name} on the internet`];
    }
  }

  function secretMissing(e: ProfileExpectedEdge, c: RoleContainer<string>, namespace: string): string[] {
    const s = e.secret!;
    const ref = c.secrets[s.name];
    if (!ref) return [`the ${e.role} container has no ${s.name} from a Kubernetes Secret`];
    const [k8sSecret, key] = ref.split("/") as [string, string];
    const es = externalSecret(namespace, k8sSecret);
    if (!es) return [`no ExternalSecret in ${namespace} writes the Secret ${k8sSecret} the ${e.role} container reads ${s.name} from`];
    const entry = objs(obj(prop(es, "spec")).data).find((d) => d.secretKey === key);
    if (!entry) return [`the ExternalSecret ${k8sSecret} does not fill ${key} for the ${e.role} container's ${s.name}`];
    const want = planSource(s.valueFrom);
    const ref2 = obj(entry.remoteRef);
    const got: SecretSource = str(ref2.property) ? { arn: str(ref2.key) ?? "", key: str(ref2.property)! } : { arn: str(ref2.key) ?? "" };
    return want && !sameSource(got, want) ? [`the ExternalSecret ${k8sSecret} fills ${key} from ${describeSource(got)}, not ${describeSource(want)}`] : [];
  }

  function publicMissing(p: ProfileRolePlan): string[] {
    if (!found.has(p.name)) return [`no Deployment for the public ${p.name} role`];
    const exposure = p.exposure as Extract<ProfileRolePlan["exposure"], { kind: "public" }>;
    const names = servicesOf(p.name).map((s) => k8sMeta(s).name);
    const paths = ingressPaths.filter((x) => names.includes(x.service) && k8sMeta(x.ing).namespace === roles.get(p.name)!.namespace);
    if (paths.length === 0) return [`no Ingress path sends to a Service of the ${p.name} pods`];
    const pathOk = paths.some((x) => servesPath([x.path], exposure.path) && (!exposure.host || !x.host || x.host === exposure.host));
    return pathOk ? [] : [`no Ingress path serves ${exposure.host ?? ""}${exposure.path} from the ${p.name} pods`];
  }

  async function roleExtras(p: ProfileRolePlan): Promise<string[]> {
    const r = roles.get(p.name)!;
    if (!found.has(p.name)) return [];
    const out: string[] = [];
    if (p.exposure.kind === "internal") {
      const names = servicesOf(p.name).map((s) => k8sMeta(s).name);
      for (const x of ingressPaths.filter((i) => names.includes(i.service)))
        out.push(`the Ingress ${k8sMeta(x.ing).name} sends ${x.path} to the internal ${p.name} pods`);
      for (const s of servicesOf(p.name).filter((x) => ["LoadBalancer", "NodePort"].includes(str(obj(prop(x, "spec")).type) ?? "")))
        out.push(`the Service ${k8sMeta(s).name} exposes the internal ${p.name} pods outside the cluster`);
      const callers = callersOfRole(plan, p.name);
      if (ingressPolicies(p.name).length === 0)
        out.push(`no NetworkPolicy limits ingress to the internal ${p.name} pods: every pod in the cluster can reach them`);
      // The role's own metrics port may be scraped from any namespace (the Prometheus that reads it).
      const metricsOnly = (ports: (number | undefined)[]) =>
        p.metrics !== undefined && p.metrics.port !== p.port && ports.length > 0 && ports.every((x) => x === p.metrics!.port);
      for (const peer of admitted(p.name).filter((x) => !metricsOnly(x.ports))) {
        if (!peer.roles) out.push(`the NetworkPolicy ${k8sMeta(peer.np).name} admits ${peer.what} to the internal ${p.name} pods`);
        else
          for (const from of peer.roles.filter((x) => !callers.some((c) => c.role === x)))
            out.push(`the NetworkPolicy ${k8sMeta(peer.np).name} admits the ${from} pods to the ${p.name} pods, which the ${from} role does not connect to`);
      }
    } else {
      const callers = callersOfRole(plan, p.name);
      for (const peer of admitted(p.name).filter((x) => x.roles))
        for (const from of peer.roles!.filter((x) => !callers.some((c) => c.role === x)))
          out.push(`the NetworkPolicy ${k8sMeta(peer.np).name} admits the ${from} pods to the ${p.name} pods, which the ${from} role does not connect to`);
    }
    out.push(...secretExtras(plan, p, r.container, (ref) => externalSource(r.namespace, ref)?.arn, wired));
    const mine = new Set(p.connects.flatMap((e) => (e.target === "s3" ? [e.bucket] : [])));
    for (const key of plan.data.buckets.filter((k) => !mine.has(k))) {
      const bucket = bucketOfKey(rs, key);
      if (!bucket) continue;
      for (const id of podRoles(r).filter((x) => x.found)) {
        const why = await s3Access(id, bucket);
        if (why) out.push(`the ${p.name} Pod Identity role ${why}, but the ${p.name} role has no edge to the ${key} bucket`);
      }
    }
    return out;
  }

  return {
    async missing(e) {
      if (e.publicRole) return publicMissing(e.publicRole);
      const r = roles.get(e.role)!;
      if (!found.has(e.role) || !r.container) return [`no Deployment with a ${e.role} container for the ${e.role} role`];
      return e.secret ? secretMissing(e, r.container, r.namespace) : edgeMissing(e, r);
    },
    async extras() {
      const fromCluster = (callers: { port: number }[]) => (clusterSg ? callers.map((c) => ({ sgs: [clusterSg], port: c.port })) : []);
      const describe = (sg: string) =>
        sg === clusterSg ? "the cluster security group" : sgName(rs, sg) ? `security group ${sgName(rs, sg)} (${sg})` : `security group ${sg}`;
      const out = unexplainedIngress(
        rules,
        [
          { label: DATA_LABEL.postgres, sgs: data.postgres, allowed: fromCluster(callersOfData(plan, "postgres")) },
          { label: DATA_LABEL.redis, sgs: data.redis, allowed: [...fromCluster(callersOfData(plan, "redis")), ...knownRedisCallers(rs, "eks")] },
        ],
        describe,
      );
      for (const p of plan.roles) out.push(...(await roleExtras(p)));
      return out;
    },
  };
}
