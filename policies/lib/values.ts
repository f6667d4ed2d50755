/**
 * Readers for resource properties. A policy must never crash on a program's odd input, so each
 * reader returns `undefined` for an absent value and throws `OddInputError` for a value of the
 * wrong type; the policy wrapper turns that into an advisory "cannot verify" message.
 */

export class OddInputError extends Error {
  override readonly name = "OddInputError";
}

export type Props = Record<string, unknown>;

function describe(v: unknown): string {
  if (Array.isArray(v)) return "an array";
  if (v === null) return "null";
  return typeof v === "object" ? "an object" : `${typeof v} ${JSON.stringify(v)}`;
}

function absent(v: unknown): v is null | undefined {
  return v === undefined || v === null;
}

/** A string, or undefined when absent. Numbers are accepted as their decimal text. */
export function optStr(obj: Props, key: string): string | undefined {
  const v = obj[key];
  if (absent(v)) return undefined;
  if (typeof v === "string") return v;
  if (typeof v === "number") return String(v);
  throw new OddInputError(`\`${key}\` is ${describe(v)}, expected a string`);
}

/** A finite number; numeric strings ("512", as ECS takes cpu) are accepted. */
export function optNum(obj: Props, key: string): number | undefined {
  const v = obj[key];
  if (absent(v)) return undefined;
  if (typeof v === "number" && Number.isFinite(v)) return v;
  if (typeof v === "string" && /^\s*-?\d+(\.\d+)?\s*$/.test(v)) return Number(v);
  throw new OddInputError(`\`${key}\` is ${describe(v)}, expected a number`);
}

/** A boolean; "true"/"false" strings (the AWS provider types some flags as strings) are accepted. */
export function optBool(obj: Props, key: string): boolean | undefined {
  const v = obj[key];
  if (absent(v)) return undefined;
  if (typeof v === "boolean") return v;
  if (v === "true" || v === "false") return v === "true";
  throw new OddInputError(`\`${key}\` is ${describe(v)}, expected a boolean`);
}

export function optList(obj: Props, key: string): unknown[] | undefined {
  const v = obj[key];
  if (absent(v)) return undefined;
  if (Array.isArray(v)) return v as unknown[];
  throw new OddInputError(`\`${key}\` is ${describe(v)}, expected a list`);
}

export function optObj(obj: Props, key: string): Props | undefined {
  const v = obj[key];
  if (absent(v)) return undefined;
  if (typeof v === "object" && !Array.isArray(v)) return v as Props;
  throw new OddInputError(`\`${key}\` is ${describe(v)}, expected an object`);
}

// The two readers below walk lists by index: policies get lists as @pulumi/policy proxies, where
// `list.map` also looks up `map`, `constructor` and the species through the proxy and wraps each in
// a new proxy, about a quarter of the cost of a read that every rule does on every list.

/** Elements of a list that are objects; anything else in the list is an odd input. */
export function objects(list: readonly unknown[] | undefined, what: string): Props[] {
  if (!list) return [];
  const out: Props[] = [];
  for (let i = 0, n = list.length; i < n; i++) {
    const e = list[i];
    if (!(e && typeof e === "object" && !Array.isArray(e))) throw new OddInputError(`${what}[${i}] is ${describe(e)}, expected an object`);
    out.push(e as Props);
  }
  return out;
}

/** Strings of a list; anything else is an odd input. */
export function strings(list: readonly unknown[] | undefined, what: string): string[] {
  if (!list) return [];
  const out: string[] = [];
  for (let i = 0, n = list.length; i < n; i++) {
    const e = list[i];
    if (typeof e !== "string") throw new OddInputError(`${what}[${i}] is ${describe(e)}, expected a string`);
    out.push(e);
  }
  return out;
}

/** Stack name from a URN: `urn:pulumi:<stack>::<project>::<type>::<name>`. */
export function stackOfUrn(urn: string): string {
  const m = /^urn:pulumi:([^:]+)::/.exec(urn);
  return m?.[1] ?? "";
}

/** Shell-style match where `*` stands for any run of characters. */
export function globMatch(pattern: string, value: string): boolean {
  const re = new RegExp(
    `^${pattern
      .split("*")
      .map((p) => p.replace(/[.+?^${}()|[\]\\]/g, "\\$&"))
      .join(".*")}$`,
  );
  return re.test(value);
}
