import type { Plan } from "../../sizing/types";
import type { RoleName, SecretName } from "../types";
import type { SecretSource } from "./stack";

/**
 * What the stack config declares beyond the release contract, and so is not an extra: variables
 * and secrets an operator routes to a role (`extraEnv`, `extraSecrets`, contract/extras.ts) and
 * an existing installation's secrets used instead of generated ones (`existingSecrets`). Read
 * structurally: a plan without these fields declares nothing.
 */
interface DeclaringPlan {
  readonly extras?: Partial<
    Record<
      RoleName,
      {
        readonly env?: readonly { readonly name: string }[];
        readonly secrets?: readonly { readonly name: string; readonly arn: string; readonly key?: string }[];
      }
    >
  >;
  readonly existingSecrets?: Partial<Record<SecretName, string>>;
}

export interface Declared {
  /** Plain variables declared for the role. */
  readonly env: readonly string[];
  /** Secret variables declared for the role, with where each comes from. */
  readonly secrets: Readonly<Record<string, SecretSource>>;
}

export function declared(plan: Plan, role: RoleName): Declared {
  const extras = (plan as unknown as DeclaringPlan).extras?.[role];
  return {
    env: (extras?.env ?? []).map((e) => e.name),
    secrets: Object.fromEntries((extras?.secrets ?? []).map((s) => [s.name, s.key ? { arn: s.arn, key: s.key } : { arn: s.arn }])),
  };
}

/** Contract secrets kept in an existing installation's Secrets Manager secret. */
export function existingSecrets(plan: Plan): Partial<Record<SecretName, string>> {
  return { ...(plan as unknown as DeclaringPlan).existingSecrets };
}

/** The ARNs of every declared extra secret, of any role: what another role must not read. */
export function declaredSecretArns(plan: Plan): string[] {
  return (["app", "worker"] as const).flatMap((r) => Object.values(declared(plan, r).secrets).map((s) => s.arn));
}
