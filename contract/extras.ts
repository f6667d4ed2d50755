import type { ConfigProblem } from "../config/errors";
import { knownVariables } from "./known-variables";
import { SECRET_VARIABLES } from "./render";
import type { ReleaseContract, RoleName } from "./types";

/**
 * Routes the stack's extra settings (`extraEnv`, `extraSecrets`, `roleOverrides`) to the roles
 * whose release reads each variable, and refuses what would break or leak: a variable the
 * program itself sets, a secret-looking name given as a plain value, an `AP_` name no role of the
 * release reads (with the closest known name).
 */

export interface ExtraSecretRef {
  readonly name: string;
  readonly arn: string;
  /** JSON key inside the secret's value, when only one key is wanted. */
  readonly key?: string;
}

export interface RoleExtras {
  readonly env: readonly { readonly name: string; readonly value: string }[];
  readonly secrets: readonly ExtraSecretRef[];
}

type SecretInput = string | { arn: string; key: string };
interface ExtrasInput {
  readonly extraEnv: Readonly<Record<string, string>>;
  readonly extraSecrets: Readonly<Record<string, SecretInput>>;
  readonly roleOverrides: Readonly<Partial<Record<RoleName, { extraEnv?: Record<string, string>; extraSecrets?: Record<string, SecretInput> }>>>;
}

/**
 * Names whose value is a credential: the endings ActivePieces' own secret settings have
 * (SMTP_PASSWORD, GOOGLE_CLIENT_SECRET, STRIPE_SECRET_KEY, APPSUMO_TOKEN, API_KEY, SENTRY_DSN, ...).
 */
const SECRET_NAME =
  /(^|_)(PASSWORD|PASSWD|PASS|PWD|SECRETS?|TOKEN|API_?KEY|ACCESS_KEY|SECRET_KEY|PRIVATE_KEY|PROVISION_KEY|LICENSE_KEY|ENCRYPTION_KEY|CREDENTIALS|DSN)$/;

export function looksSecret(name: string): boolean {
  return SECRET_NAME.test(name);
}

function distance(a: string, b: string): number {
  const row = Array.from({ length: b.length + 1 }, (_, i) => i);
  for (let i = 1; i <= a.length; i++) {
    let prev = row[0]!;
    row[0] = i;
    for (let j = 1; j <= b.length; j++) {
      const cur = row[j]!;
      row[j] = Math.min(row[j]! + 1, row[j - 1]! + 1, prev + (a[i - 1] === b[j - 1] ? 0 : 1));
      prev = cur;
    }
  }
  return row[b.length]!;
}

/** The closest known name within 3 edits, for a "did you mean" hint. */
export function closest(name: string, known: Iterable<string>): string | undefined {
  let best: string | undefined;
  let bestD = 4;
  for (const k of known) {
    const d = distance(name, k);
    if (d < bestD) [best, bestD] = [k, d];
  }
  return best;
}

const ROLES: readonly RoleName[] = ["app", "worker"];

export function routeExtras(contract: ReleaseContract, c: ExtrasInput): { extras: Record<RoleName, RoleExtras>; problems: ConfigProblem[] } {
  const problems: ConfigProblem[] = [];
  const managed = new Set<string>([...ROLES.flatMap((r) => contract.roles[r].reads), ...Object.values(SECRET_VARIABLES)]);
  const known = new Set(ROLES.flatMap((r) => [...knownVariables(contract.line, r)]));
  const readers = (name: string): RoleName[] => (name.startsWith("AP_") ? ROLES.filter((r) => knownVariables(contract.line, r).has(name)) : [...ROLES]);

  const checkName = (key: string, name: string): boolean => {
    if (managed.has(name)) {
      problems.push({ key, value: name, message: "is set by the program from the stack config and the release contract; it cannot be overridden here" });
      return false;
    }
    if (name.startsWith("AP_") && !known.has(name)) {
      const hint = closest(name, known);
      problems.push({
        key,
        value: name,
        message: `is not read by ActivePieces ${contract.covers}${hint ? `; did you mean ${hint}?` : ""} (variables without the AP_ prefix are passed as they are)`,
      });
      return false;
    }
    return true;
  };
  const env: Record<RoleName, { name: string; value: string }[]> = { app: [], worker: [] };
  const secrets: Record<RoleName, ExtraSecretRef[]> = { app: [], worker: [] };
  const secretRef = (name: string, v: SecretInput): ExtraSecretRef => (typeof v === "string" ? { name, arn: v } : { name, arn: v.arn, key: v.key });

  const addEnv = (prefix: string, entries: Record<string, string>, roles: (name: string) => RoleName[]) => {
    for (const [name, value] of Object.entries(entries)) {
      const key = `${prefix}.${name}`;
      if (looksSecret(name)) {
        problems.push({
          key,
          value: "[hidden]",
          message: `looks like a secret; store it in Secrets Manager and set it under ${prefix.replace("extraEnv", "extraSecrets")} as its ARN`,
        });
        continue;
      }
      if (name in c.extraSecrets) {
        problems.push({ key, value: name, message: "is also set in extraSecrets; set it in one of them" });
        continue;
      }
      if (checkName(key, name)) for (const r of roles(name)) env[r].push({ name, value });
    }
  };
  const addSecrets = (prefix: string, entries: Record<string, SecretInput>, roles: (name: string) => RoleName[]) => {
    for (const [name, value] of Object.entries(entries)) {
      if (checkName(`${prefix}.${name}`, name)) for (const r of roles(name)) secrets[r].push(secretRef(name, value));
    }
  };

  addEnv("extraEnv", c.extraEnv, readers);
  addSecrets("extraSecrets", c.extraSecrets, readers);
  for (const role of ROLES) {
    const o = c.roleOverrides[role];
    if (!o) continue;
    // An override replaces the routed value for its role only.
    const only = () => [role];
    env[role] = env[role].filter((e) => !(e.name in (o.extraEnv ?? {})));
    secrets[role] = secrets[role].filter((s) => !(s.name in (o.extraSecrets ?? {})));
    addEnv(`roleOverrides.${role}.extraEnv`, o.extraEnv ?? {}, only);
    addSecrets(`roleOverrides.${role}.extraSecrets`, o.extraSecrets ?? {}, only);
  }
  return { extras: { app: { env: env.app, secrets: secrets.app }, worker: { env: env.worker, secrets: secrets.worker } }, problems };
}
