/**
 * One view of a container whatever declared it: an ECS task definition's `containerDefinitions`
 * (a JSON string in @pulumi/aws v7), a Kubernetes pod template, or a Lambda function.
 *
 * Values the pack cannot read (unknown during preview, ciphertext in an export) are read one by
 * one: an unreadable variable or image is marked as such and the rest of the container is still
 * judged. An ECS `containerDefinitions` is one JSON string, so it is readable as a whole or not at all.
 */
import { UNREADABLE, readable } from "./unreadable";
import { OddInputError, objects, optBool, optList, optObj, optStr, type Props } from "./values";

export interface EnvLiteral {
  readonly name: string;
  readonly value: string;
  /** Where a value resolved from elsewhere came from (`ConfigMap "ap-settings"`); unset for the container's own literal. */
  readonly from?: string;
}

/** A literal whose value the pack cannot read: unknown during preview, or encrypted in a stack export. */
export const UNREADABLE_LITERAL = "unreadable literal";

export interface EnvReference {
  readonly name: string;
  /**
   * Where the value comes from: `valueFrom` (an ECS Secrets Manager/SSM ARN), Kubernetes
   * `secretKeyRef`/`configMapKeyRef`/`fieldRef`/..., or UNREADABLE_LITERAL for a literal the pack
   * cannot read. Either way the pack does not know the value.
   */
  readonly source: string;
  /** ECS `valueFrom`, or the ConfigMap/Secret `name/key` for Kubernetes. */
  readonly ref: string;
  /** The ConfigMap or Secret and key a Kubernetes `configMapKeyRef`/`secretKeyRef` names. */
  readonly selector?: { readonly name: string; readonly key: string };
}

/** A Kubernetes `envFrom` source: every key of a ConfigMap or Secret becomes a variable (with `prefix`). */
export interface EnvFromSource {
  readonly kind: "configMap" | "secret";
  readonly name: string;
  readonly prefix: string;
  readonly optional: boolean;
}

export interface ContainerView {
  readonly name: string;
  readonly image?: string;
  /** The image is set but cannot be read yet (unknown during preview, encrypted in an export). */
  readonly imageUnreadable?: boolean;
  readonly literals: readonly EnvLiteral[];
  readonly references: readonly EnvReference[];
  /** Kubernetes `envFrom` sources, in order (later sources win for the same name; `env` wins over all). */
  readonly envFrom: readonly EnvFromSource[];
  /** The environment as a whole cannot be read (a Lambda's `environment` that is one secret, a pod's `env` list not known yet). */
  readonly envUnreadable?: boolean;
  /** Whether the whole environment is visible (false when `envFrom`, ECS environment files or an unreadable environment add unseen names). */
  readonly complete: boolean;
}

export const ECS_TASK_DEFINITION = "aws:ecs/taskDefinition:TaskDefinition";
export const LAMBDA_FUNCTION = "aws:lambda/function:Function";

/** The container definitions of an ECS task definition: a JSON string in @pulumi/aws v7 (an array is accepted too). */
function containerDefinitionList(raw: unknown): Props[] {
  if (raw === undefined || raw === null) return [];
  let parsed: unknown = raw;
  if (typeof raw === "string") {
    try {
      parsed = JSON.parse(raw);
    } catch {
      throw new OddInputError("`containerDefinitions` is not valid JSON");
    }
  }
  if (!Array.isArray(parsed)) throw new OddInputError("`containerDefinitions` is not a JSON array");
  return objects(parsed, "containerDefinitions");
}

function ecsViews(list: readonly Props[]): ContainerView[] {
  return list.map((c, i) => {
    const name = optStr(c, "name") ?? `#${i}`;
    const literals = objects(optList(c, "environment"), `container "${name}" environment`).map((e) => ({
      name: optStr(e, "name") ?? "",
      value: optStr(e, "value") ?? "",
    }));
    const references = objects(optList(c, "secrets"), `container "${name}" secrets`).map((s) => ({
      name: optStr(s, "name") ?? "",
      source: "valueFrom",
      ref: optStr(s, "valueFrom") ?? "",
    }));
    const files = optList(c, "environmentFiles");
    return { name, image: optStr(c, "image"), literals, references, envFrom: [], complete: !files || files.length === 0 };
  });
}

export interface EcsSecretRef {
  readonly container: string;
  readonly field: string;
  readonly valueFrom: string;
}

