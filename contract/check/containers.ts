import { SECRET_VARIABLES } from "../render";
import type { Edge, ReleaseContract, RoleName } from "../types";
import type { Declared } from "./declared";

/**
 * A role's container as both platforms deliver it: plain variables with their values, secrets by
 * reference, and any source of variables the check cannot enumerate (ECS environmentFiles,
 * Kubernetes envFrom).
 */
export interface RoleContainer<R extends string = RoleName> {
  readonly role: R;
  readonly values: Readonly<Record<string, string>>;
  /** Variable name -> reference (ECS valueFrom; Kubernetes `<secret>/<key>`). */
  readonly secrets: Readonly<Record<string, string>>;
  readonly unbounded: readonly string[];
}

/** The variable that turns TLS on for a target, where the role's release reads one. */
const TLS_VARIABLE: Readonly<Record<string, string>> = { postgres: "AP_POSTGRES_USE_SSL", redis: "AP_REDIS_USE_SSL" };
const PEM = "-----BEGIN CERTIFICATE-----";

/**
 * The container settings a TLS edge needs: the role turns TLS on, and for `rds-ca` trust carries
 * the Amazon RDS CA bundle (not in Node's store; contract/rds-ca.ts). RDS rejects plain
 * connections (rds.force_ssl): https://docs.aws.amazon.com/AmazonRDS/latest/UserGuide/PostgreSQL.Concepts.General.SSL.html
 */
export function tlsMissing(contract: ReleaseContract, c: RoleContainer, edge: Edge): string[] {
  if (!edge.tls) return [];
  const out: string[] = [];
  const tlsVar = TLS_VARIABLE[edge.target];
  if (tlsVar && contract.roles[c.role].reads.includes(tlsVar) && c.values[tlsVar] !== "true") {
    out.push(`the ${c.role} container does not set ${tlsVar}=true for TLS to ${edge.target}`);
  }
  if (edge.trust === "rds-ca" && !(c.values.AP_POSTGRES_SSL_CA ?? "").includes(PEM)) {
    out.push(`the ${c.role} container has no Amazon RDS CA bundle in AP_POSTGRES_SSL_CA to trust ${edge.target}`);
  }
  return out;
}

/** Variables and secrets the container receives that neither its release's contract nor the stack config's declared extras list. */
export function containerExtras(contract: ReleaseContract, c: RoleContainer, d: Declared): string[] {
  const rc = contract.roles[c.role];
  const reads = [...rc.reads, ...d.env];
  const secretVars = new Set([...rc.secrets.map((s) => SECRET_VARIABLES[s]), ...Object.keys(d.secrets)]);
  const who = `the ${c.role} container`;
  const of = `the ${contract.line} ${c.role} contract`;
  return [
    ...Object.keys(c.values)
      .filter((v) => !reads.includes(v))
      .map((v) =>
        secretVars.has(v) ? `${who} sets ${v} as a plain value; ${of} delivers it only by secret reference` : `${who} sets ${v}, which ${of} does not list`,
      ),
    ...Object.keys(c.secrets)
      .filter((v) => !secretVars.has(v))
      .map((v) => `${who} receives the secret ${v}, which ${of} does not list`),
    ...c.unbounded.map((u) => `${who} takes variables from ${u}, which the check cannot bound to ${of}`),
  ];
}

/**
 * The caller's AP_FRONTEND_URL as the plan wants it (the app's internal endpoint,
 * sizing/internal-url.ts), with its host and port for matching the platform's endpoint.
 */
export function frontendUrl(want: string, c: RoleContainer): { host: string; port: number } | string {
  const got = c.values.AP_FRONTEND_URL;
  const url = hostPort(got);
  if (!url) return `the ${c.role} container has no AP_FRONTEND_URL to reach the app`;
  return got === want ? url : `the ${c.role} container's AP_FRONTEND_URL is ${got}, not the app's internal URL ${want}`;
}

/** The host and port of a URL (the scheme's default port when none is written). */
export function hostPort(url: string | undefined): { host: string; port: number } | undefined {
  if (!url) return undefined;
  try {
    const u = new URL(url);
    return { host: u.hostname, port: u.port ? Number(u.port) : u.protocol === "https:" ? 443 : 80 };
  } catch {
    return undefined;
  }
}
