/**
 * How the pack decides that a literal value (an environment variable, a ConfigMap key) is a
 * secret, from three kinds of evidence (policies/README.md, "Secret detection"):
 *
 * 1. The engine's own marking: a value the program marked secret. Policies only see it where the
 *    value cannot be read: ciphertext in a stack export. (@pulumi/policy unwraps readable secrets
 *    before a policy sees them, pulumi-policy#241; during preview an unknown value is only unknown.)
 * 2. The value's structure: a URL that carries a password.
 * 3. The name, graded strong or weak (facts/secrets.ts). An access key id is weak on its own, and
 *    makes a weakly named neighbour with the same prefix read as the key's secret half.
 *
 * Any of 1, 2, a strong name or a weak name beside an access key id is a violation at the
 * policy's level. A weak name alone is advisory. An unreadable value during preview is neither.
 * `allowNames` relaxes name evidence only.
 */
import { hasUrlCredentials, nameWords, secretNameEvidence, type NameEvidence } from "../facts/secrets";
import { UNREADABLE, runPhase, unreadablePhrase, type Readable } from "./unreadable";
import { globMatch } from "./values";

export type Verdict =
  /** Mandatory evidence, as phrases ("its name marks a secret (PASSWORD)"); `urlOnly` when a password in a URL is all there is. */
  | { readonly kind: "violation"; readonly evidence: readonly string[]; readonly urlOnly: boolean }
  /** A weak name alone. */
  | { readonly kind: "weak"; readonly name: NameEvidence }
  /** Not readable during preview or an update, and nothing else says it is a secret. */
  | { readonly kind: "unreadable" };

export interface KeyId {
  readonly name: string;
  /** Its words before ACCESS_KEY_ID, joined with `_` (`AWS`); empty for a bare ACCESS_KEY_ID. */
  readonly prefix: string;
}

export class NameJudge {
  constructor(private readonly allowNames: readonly string[]) {}

  allowed(name: string): boolean {
    return this.allowNames.length > 0 && this.allowNames.some((p) => globMatch(p, name));
  }

  /** Name evidence unless the pack config allows the name. */
  evidence(name: string): NameEvidence | undefined {
    return this.allowed(name) ? undefined : secretNameEvidence(name);
  }

  /** The access key ids among these names, to find a secret half beside them. */
  keyIds(names: Iterable<string>): KeyId[] {
    const out: KeyId[] = [];
    for (const name of names) {
      const e = this.evidence(name);
      if (e?.accessKeyId) out.push({ name, prefix: e.accessKeyId.prefix });
    }
    return out;
  }

  /** Judges one literal value (undefined when only the name is known, as for binaryData). */
  judge(name: string, value: Readable<string> | undefined, keyIds: readonly KeyId[] = []): Verdict | undefined {
    if (value === "") return undefined;
    const evidence: string[] = [];
    const byName = this.evidence(name);
    if (byName?.grade === "strong") evidence.push(`its name marks a secret (${byName.word})`);
    const partner = byName?.grade === "weak" && !byName.accessKeyId ? partnerKeyId(name, keyIds) : undefined;
    if (partner) evidence.push(`its name says ${byName!.word} beside the access key id ${partner}, so it reads as that key's secret half`);
    if (value === UNREADABLE && runPhase() === "export") evidence.push(`the program marked its value secret (it ${unreadablePhrase()})`);
    const url = typeof value === "string" && hasUrlCredentials(value);
    if (url) evidence.push("its value is a URL that carries a password");
    if (evidence.length > 0) return { kind: "violation", evidence, urlOnly: url && evidence.length === 1 };
    if (byName?.grade === "weak") return { kind: "weak", name: byName };
    if (value === UNREADABLE) return { kind: "unreadable" };
    return undefined;
  }
}

function partnerKeyId(name: string, keyIds: readonly KeyId[]): string | undefined {
  if (keyIds.length === 0) return undefined;
  const joined = nameWords(name).join("_");
  return keyIds.find((k) => k.name !== name && (k.prefix === "" || joined.startsWith(`${k.prefix}_`)))?.name;
}

/** Why a weak name is not enough, for a "Cannot verify ... holds no secret" advisory. */
export function weakReason(e: NameEvidence): string {
  return e.accessKeyId
    ? "names an access key id, which is not secret itself but belongs to a long-lived IAM access key whose secret half must not be literal either (weak evidence)"
    : `its name only says ${e.word}, which names secrets and non-secrets alike (weak evidence)`;
}

/** The fix for an access key id: no keys at all. */
export const KEY_ID_FIX =
  "give the workload an IAM role (ECS task role, IRSA or EKS Pod Identity, Lambda execution role) instead of access keys; if the key pair must stay, keep both halves in Secrets Manager.";

/** The fix for weak evidence: move it if it is a secret, allow the name if not. */
export function weakFix(fix: string): string {
  return `if it is a secret, ${fix.replace(/\.$/, "")}; if it is not, list it in this policy's \`allowNames\``;
}

/** `A, B` and the matching pronoun for a list of names whose values cannot be read. */
export function unreadableNames(names: readonly string[]): { list: string; clause: string } {
  const sorted = [...names].sort();
  const plural = sorted.length > 1;
  return {
    list: sorted.join(", "),
    clause: `${plural ? "their values" : "its value"} ${unreadablePhrase(plural)}, so the pack cannot tell whether the program put a secret there`,
  };
}
