import { SECRET_VARIABLES } from "../render";
import type { Plan } from "../../sizing/types";
import type { RoleName } from "../types";
import { type RoleContainer, containerExtras, frontendUrl, tlsMissing } from "./containers";
import { declared, declaredSecretArns, existingSecrets } from "./declared";
import { ROLES, callersOf } from "./expected";
import { type RolePolicies, allows, missingS3, notDenied, rolePolicies, s3Access } from "./iam";
import { type Guarded, hasIngress, ingressRules, unexplainedIngress } from "./ingress";
import { knownCallers } from "./known";
import { bucketOf, dataTierSgs, describeSource, parseValueFrom, sameSource, secretLabel, secretSources, sgName, stackSecretArns } from "./stack";
import { type CheckedResource, type ExpectedEdge, type PlatformCheck, TYPES, obj, objs, ofType, parsed, prop, str, strings } from "./types";

/** One role on ECS: its service (by name, `*-<role>-service`), security groups, task definition and container. */
export interface FargateRole<R extends string = RoleName> {
  readonly service?: CheckedResource;
  readonly sgs: string[];
  readonly container?: RoleContainer<R>;
  readonly definition: Record<string, unknown>;
  readonly execution?: RolePolicies;
  readonly task?: RolePolicies;
}

/** The role's service is found by name unless the caller found it (profiles find it by container name). */
export function fargateRole<R extends string>(
  rs: readonly CheckedResource[],
  role: R,
  service: CheckedResource | undefined = ofType(rs, TYPES.ecsService).find((r) => r.name.endsWith(`-${role}-service`)),
): FargateRole<R> {
  const sgs = strings(obj(prop(service, "networkConfiguration")).securityGroups);
  const td = ofType(rs, TYPES.taskDefinition).find((r) => service !== undefined && prop(r, "arn") === prop(service, "taskDefinition"));
  const defs = objs(parsed(prop(td, "containerDefinitions")));
  const definition = defs.find((d) => d.name === role) ?? defs[0];
  const roleOf = (key: string) => {
    const arn = str(prop(td, key));
    return arn ? rolePolicies(rs, arn) : undefined;
  };
  if (!td || !definition) return { service, sgs, definition: {} };
  const container: RoleContainer<R> = {
    role,
    values: Object.fromEntries(objs(definition.environment).map((e) => [str(e.name) ?? "", str(e.value) ?? ""])),
    secrets: Object.fromEntries(objs(definition.secrets).map((s) => [str(s.name) ?? "", str(s.valueFrom) ?? ""])),
    unbounded: objs(definition.environmentFiles).map((f) => `environment file ${str(f.value) ?? "?"}`),
  };
  return { service, sgs, container, definition, execution: roleOf("executionRoleArn"), task: roleOf("taskRoleArn") };
}

const TARGET_LABEL: Readonly<Record<string, string>> = { postgres: "the database security group", redis: "the cache security group" };

/**
 * ECS Fargate: each role's tasks carry their own security group, so every network edge is an
 * ingress rule from exactly that group; the worker reaches the app over ECS Service Connect;
 * secrets come from the execution role, S3 from the task role.
 * https://docs.aws.amazon.com/AmazonECS/latest/developerguide/service-connect-concepts.html
 */
