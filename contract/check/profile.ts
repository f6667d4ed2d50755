import type { ProfileEdge, ProfileRolePlan, WorkloadPlan } from "../../sizing/profile-types";
import type { RoleContainer } from "./containers";
import { eksRole, type EksRole } from "./eks";
import { fargateRole, type FargateRole } from "./fargate";
import { allows, missingS3, notDenied, podIdentityRoles, rolePolicies, s3Access } from "./iam";
import { type Guarded, type IngressRule, hasIngress, ingressRules, unexplainedIngress } from "./ingress";
import { KNOWN_CALLERS } from "./known";
import { dataTierSgs, describeSource, k8sMeta, parseValueFrom, sameSource, secretSources, sgName, stackSecretArns, type SecretSource } from "./stack";
import { type CheckedResource, type ContractCheck, type EdgeResult, TYPES, num, obj, objs, ofType, parsed, prop, str, strings } from "./types";

/**
 * The runtime contract of a workload profile (sizing/profile-types.ts), checked like ActivePieces'
 * release lines: each role's `connects` and secrets, plus the load balancer to each public role,
 * must exist in the registered resources, and nothing more may be open: no security group ingress
 * or NetworkPolicy peer from a role that does not connect, no target group, listener rule or
 * Ingress path in front of an internal role, no bucket or secret a role does not list.
 */

/** The load balancer, as the source of the edges to public roles. */
export const LOAD_BALANCER = "load-balancer";

/** An edge of a profile: `from` a role (or the load balancer) to a target named as the plan names it. */
export interface ProfileExpectedEdge {
  readonly role: string;
  /** `postgres`, `redis`, `role:<name>`, `s3:<bucket key>`, `external:<name>`, `secret:<VARIABLE>`, or `role:<name>` from the load balancer. */
  readonly target: string;
  readonly edge?: ProfileEdge;
  readonly secret?: { readonly name: string; readonly valueFrom: string };
  /** For load-balancer edges: the public role. */
  readonly publicRole?: ProfileRolePlan;
}

export type ProfileContractCheck = ContractCheck<string, string>;

export function edgeTarget(e: ProfileEdge): string {
  switch (e.target) {
    case "postgres":
    case "redis":
      return e.target;
    case "role":
      return `role:${e.role}`;
    case "s3":
      return `s3:${e.bucket}`;
    case "external":
      return `external:${e.name}`;
  }
}

/** Every edge the profile requires, in role order: connections, then secrets; then the load balancer to each public role. */
export function expectedProfileEdges(plan: WorkloadPlan): ProfileExpectedEdge[] {
  return [
    ...plan.roles.flatMap((r) => [
      ...r.connects.map((edge): ProfileExpectedEdge => ({ role: r.name, target: edgeTarget(edge), edge })),
      ...r.secrets.map((secret): ProfileExpectedEdge => ({ role: r.name, target: `secret:${secret.name}`, secret })),
    ]),
    ...plan.roles
      .filter((r) => r.exposure.kind === "public")
      .map((r): ProfileExpectedEdge => ({ role: LOAD_BALANCER, target: `role:${r.name}`, publicRole: r })),
  ];
}

/** The roles that connect to a role, with the port. */
function callersOfRole(plan: WorkloadPlan, target: string): { role: string; port: number }[] {
  return plan.roles.flatMap((r) =>
    r.connects.filter((e) => e.target === "role" && e.role === target).map((e) => ({ role: r.name, port: (e as { port: number }).port })),
  );
}

function callersOfData(plan: WorkloadPlan, target: "postgres" | "redis"): { role: string; port: number }[] {
  return plan.roles.flatMap((r) => r.connects.filter((e) => e.target === target).map((e) => ({ role: r.name, port: (e as { port: number }).port })));
}

/**
 * The resource of each role among `candidates`: the one whose container is named after the role,
 * else the one whose name ends with `-<role><suffix>` for the longest matching role name (so a
 * `queued-worker` never takes a `worker`'s service).
 */
function byRole(
  plan: WorkloadPlan,
  candidates: readonly CheckedResource[],
  containerNames: (r: CheckedResource) => string[],
  suffix: string,
): Map<string, CheckedResource> {
  const names = plan.roles.map((r) => r.name);
  const out = new Map<string, CheckedResource>();
  for (const c of candidates) {
    const byContainer = containerNames(c).filter((n) => names.includes(n));
    const byName = names.filter((n) => c.name.endsWith(`-${n}${suffix}`)).sort((a, b) => b.length - a.length);
    const role = byContainer.length === 1 ? byContainer[0] : byName[0];
    if (role && !out.has(role)) out.set(role, c);
  }
  return out;
}