function ecsRefs(list: readonly Props[]): EcsSecretRef[] {
  const out: EcsSecretRef[] = [];
  for (const [i, c] of list.entries()) {
    const name = optStr(c, "name") ?? `#${i}`;
    for (const s of objects(optList(c, "secrets"), `container "${name}" secrets`)) {
      out.push({ container: name, field: `secrets "${optStr(s, "name") ?? ""}"`, valueFrom: optStr(s, "valueFrom") ?? "" });
    }
    const log = optObj(c, "logConfiguration");
    for (const s of objects(log ? optList(log, "secretOptions") : undefined, `container "${name}" logConfiguration.secretOptions`)) {
      out.push({ container: name, field: `logConfiguration.secretOptions "${optStr(s, "name") ?? ""}"`, valueFrom: optStr(s, "valueFrom") ?? "" });
    }
    const creds = optObj(c, "repositoryCredentials");
    const param = creds ? optStr(creds, "credentialsParameter") : undefined;
    if (param !== undefined) out.push({ container: name, field: "repositoryCredentials.credentialsParameter", valueFrom: param });
  }
  return out;
}

/** One view's outcome: the value, or the odd-input error reading it raised (each view fails on its own, as it would when read alone). */
type Outcome<T> = { readonly value: T } | { readonly error: unknown };

function attempt<T>(read: () => T): Outcome<T> {
  try {
    return { value: read() };
  } catch (e) {
    if (e instanceof OddInputError) return { error: e };
    throw e;
  }
}

function settle<T>(o: Outcome<T>): T {
  if ("error" in o) throw o.error;
  return o.value;
}

interface EcsRead {
  readonly containers: Outcome<ContainerView[]>;
  readonly refs: Outcome<EcsSecretRef[]>;
}

/**
 * What the pack reads from a `containerDefinitions` JSON text, by that text. Every ECS rule reads
 * the same string (a dozen times per task definition in a full check, thousands of task
 * definitions in a 20,000-resource export); reading is pure, so each text is parsed once and only
 * the small views are kept. Views are shared and never changed by a caller.
 */
const ecsReads = new Map<string, EcsRead>();
const CACHE_LIMIT = 10_000;

function readDefinitions(raw: unknown): EcsRead {
  const list = containerDefinitionList(raw);
  return { containers: attempt(() => ecsViews(list)), refs: attempt(() => ecsRefs(list)) };
}

function ecsRead(props: Props): EcsRead {
  const raw = props.containerDefinitions;
  if (typeof raw !== "string") return readDefinitions(raw);
  let read = ecsReads.get(raw);
  if (!read) {
    read = readDefinitions(raw);
    if (ecsReads.size >= CACHE_LIMIT) ecsReads.clear();
    ecsReads.set(raw, read);
  }
  return read;
}

export function ecsContainers(props: Props): ContainerView[] {
  return settle(ecsRead(props).containers);
}

/** Every place a container definition names a secret by reference: `secrets`, `logConfiguration.secretOptions`, registry credentials. */
export function ecsSecretRefs(props: Props): EcsSecretRef[] {
  return settle(ecsRead(props).refs);
}

/** Kubernetes kinds whose pods run containers, with the path to their pod spec. */
const POD_SPEC_PATHS: Record<string, readonly string[]> = {
  Pod: ["spec"],
  Deployment: ["spec", "template", "spec"],
  StatefulSet: ["spec", "template", "spec"],
  DaemonSet: ["spec", "template", "spec"],
  ReplicaSet: ["spec", "template", "spec"],
  ReplicationController: ["spec", "template", "spec"],
  Job: ["spec", "template", "spec"],
  PodTemplate: ["template", "spec"],
  CronJob: ["spec", "jobTemplate", "spec", "template", "spec"],
};

const K8S_TYPE = /^kubernetes:(?:core|apps|batch|extensions)\/[a-z0-9]+:([A-Za-z]+?)(?:Patch)?$/;

/** The workload kind of a Kubernetes type token (`kubernetes:apps/v1:Deployment` -> `Deployment`), if it runs pods. */
export function k8sWorkloadKind(type: string): string | undefined {
  const kind = K8S_TYPE.exec(type)?.[1];
  return kind && kind in POD_SPEC_PATHS ? kind : undefined;
}

export function isK8sWorkload(type: string): boolean {
  return k8sWorkloadKind(type) !== undefined;
}

export function k8sPodSpec(type: string, props: Props): Props | undefined {
  const kind = k8sWorkloadKind(type);
  if (!kind) return undefined;
  let cur: Props | undefined = props;
  for (const key of POD_SPEC_PATHS[kind]!) {
    if (!cur) return undefined;
    cur = optObj(cur, key);
  }
  return cur;
}

/** `{ name, key }` of a `configMapKeyRef`/`secretKeyRef`; a part that cannot be read is left empty. */
function selector(sel: Props): { name: string; key: string } {
  const part = (k: string) => {
    const v = readable(() => optStr(sel, k));
    return v === UNREADABLE ? "" : (v ?? "");
  };
  return { name: part("name"), key: part("key") };
}

