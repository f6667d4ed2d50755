import { describeAllowedMemory, isValidFargatePair } from "../policies/facts/fargate";

/** Cross-field rules of a profile stack's config (config/profile-schema.ts runs them in its schema). */

type Path = (string | number)[];
interface Problem {
  readonly path: Path;
  readonly message: string;
}

export const isObj = (v: unknown): v is Record<string, unknown> => v !== null && typeof v === "object" && !Array.isArray(v);

interface RoleView {
  readonly exposure?: unknown;
  readonly neverPublic?: unknown;
  readonly bounds?: unknown;
  readonly connects?: unknown;
  readonly scaling?: unknown;
  readonly cpu?: unknown;
  readonly memory?: unknown;
}

/**
 * Cross-field rules of a profile stack. Runs on partly invalid input (the schema runs it even when
 * single fields failed), judging only from well-formed parts.
 */
export function profileProblems(c: {
  readonly platform?: unknown;
  readonly profile?: unknown;
  readonly database?: unknown;
  readonly redis?: unknown;
}): Problem[] {
  const out: Problem[] = [];
  if (!isObj(c.profile) || !isObj(c.profile.roles)) return out;
  const roles = Object.entries(c.profile.roles).filter((e): e is [string, RoleView] => isObj(e[1]));
  const data = isObj(c.profile.data) ? c.profile.data : {};
  const enabled = (k: "postgres" | "redis") => isObj(data[k]) && data[k].enabled === true;
  const buckets = Array.isArray(data.buckets) ? (data.buckets as unknown[]) : [];
  const external = isObj(data.external) ? data.external : {};
  const at = (role: string, ...rest: Path): Path => ["profile", "roles", role, ...rest];

  const publicRoles: { role: string; path: string; host?: string }[] = [];
  for (const [name, r] of roles) {
    const pub = isObj(r.exposure) && isObj(r.exposure.public) ? r.exposure.public : undefined;
    if (pub && typeof pub.path === "string") {
      const host = typeof pub.host === "string" ? pub.host : undefined;
      if (r.neverPublic === true) {
        out.push({
          path: at(name, "exposure"),
          message: `internal role marked public: ${name} has neverPublic: true and must stay "internal"; remove the public exposure`,
        });
        continue;
      }
      const clash = publicRoles.find((p) => p.path === pub.path && p.host === host);
      if (clash) {
        out.push({
          path: at(name, "exposure"),
          message: `routes path ${pub.path}${host ? ` on host ${host}` : " (any host)"} like role ${clash.role}; give each public role its own path or host`,
        });
      }
      publicRoles.push({ role: name, path: pub.path, host });
    }
  }
  if (roles.length > 0 && publicRoles.length === 0 && !roles.some(([, r]) => isObj(r.exposure) && r.neverPublic === true)) {
    out.push({ path: ["profile", "roles"], message: "has no public role; expose at least one role with exposure: { public: { path } }" });
  } else if (roles.length > 0 && publicRoles.length === 0) {
    out.push({
      path: ["profile", "roles"],
      message: "has no public role (neverPublic roles cannot be); expose at least one other role with exposure: { public: { path } }",
    });
  }

  for (const [name, r] of roles) {
    if (isObj(r.bounds)) {
      for (const env of ["staging", "prod"] as const) {
        const b = r.bounds[env];
        if (isObj(b) && typeof b.min === "number" && typeof b.max === "number" && b.min > b.max) {
          out.push({ path: at(name, "bounds", env, "min"), message: `is above bounds.${env}.max (${b.max}); allowed 0..${b.max}` });
        }
      }
    }
    if (Array.isArray(r.connects)) {
      (r.connects as unknown[]).forEach((edge, i) => {
        if (typeof edge !== "string") return;
        const [kind, target] = edge.includes(":") ? [edge.slice(0, edge.indexOf(":")), edge.slice(edge.indexOf(":") + 1)] : [edge, ""];
        let problem: string | undefined;
        if ((kind === "postgres" || kind === "redis") && !enabled(kind)) {
          problem = `connects to ${kind}, which the profile does not create; set profile.data.${kind}.enabled: true or remove the connection`;
        } else if (kind === "s3" && !buckets.includes(target)) {
          problem = `connects to bucket ${target}, which profile.data.buckets does not list${buckets.length ? ` (${buckets.join(", ")})` : ""}`;
        } else if (kind === "role" && !roles.some(([n]) => n === target)) {
          problem = `connects to role ${target}, which is not a role of the profile; roles: ${roles.map(([n]) => n).join(", ")}`;
        } else if (kind === "role" && target === name) {
          problem = "connects to itself; remove the connection";
        } else if (kind === "external" && !(target in external)) {
          problem = `connects to external ${target}, which profile.data.external does not declare`;
        }
        if (problem) out.push({ path: at(name, "connects", i), message: problem });
      });
    }
    const scaling = isObj(r.scaling) ? r.scaling : undefined;
    if (scaling?.mode === "prometheus" && c.platform !== "eks") {
      out.push({
        path: at(name, "scaling", "mode"),
        message: `prometheus scaling of role ${name} needs platform eks (KEDA); on fargate use cpu, requests-or-cpu or queue scaling`,
      });
    }
    if (scaling?.mode === "queue" && !enabled("redis")) {
      out.push({ path: at(name, "scaling", "mode"), message: `queue scaling of role ${name} reads a Redis list; set profile.data.redis.enabled: true` });
    }
    if (c.platform !== "eks" && typeof r.cpu === "number" && typeof r.memory === "number" && !isValidFargatePair(r.cpu, r.memory)) {
      out.push({ path: at(name, "memory"), message: `cpu ${r.cpu} with memory ${r.memory} is not a Fargate size; ${describeAllowedMemory(r.cpu)}` });
    }
  }
  if (Array.isArray(data.buckets)) {
    buckets.forEach((b, i) => {
      if (buckets.indexOf(b) !== i) out.push({ path: ["profile", "data", "buckets", i], message: `${String(b)} is listed twice` });
    });
  }
  if (isObj(data.postgres) && data.postgres.instanceClass !== undefined && isObj(c.database) && c.database.instanceClass !== undefined) {
    out.push({ path: ["database", "instanceClass"], message: "is set twice; with a profile set profile.data.postgres.instanceClass only" });
  }
  if (isObj(data.redis) && data.redis.nodeType !== undefined && isObj(c.redis) && c.redis.nodeType !== undefined) {
    out.push({ path: ["redis", "nodeType"], message: "is set twice; with a profile set profile.data.redis.nodeType only" });
  }
  return out;
}