export function fargateCheck(plan: Plan, rs: readonly CheckedResource[]): PlatformCheck {
  const contract = plan.release.contract;
  const roles = { app: fargateRole(rs, "app"), worker: fargateRole(rs, "worker") };
  const rules = ingressRules(rs);
  const data = dataTierSgs(rs);
  const sources = secretSources(rs, existingSecrets(plan));
  const wired = [...Object.values(existingSecrets(plan)), ...declaredSecretArns(plan)];

  async function networkEdge(e: ExpectedEdge, r: FargateRole): Promise<string[]> {
    const edge = e.edge!;
    const out: string[] = [];
    if (edge.target === "postgres" || edge.target === "redis") {
      if (!hasIngress(rules, data[edge.target], r.sgs, edge.port))
        out.push(`no ingress rule on ${TARGET_LABEL[edge.target]} from the ${e.role} security group on ${edge.port}`);
      return [...out, ...tlsMissing(contract, r.container!, edge)];
    }
    if (edge.target === "app")
      return [
        ...(hasIngress(rules, roles.app.sgs, r.sgs, edge.port)
          ? []
          : [`no ingress rule on the app security group from the ${e.role} security group on ${edge.port}`]),
        ...serviceConnect(e.role, r),
      ];
    const bucket = bucketOf(rs, r.container!.values.AP_S3_BUCKET);
    if (!bucket) return [`the ${e.role} container's AP_S3_BUCKET names no bucket of the stack`];
    if (!r.task?.found) return [`the ${e.role} task definition has no task role to reach s3`];
    const action = await missingS3(r.task, bucket);
    return action ? [`the ${e.role} task role does not allow ${action} on ${bucket.arn}/*`] : [];
  }

  /** The caller resolves the app through a Service Connect client alias in a namespace both services use. */
  function serviceConnect(role: RoleName, r: FargateRole): string[] {
    const url = frontendUrl(plan.urls.workerToApp, r.container!);
    if (typeof url === "string") return [url];
    const server = obj(prop(roles.app.service, "serviceConnectConfiguration"));
    const client = obj(prop(r.service, "serviceConnectConfiguration"));
    const served = objs(server.services).filter((s) => objs(s.clientAlias).some((a) => a.dnsName === url.host && Number(a.port) === url.port));
    const out: string[] = [];
    if (server.enabled !== true || served.length === 0)
      out.push(`the app service has no Service Connect client alias ${url.host}:${url.port} for the ${role}'s AP_FRONTEND_URL`);
    const appPort = contract.roles.app.listensOn;
    const mapped = objs(roles.app.definition.portMappings)
      .filter((m) => Number(m.containerPort) === appPort)
      .map((m) => m.name);
    if (served.length > 0 && !served.some((s) => mapped.includes(s.portName)))
      out.push(`the app service's Service Connect port is not the app container's port ${appPort}`);
    if (client.enabled !== true || !client.namespace || client.namespace !== server.namespace)
      out.push(`the ${role} service does not use Service Connect in the app's namespace`);
    return out;
  }

  async function secretEdge(e: ExpectedEdge, r: FargateRole): Promise<string[]> {
    const variable = SECRET_VARIABLES[e.secret!];
    const want = sources[e.secret!];
    if (!want) return [`the stack has no ${e.secret} secret for the ${e.role} container`];
    const ref = r.container!.secrets[variable];
    if (!ref) return [`the ${e.role} container has no secret ${variable}`];
    const got = parseValueFrom(ref);
    if (!sameSource(got, want))
      return [`the ${e.role} container's ${variable} comes from ${describeSource(got)}, not the ${e.secret} secret ${describeSource(want)}`];
    if (!r.execution?.found) return [`the ${e.role} task definition has no execution role to read ${variable}`];
    return (await allows(r.execution, "secretsmanager:GetSecretValue", want.arn))
      ? []
      : [`the ${e.role} execution role does not allow secretsmanager:GetSecretValue on ${want.arn}`];
  }

  function describeSg(sg: string): string {
    const role = ROLES.find((x) => roles[x].sgs.includes(sg));
    if (role) return `the ${role} security group`;
    const known = [...knownCallers(rs, contract, "fargate", "app"), ...knownCallers(rs, contract, "fargate", "redis")].find((k) => k.sgs.includes(sg));
    if (known) return `${known.caller}'s security group`;
    const name = sgName(rs, sg);
    return name ? `security group ${name} (${sg})` : `security group ${sg}`;
  }

  /** The groups that take traffic, and who may come in: the roles whose contract connects, and the known callers. */
  function guarded(): Guarded[] {
    const from = (target: string) => callersOf(contract, target).map((c) => ({ sgs: roles[c.role].sgs, port: c.port }));
    return [
      { label: TARGET_LABEL.postgres!, sgs: data.postgres, allowed: from("postgres") },
      { label: TARGET_LABEL.redis!, sgs: data.redis, allowed: [...from("redis"), ...knownCallers(rs, contract, "fargate", "redis")] },
      { label: "the app security group", sgs: roles.app.sgs, allowed: [...from("app"), ...knownCallers(rs, contract, "fargate", "app")] },
      // Nothing calls a worker: its group takes no ingress.
      { label: "the worker security group", sgs: roles.worker.sgs.filter((sg) => !roles.app.sgs.includes(sg)), allowed: [] },
    ];
  }

  async function roleExtras(role: RoleName): Promise<string[]> {
    const r = roles[role];
    const mine = declared(plan, role);
    const out = r.container ? containerExtras(contract, r.container, mine) : [];
    const own = new Set([...contract.roles[role].secrets.map((s) => sources[s]?.arn), ...Object.values(mine.secrets).map((s) => s.arn)]);
    for (const arn of stackSecretArns(rs, wired).filter((a) => !own.has(a))) {
      const why = r.execution?.found ? await notDenied(r.execution, "secretsmanager:GetSecretValue", arn) : undefined;
      if (why)
        out.push(
          `the ${role} execution role ${why} secretsmanager:GetSecretValue on ${secretLabel(sources, arn)}, which the ${contract.line} ${role} contract does not list`,
        );
    }
    const bucket = bucketOf(rs, roles.app.container?.values.AP_S3_BUCKET);
    if (!contract.roles[role].connects.some((e) => e.target === "s3") && r.task?.found && bucket) {
      const why = await s3Access(r.task, bucket);
      if (why) out.push(`the ${role} task role ${why}, but the ${contract.line} ${role} contract has no s3 edge`);
    }
    return out;
  }

  return {
    async missing(e) {
      const r = roles[e.role];
      if (!r.service) return [`no ECS service *-${e.role}-service for the ${e.role} role`];
      if (!r.container) return [`the ${e.role} service has no task definition with a ${e.role} container`];
      return e.secret ? secretEdge(e, r) : networkEdge(e, r);
    },
    async extras() {
      const ingress = unexplainedIngress(rules, guarded(), describeSg);
      return [...ingress, ...(await roleExtras("app")), ...(await roleExtras("worker"))];
    },
  };
}