/** The stack's bucket of a bucket key (components/storage.ts: `<prefix>-<key>-bucket`). */
function bucketOfKey(rs: readonly CheckedResource[], key: string): { arn: string; name: string; policy?: unknown } | undefined {
  const bucket = [...ofType(rs, TYPES.bucket), ...ofType(rs, TYPES.bucketV2)].find((b) => b.name.endsWith(`-${key}-bucket`));
  if (!bucket) return undefined;
  const name = str(prop(bucket, "bucket")) ?? bucket.id ?? "";
  const policy = ofType(rs, TYPES.bucketPolicy).find((p) => prop(p, "bucket") === name || prop(p, "bucket") === bucket.id);
  return { arn: str(prop(bucket, "arn")) ?? `arn:aws:s3:::${name}`, name, policy: policy ? parsed(prop(policy, "policy")) : undefined };
}

/** A secret as the plan names it: an ARN (with a key) when the plan knows it, else only the variable. */
function planSource(valueFrom: string): SecretSource | undefined {
  return valueFrom.startsWith("arn:") ? parseValueFrom(valueFrom.replace(/::$/, "")) : undefined;
}

interface ProfilePlatform {
  missing(e: ProfileExpectedEdge): Promise<string[]>;
  extras(): Promise<string[]>;
}

const CREDENTIAL = { postgres: "database password", redis: "Redis AUTH token" } as const;

const DATA_LABEL = { postgres: "the database security group", redis: "the cache security group" } as const;

/** Callers of the cache that are not roles (the queue-metric function), by the resource that creates them. */
function knownRedisCallers(rs: readonly CheckedResource[], platform: "fargate" | "eks"): { sgs: string[]; port: number }[] {
  const port = num(prop(ofType(rs, TYPES.cache)[0], "port")) ?? 6379;
  return KNOWN_CALLERS.filter((k) => k.platform === platform && k.target === "redis").flatMap((k) =>
    ofType(rs, k.type)
      .filter((r) => r.name.endsWith(k.nameSuffix))
      .map((r) => ({ sgs: k.sgs(r), port })),
  );
}

/** Target groups a listener or listener rule forwards to. */
function forwardedTargetGroups(rs: readonly CheckedResource[]): { arn: string; by: CheckedResource; paths: string[]; hosts: string[] }[] {
  const actionTgs = (actions: unknown) =>
    objs(actions).flatMap((a) => [
      ...(str(a.targetGroupArn) ? [str(a.targetGroupArn)!] : []),
      ...objs(obj(a.forward).targetGroups)
        .map((t) => str(t.arn) ?? "")
        .filter(Boolean),
    ]);
  const conditions = (r: CheckedResource) => objs(prop(r, "conditions"));
  return [
    ...ofType(rs, TYPES.listener).flatMap((l) => actionTgs(prop(l, "defaultActions")).map((arn) => ({ arn, by: l, paths: ["/*"], hosts: [] }))),
    ...ofType(rs, TYPES.listenerRule).flatMap((l) =>
      actionTgs(prop(l, "actions")).map((arn) => ({
        arn,
        by: l,
        paths: conditions(l).flatMap((c) => strings(obj(c.pathPattern).values)),
        hosts: conditions(l).flatMap((c) => strings(obj(c.hostHeader).values)),
      })),
    ),
  ];
}

/** A path pattern without its trailing wildcard or slash: ALB `/api/*`, Ingress Prefix `/api` and `/api/` are one path. */
const normalPath = (p: string): string => p.replace(/\/?\*$/, "").replace(/\/$/, "") || "/";

/** Whether one of the patterns (listener rule, listener default, Ingress path) serves the plan's path. */
const servesPath = (patterns: readonly string[], path: string): boolean => patterns.some((p) => normalPath(p) === normalPath(path));

