import type { ProfileRolePlan, WorkloadPlan } from "../../../sizing/profile-types";
import { fargateRole, type FargateRole } from "../fargate";
import { allows, missingS3, notDenied, s3Access } from "../iam";
import { type Guarded, hasIngress, ingressRules, unexplainedIngress } from "../ingress";
import { dataTierSgs, describeSource, parseValueFrom, sameSource, sgName, stackSecretArns } from "../stack";
import { type CheckedResource, TYPES, num, obj, objs, ofType, parsed, prop, str, strings } from "../types";
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

export function fargateProfile(plan: WorkloadPlan, rs: readonly CheckedResource[]): ProfilePlatform {
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