function k8sEnvFrom(c: Props, name: string): EnvFromSource[] | typeof UNREADABLE {
  const list = readable(() => optList(c, "envFrom"));
  if (list === UNREADABLE) return UNREADABLE;
  return objects(list, `container "${name}" envFrom`).map((s) => {
    const text = (obj: Props, key: string) => {
      const v = readable(() => optStr(obj, key));
      return v === UNREADABLE ? "" : (v ?? "");
    };
    const cm = readable(() => optObj(s, "configMapRef"));
    const ref = cm !== undefined ? cm : readable(() => optObj(s, "secretRef"));
    const source = ref === UNREADABLE || ref === undefined ? {} : ref;
    return {
      kind: cm !== undefined ? "configMap" : "secret",
      name: text(source, "name"),
      prefix: text(s, "prefix"),
      optional: readable(() => optBool(source, "optional")) === true,
    };
  });
}

export function k8sContainers(type: string, props: Props): ContainerView[] {
  const spec = k8sPodSpec(type, props);
  if (!spec) return [];
  const all = [...objects(optList(spec, "initContainers"), "initContainers"), ...objects(optList(spec, "containers"), "containers")];
  return all.map((c, i) => {
    const name = optStr(c, "name") ?? `#${i}`;
    const literals: EnvLiteral[] = [];
    const references: EnvReference[] = [];
    const env = readable(() => optList(c, "env"));
    for (const e of objects(env === UNREADABLE ? undefined : env, `container "${name}" env`)) {
      const envName = optStr(e, "name") ?? "";
      const from = readable(() => optObj(e, "valueFrom"));
      if (from === UNREADABLE) {
        references.push({ name: envName, source: "valueFrom", ref: "" });
      } else if (from) {
        const [source] = Object.keys(from);
        const sel = source ? readable(() => optObj(from, source)) : undefined;
        const s = sel && sel !== UNREADABLE ? selector(sel) : undefined;
        references.push({ name: envName, source: source ?? "valueFrom", ref: s ? `${s.name}/${s.key}` : "", ...(s ? { selector: s } : {}) });
      } else {
        const value = readable(() => optStr(e, "value"));
        if (value === UNREADABLE) references.push({ name: envName, source: UNREADABLE_LITERAL, ref: "" });
        else if (value !== undefined) literals.push({ name: envName, value });
      }
    }
    const from = k8sEnvFrom(c, name);
    const envFrom = from === UNREADABLE ? [] : from;
    const image = readable(() => optStr(c, "image"));
    const envUnreadable = env === UNREADABLE || from === UNREADABLE;
    return {
      name,
      image: image === UNREADABLE ? undefined : image,
      imageUnreadable: image === UNREADABLE,
      literals,
      references,
      envFrom,
      envUnreadable,
      complete: !envUnreadable && envFrom.length === 0,
    };
  });
}

/**
 * Lambda `environment.variables` as a container, with its image when it is packaged as one: a
 * zip function (`packageType` Zip, or no `imageUri`) has no image to judge.
 */
export function lambdaContainer(name: string, props: Props): ContainerView {
  const packageType = readable(() => optStr(props, "packageType"));
  const imageUri = readable(() => optStr(props, "imageUri"));
  const isImage = packageType !== "Zip" && (imageUri === UNREADABLE ? true : imageUri !== undefined && imageUri !== "");
  const environment = readable(() => optObj(props, "environment"));
  const vars = environment === UNREADABLE || environment === undefined ? environment : readable(() => optObj(environment, "variables"));
  const literals: EnvLiteral[] = [];
  const references: EnvReference[] = [];
  if (vars !== UNREADABLE && vars !== undefined) {
    for (const k of Object.keys(vars)) {
      const value = readable(() => optStr(vars, k));
      if (value === UNREADABLE) references.push({ name: k, source: UNREADABLE_LITERAL, ref: "" });
      else literals.push({ name: k, value: value ?? "" });
    }
  }
  return {
    name,
    image: isImage && imageUri !== UNREADABLE ? imageUri : undefined,
    imageUnreadable: isImage && imageUri === UNREADABLE,
    literals,
    references,
    envFrom: [],
    envUnreadable: vars === UNREADABLE,
    complete: vars !== UNREADABLE,
  };
}

/** Containers of any supported resource type (empty for other types). */
export function containersOf(type: string, name: string, props: Props): ContainerView[] {
  if (type === ECS_TASK_DEFINITION) return ecsContainers(props);
  if (type === LAMBDA_FUNCTION) return [lambdaContainer(name, props)];
  return k8sContainers(type, props);
}

export function envValue(c: ContainerView, name: string): string | undefined {
  return c.literals.find((e) => e.name === name)?.value;
}

export function envReference(c: ContainerView, name: string): EnvReference | undefined {
  return c.references.find((e) => e.name === name);
}