function fargateProfile(plan: WorkloadPlan, rs: readonly CheckedResource[]): ProfilePlatform {
  const services = byRole(
    plan,
    ofType(rs, TYPES.ecsService),
    (s) => {
      const td = ofType(rs, TYPES.taskDefinition).find((t) => prop(t, "arn") === prop(s, "taskDefinition"));
      return objs(parsed(prop(td, "containerDefinitions"))).map((d) => str(d.name) ?? "");
    },
    "-service",
  );
  const roles = new Map<string, FargateRole<string>>(plan.roles.map((r) => [r.name, fargateRole(rs, r.name, services.get(r.name))]));
  const rules = ingressRules(rs);
  const data = dataTierSgs(rs);
  const lbSgs = ofType(rs, TYPES.loadBalancer).flatMap((l) => strings(prop(l, "securityGroups")));
  const forwards = forwardedTargetGroups(rs);
  const sgsOf = (role: string) => roles.get(role)?.sgs ?? [];
  const attachedTgs = (role: string) => objs(prop(roles.get(role)?.service, "loadBalancers"));
  const wired = wiredSecrets(rs);

  function egressOpen(sgs: readonly string[]): boolean {
    const inline = ofType(rs, TYPES.sg)
      .filter((g) => sgs.includes(g.id ?? ""))
      .flatMap((g) => objs(prop(g, "egress")).flatMap((b) => [...strings(b.cidrBlocks)]));
    const standalone = ofType(rs, TYPES.egressRule)
      .filter((r) => sgs.includes(str(prop(r, "securityGroupId")) ?? ""))
      .map((r) => str(prop(r, "cidrIpv4")) ?? "");
    return [...inline, ...standalone].includes("0.0.0.0/0");
  }

  async function edgeMissing(e: ProfileExpectedEdge, r: FargateRole<string>): Promise<string[]> {
    const edge = e.edge!;
    switch (edge.target) {
      case "postgres":
      case "redis": {
        const out = hasIngress(rules, data[edge.target], r.sgs, edge.port)
          ? []
          : [`no ingress rule on ${DATA_LABEL[edge.target]} from the ${e.role} security group on ${edge.port}`];
        // Both take credentials: the role receives the stack's (Redis AUTH token, RDS master secret) by reference and may read it.
        const arn = wired[edge.target];
        if (!arn || !Object.values(r.container!.secrets).some((v) => parseValueFrom(v).arn === arn))
          return [...out, `the ${e.role} container receives no ${CREDENTIAL[edge.target]} from the stack's secret`];
        if (!r.execution?.found || !(await allows(r.execution, "secretsmanager:GetSecretValue", arn)))
          out.push(`the ${e.role} execution role does not allow secretsmanager:GetSecretValue on the ${CREDENTIAL[edge.target]} secret ${arn}`);
        return out;
      }
      case "role":
        if (!roles.get(edge.role)?.service) return [`no ECS service for the ${edge.role} role the ${e.role} role connects to`];
        return hasIngress(rules, sgsOf(edge.role), r.sgs, edge.port)
          ? []
          : [`no ingress rule on the ${edge.role} security group from the ${e.role} security group on ${edge.port}`];
      case "s3": {
        const bucket = bucketOfKey(rs, edge.bucket);
        if (!bucket) return [`the stack has no ${edge.bucket} bucket for the ${e.role} role`];
        if (!r.task?.found) return [`the ${e.role} task definition has no task role to reach the ${edge.bucket} bucket`];
        const action = await missingS3(r.task, bucket);
        return action ? [`the ${e.role} task role does not allow ${action} on ${bucket.arn}/*`] : [];
      }
      case "external":
        return egressOpen(r.sgs) ? [] : [`the ${e.role} security group has no egress to the internet for ${edge.name}`];
    }
  }

  async function secretMissing(e: ProfileExpectedEdge, r: FargateRole<string>): Promise<string[]> {
    const s = e.secret!;
    const ref = r.container!.secrets[s.name];
    if (!ref) return [`the ${e.role} container has no secret ${s.name}`];
    const got = parseValueFrom(ref);
    const want = planSource(s.valueFrom);
    if (want && !sameSource(got, want)) return [`the ${e.role} container's ${s.name} comes from ${describeSource(got)}, not ${describeSource(want)}`];
    if (!r.execution?.found) return [`the ${e.role} task definition has no execution role to read ${s.name}`];
    return (await allows(r.execution, "secretsmanager:GetSecretValue", got.arn))
      ? []
      : [`the ${e.role} execution role does not allow secretsmanager:GetSecretValue on ${got.arn}`];
  }

  function publicMissing(p: ProfileRolePlan): string[] {
    const r = roles.get(p.name)!;
    if (!r.service) return [`no ECS service for the public ${p.name} role`];
    const out: string[] = [];
    if (!hasIngress(rules, r.sgs, lbSgs, p.port)) out.push(`no ingress rule on the ${p.name} security group from the load balancer on ${p.port}`);
    const tgs = attachedTgs(p.name)
      .filter((l) => num(l.containerPort) === p.port)
      .map((l) => str(l.targetGroupArn) ?? "");
    if (tgs.length === 0) return [...out, `the ${p.name} service is in no target group on its port ${p.port}`];
    const exposure = p.exposure as Extract<ProfileRolePlan["exposure"], { kind: "public" }>;
    const served = forwards.filter((f) => tgs.includes(f.arn));
    if (served.length === 0) out.push(`no listener or listener rule forwards to the ${p.name} target group`);
    else if (!served.some((f) => servesPath(f.paths, exposure.path) && (!exposure.host || f.hosts.length === 0 || f.hosts.includes(exposure.host))))
      out.push(`no listener rule forwards ${exposure.host ?? ""}${exposure.path} to the ${p.name} target group`);
    return out;
  }

  function describeSg(sg: string): string {
    const role = [...roles.entries()].find(([, r]) => r.sgs.includes(sg))?.[0];
    if (role) return `the ${role} security group`;
    if (lbSgs.includes(sg)) return "the load balancer's security group";
    const name = sgName(rs, sg);
    return name ? `security group ${name} (${sg})` : `security group ${sg}`;
  }

  function guarded(): Guarded[] {
    const from = (callers: { role: string; port: number }[]) => callers.map((c) => ({ sgs: sgsOf(c.role), port: c.port }));
    const lbOther = (sgs: readonly string[]) => sgs.filter((sg) => !lbSgs.includes(sg));
    return [
      { label: DATA_LABEL.postgres, sgs: data.postgres, allowed: from(callersOfData(plan, "postgres")) },
      { label: DATA_LABEL.redis, sgs: data.redis, allowed: [...from(callersOfData(plan, "redis")), ...knownRedisCallers(rs, "fargate")] },
      ...plan.roles.map((p) => ({
        label: `the ${p.name} security group`,
        // A group two roles share is guarded once per role; only its own callers explain a rule.
        sgs: lbOther(sgsOf(p.name)),
        allowed: [...from(callersOfRole(plan, p.name)), ...(p.exposure.kind === "public" ? [{ sgs: lbSgs, port: p.port }] : [])],
      })),
    ];
  }

  async function roleExtras(p: ProfileRolePlan): Promise<string[]> {
    const r = roles.get(p.name)!;
    const out: string[] = [];
    if (p.exposure.kind === "internal" && attachedTgs(p.name).length > 0)
      out.push(`the internal ${p.name} service is registered in a load balancer target group`);
    out.push(...secretExtras(plan, p, r.container, (ref) => parseValueFrom(ref).arn, wired));
    const own = new Set(Object.values(r.container?.secrets ?? {}).map((v) => parseValueFrom(v).arn));
    if (r.execution?.found) {
      for (const arn of stackSecretArns(rs).filter((a) => !own.has(a))) {
        const why = await notDenied(r.execution, "secretsmanager:GetSecretValue", arn);
        if (why) out.push(`the ${p.name} execution role ${why} secretsmanager:GetSecretValue on ${arn}, which the ${p.name} role does not read`);
      }
    }
    const mine = new Set(p.connects.flatMap((e) => (e.target === "s3" ? [e.bucket] : [])));
    for (const key of plan.data.buckets.filter((k) => !mine.has(k))) {
      const bucket = bucketOfKey(rs, key);
      const why = bucket && r.task?.found ? await s3Access(r.task, bucket) : undefined;
      if (why) out.push(`the ${p.name} task role ${why}, but the ${p.name} role has no edge to the ${key} bucket`);
    }
    return out;
  }

  return {
    async missing(e) {
      if (e.publicRole) return publicMissing(e.publicRole);
      const r = roles.get(e.role)!;
      if (!r.service) return [`no ECS service for the ${e.role} role`];
      if (!r.container) return [`the ${e.role} service has no task definition with a ${e.role} container`];
      return e.secret ? secretMissing(e, r) : edgeMissing(e, r);
    },
    async extras() {
      const publicTgs = plan.roles.filter((p) => p.exposure.kind === "public").flatMap((p) => attachedTgs(p.name).map((l) => str(l.targetGroupArn) ?? ""));
      const strayForwards = forwards
        .filter((f) => !publicTgs.includes(f.arn))
        .map((f) => `${f.by.name} forwards to target group ${f.arn}, which serves no public role`);
      const out = [...unexplainedIngress(rules, guarded(), describeSg), ...strayForwards];
      for (const p of plan.roles) out.push(...(await roleExtras(p)));
      return out;
    },
  };
}

