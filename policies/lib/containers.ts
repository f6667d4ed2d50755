/**
 * One view of a container whatever declared it: an ECS task definition's `containerDefinitions`
 * (a JSON string in @pulumi/aws v7), a Kubernetes pod template, or a Lambda function.
 */
import { OddInputError, objects, optList, optObj, optStr, type Props } from "./values";

export interface EnvLiteral {
  readonly name: string;
  readonly value: string;
}

export interface EnvReference {
  readonly name: string;
  /** Where the value comes from: a Secrets Manager/SSM ARN for ECS, `secretKeyRef`/`configMapKeyRef` for Kubernetes. */
  readonly source: string;
  /** ECS `valueFrom`, or the ConfigMap/Secret `name/key` for Kubernetes. */
  readonly ref: string;
}

export interface ContainerView {
  readonly name: string;
  readonly image?: string;
  readonly literals: readonly EnvLiteral[];
  readonly references: readonly EnvReference[];
  /** Whether the whole environment is visible (false when Kubernetes `envFrom` adds unseen names). */
  readonly complete: boolean;
}

export const ECS_TASK_DEFINITION = "aws:ecs/taskDefinition:TaskDefinition";
export const LAMBDA_FUNCTION = "aws:lambda/function:Function";

/** The container definitions of an ECS task definition: a JSON string in @pulumi/aws v7 (an array is accepted too). */
function containerDefinitionList(props: Props): Props[] {
  const raw = props.containerDefinitions;
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

export function ecsContainers(props: Props): ContainerView[] {
  return containerDefinitionList(props).map((c, i) => {
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
    return { name, image: optStr(c, "image"), literals, references, complete: true };
  });
}

export interface EcsSecretRef {
  readonly container: string;
  readonly field: string;
  readonly valueFrom: string;
}

/** Every place a container definition names a secret by reference: `secrets`, `logConfiguration.secretOptions`, registry credentials. */
export function ecsSecretRefs(props: Props): EcsSecretRef[] {
  const out: EcsSecretRef[] = [];
  for (const [i, c] of containerDefinitionList(props).entries()) {
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

export function k8sContainers(type: string, props: Props): ContainerView[] {
  const spec = k8sPodSpec(type, props);
  if (!spec) return [];
  const all = [
    ...objects(optList(spec, "initContainers"), "initContainers"),
    ...objects(optList(spec, "containers"), "containers"),
  ];
  return all.map((c, i) => {
    const name = optStr(c, "name") ?? `#${i}`;
    const literals: EnvLiteral[] = [];
    const references: EnvReference[] = [];
    for (const e of objects(optList(c, "env"), `container "${name}" env`)) {
      const envName = optStr(e, "name") ?? "";
      const from = optObj(e, "valueFrom");
      if (from) {
        const [source] = Object.keys(from);
        const sel = source ? optObj(from, source) : undefined;
        references.push({ name: envName, source: source ?? "valueFrom", ref: sel ? `${optStr(sel, "name") ?? ""}/${optStr(sel, "key") ?? ""}` : "" });
      } else {
        const value = optStr(e, "value");
        if (value !== undefined) literals.push({ name: envName, value });
      }
    }
    const envFrom = optList(c, "envFrom");
    return { name, image: optStr(c, "image"), literals, references, complete: !envFrom || envFrom.length === 0 };
  });
}

/** Lambda `environment.variables` as a container without an image. */
export function lambdaContainer(name: string, props: Props): ContainerView | undefined {
  const env = optObj(props, "environment");
  const vars = env ? optObj(env, "variables") : undefined;
  if (!vars) return undefined;
  const literals = Object.keys(vars).map((k) => ({ name: k, value: optStr(vars, k) ?? "" }));
  return { name, image: optStr(props, "imageUri"), literals, references: [], complete: true };
}

/** Containers of any supported resource type (empty for other types). */
export function containersOf(type: string, name: string, props: Props): ContainerView[] {
  if (type === ECS_TASK_DEFINITION) return ecsContainers(props);
  if (type === LAMBDA_FUNCTION) {
    const c = lambdaContainer(name, props);
    return c ? [c] : [];
  }
  return k8sContainers(type, props);
}

export function envValue(c: ContainerView, name: string): string | undefined {
  return c.literals.find((e) => e.name === name)?.value;
}

export function envReference(c: ContainerView, name: string): EnvReference | undefined {
  return c.references.find((e) => e.name === name);
}
