/**
 * References in a profile role's `env` values: a service reads its own variable names (Langfuse
 * `REDIS_HOST`, Membrane `TMP_STORAGE_BUCKET`, ...), so a value may name an endpoint the stack only
 * knows at deploy time, e.g. `TMP_STORAGE_BUCKET: ${bucket.tmp}` or
 * `CUSTOM_CODE_RUNNER_URI: ${role.custom-code-runner.url}`. The plan checks each reference against
 * the role's `connects` (a role cannot name an endpoint it has no edge to); the components
 * substitute the values (components/profile/wiring.ts). Credentials are never references: a
 * password or a URI that carries one is a Secrets Manager reference under `secrets`.
 */

/** `${...}`; anything else in a value is literal. */
const REFERENCE = /\$\{([^}]*)\}/g;

/** What a reference names, and the `connects` entry the role needs for it. */
export type EnvReference =
  | { readonly kind: "redis"; readonly field: "host" | "port" }
  | { readonly kind: "postgres"; readonly field: "host" | "port" | "database" | "user" }
  | { readonly kind: "bucket"; readonly bucket: string }
  | { readonly kind: "role"; readonly role: string }
  | { readonly kind: "region" };

export const ALLOWED_REFERENCES =
  "${redis.host}, ${redis.port}, ${postgres.host}, ${postgres.port}, ${postgres.database}, ${postgres.user}, ${bucket.<key>}, ${role.<name>.url}, ${region}";

/** Parses the text between `${` and `}`; undefined when it is not one of ALLOWED_REFERENCES. */
export function parseReference(text: string): EnvReference | undefined {
  const t = text.trim();
  if (t === "region") return { kind: "region" };
  if (t === "redis.host" || t === "redis.port") return { kind: "redis", field: t.slice(6) as "host" | "port" };
  const pg = /^postgres\.(host|port|database|user)$/.exec(t);
  if (pg) return { kind: "postgres", field: pg[1] as "host" | "port" | "database" | "user" };
  const bucket = /^bucket\.([A-Za-z0-9-]+)$/.exec(t);
  if (bucket) return { kind: "bucket", bucket: bucket[1]! };
  const role = /^role\.([A-Za-z0-9-]+)\.url$/.exec(t);
  if (role) return { kind: "role", role: role[1]! };
  return undefined;
}

/** The `connects` entry a reference needs (undefined: none, `${region}`). */
export function requiredEdge(ref: EnvReference): string | undefined {
  switch (ref.kind) {
    case "redis":
      return "redis";
    case "postgres":
      return "postgres";
    case "bucket":
      return `s3:${ref.bucket}`;
    case "role":
      return `role:${ref.role}`;
    case "region":
      return undefined;
  }
}

/** Every reference in a value, in order (`text` is what stood between the braces). */
export function referencesIn(value: string): { readonly text: string; readonly ref: EnvReference | undefined }[] {
  return [...value.matchAll(REFERENCE)].map((m) => ({ text: m[1]!, ref: parseReference(m[1]!) }));
}

export interface EnvReferenceProblem {
  readonly key: string;
  readonly value: string;
  readonly message: string;
}

/** Problems with the references of one role's env: unknown forms and endpoints the role does not connect to. */
export function envReferenceProblems(role: string, env: Readonly<Record<string, string>>, connects: readonly string[]): EnvReferenceProblem[] {
  const problems: EnvReferenceProblem[] = [];
  for (const [name, value] of Object.entries(env)) {
    for (const { text, ref } of referencesIn(value)) {
      const key = `profile.roles.${role}.env.${name}`;
      if (!ref) {
        problems.push({ key, value, message: `\${${text}} is not a reference this stack can fill; allowed ${ALLOWED_REFERENCES}` });
        continue;
      }
      const edge = requiredEdge(ref);
      if (edge !== undefined && !connects.includes(edge)) {
        problems.push({ key, value, message: `\${${text}} names an endpoint the role does not connect to; add "${edge}" to profile.roles.${role}.connects` });
      }
    }
  }
  return problems;
}

/** Replaces each reference with `resolve(ref)`; the plan has refused every unknown form before. */
export function substitute(value: string, resolve: (ref: EnvReference) => string): string {
  return value.replace(REFERENCE, (whole, text: string) => {
    const ref = parseReference(text);
    if (!ref) throw new Error(`unchecked env reference ${whole}`);
    return resolve(ref);
  });
}