/** A Kubernetes label selector's matchLabels selects pods carrying these labels. */
const selects = (selector: unknown, labels: Record<string, unknown>): boolean => {
  const match = Object.entries(obj(obj(selector).matchLabels));
  const expressions = objs(obj(selector).matchExpressions);
  return expressions.length === 0 && match.every(([k, v]) => labels[k] === v);
};

function eksProfile(plan: WorkloadPlan, rs: readonly CheckedResource[]): ProfilePlatform {
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

/** The profile's contract over the registered resources: each expected edge holds, and nothing beyond them is open. */
export async function checkProfileContract(plan: WorkloadPlan, resources: readonly CheckedResource[]): Promise<ProfileContractCheck> {
  const platform = plan.platform === "eks" ? eksProfile(plan, resources) : fargateProfile(plan, resources);
  const edges: EdgeResult<string, string>[] = [];
  for (const e of expectedProfileEdges(plan)) {
    const missing = await platform.missing(e);
    edges.push(
      missing.length === 0 ? { role: e.role, target: e.target, ok: true } : { role: e.role, target: e.target, ok: false, missing: missing.join("; ") },
    );
  }
  const extras = await platform.extras();
  return { ok: edges.every((e) => e.ok) && extras.length === 0, edges, extras };
}

/**
 * Secrets a container receives beyond its role's list: the Redis AUTH token is part of the redis
 * edge (the platform wires it), any other is an extra.
 */
function secretExtras(
  plan: WorkloadPlan,
  p: ProfileRolePlan,
  c: RoleContainer<string> | undefined,
  arnOf: (ref: string) => string | undefined,
  wired: WiredSecrets,
): string[] {
  const listed = new Set(p.secrets.map((s) => s.name));
  const out: string[] = [];
  for (const [v, ref] of Object.entries(c?.secrets ?? {}).filter(([name]) => !listed.has(name))) {
    const arn = arnOf(ref);
    const target = (["redis", "postgres"] as const).find((t) => arn !== undefined && wired[t] === arn);
    if (!target) out.push(`the ${p.name} container receives the secret ${v}, which the ${plan.profile} ${p.name} role does not list`);
    else if (!p.connects.some((e) => e.target === target))
      out.push(`the ${p.name} container receives the ${target} credential as ${v}, but the ${p.name} role does not connect to ${target}`);
  }
  return out;
}

/** The data tier's credentials the platform wires to the roles that connect: the Redis AUTH token, the RDS-managed master secret. */
interface WiredSecrets {
  readonly redis?: string;
  readonly postgres?: string;
}

function wiredSecrets(rs: readonly CheckedResource[]): WiredSecrets {
  const sources = secretSources(rs);
  return { redis: sources.redisAuth?.arn, postgres: sources.databasePassword?.arn };
}

/** The text section of the plan command for a profile. */
export function renderProfileContractCheck(plan: WorkloadPlan, check: ProfileContractCheck): string {
  const broken = check.edges.filter((e) => !e.ok);
  return [
    `profile ${plan.profile}: ${plan.roles.length} roles, ${check.edges.length} edges (connections, secrets, load balancer to public roles)`,
    broken.length === 0 ? `contract check: ${check.edges.length} edges ok` : `contract check: ${broken.length} of ${check.edges.length} edges broken`,
    ...broken.map((e) => `  broken ${e.role} -> ${e.target}: ${e.missing}`),
    ...(check.extras.length > 0 ? [`contract check: ${check.extras.length} beyond the contract`] : []),
    ...check.extras.map((x) => `  extra: ${x}`),
  ].join("\n");
}
