/** Task definitions that run on Fargate, and their task size in ECS's accepted spellings. */
import type { PolicyResource } from "@pulumi/policy";
import { ECS_TASK_DEFINITION } from "./containers";
import { isUnknownValue, type RuleContext } from "./define";
import { lastSegment } from "./stack";
import { OddInputError, objects, optList, optNum, optObj, optStr, strings, type Props } from "./values";

export function runsOnFargate(props: Props): boolean {
  return strings(optList(props, "requiresCompatibilities"), "requiresCompatibilities").includes("FARGATE");
}

/** ECS takes cpu as units ("1024") or vCPU ("1 vCPU"), memory as MiB ("2048") or GB ("2 GB"). */
export function taskCpu(props: Props): { raw?: string; units?: number } {
  const raw = optStr(props, "cpu");
  if (raw === undefined) return {};
  const m = /^\s*(\d+(?:\.\d+)?)\s*(vcpu)?\s*$/i.exec(raw);
  if (!m) return { raw };
  return { raw, units: m[2] ? Math.round(Number(m[1]) * 1024) : Number(m[1]) };
}

export function taskMemory(props: Props): { raw?: string; mib?: number } {
  const raw = optStr(props, "memory");
  if (raw === undefined) return {};
  const m = /^\s*(\d+(?:\.\d+)?)\s*(gb)?\s*$/i.exec(raw);
  if (!m) return { raw };
  return { raw, mib: m[2] ? Math.round(Number(m[1]) * 1024) : Number(m[1]) };
}

export const ECS_SERVICE = "aws:ecs/service:Service";
export const ECS_TASK_SET = "aws:ecs/taskSet:TaskSet";
export const ECS_CLUSTER_CAPACITY_PROVIDERS = "aws:ecs/clusterCapacityProviders:ClusterCapacityProviders";
export const EVENT_TARGET = "aws:cloudwatch/eventTarget:EventTarget";
/** Capacity providers that place tasks on Fargate. */
export const FARGATE_CAPACITY_PROVIDERS: readonly string[] = ["FARGATE", "FARGATE_SPOT"];
/** Types a stack policy needs to tell which task definitions run on Fargate. */
export const FARGATE_LAUNCH_TYPES = [ECS_TASK_DEFINITION, ECS_SERVICE, ECS_TASK_SET, ECS_CLUSTER_CAPACITY_PROVIDERS, EVENT_TARGET];

/**
 * Launchers are read only when some task definition does not declare FARGATE itself: those that do
 * are judged as Fargate whatever launches them.
 */
export const FARGATE_LAUNCH_CONTEXT: RuleContext = {
  types: (t) => t !== ECS_TASK_DEFINITION && FARGATE_LAUNCH_TYPES.includes(t),
  neededBy: (_type, props) => !(Array.isArray(props.requiresCompatibilities) && props.requiresCompatibilities.includes("FARGATE")),
};

/**
 * Reads a value, treating one unknown during preview or of an odd type as absent: a launcher whose
 * task definition or launch settings cannot be read is not linked, and its task definition is still
 * judged by its own `requiresCompatibilities`.
 */
function readable<T>(read: () => T): T | undefined {
  try {
    return read();
  } catch (e) {
    if (isUnknownValue(e) || e instanceof OddInputError) return undefined;
    throw e;
  }
}

function taskDefinitionIndex(tds: readonly PolicyResource[]): Map<string, PolicyResource> {
  const out = new Map<string, PolicyResource>();
  const latest = new Map<string, number>();
  for (const td of tds) {
    out.set(td.urn, td);
    const arn = readable(() => optStr(td.props, "arn"));
    const family = readable(() => optStr(td.props, "family"));
    const revision = readable(() => optNum(td.props, "revision"));
    if (arn) {
      out.set(arn, td);
      out.set(lastSegment(arn), td);
      out.set(arn.replace(/:\d+$/, ""), td);
    }
    if (family) {
      if (revision !== undefined) out.set(`${family}:${revision}`, td);
      if (revision === undefined || revision >= (latest.get(family) ?? -1)) {
        latest.set(family, revision ?? -1);
        out.set(family, td);
      }
    }
  }
  return out;
}

/** Where tasks of a service, task set or scheduled task are placed, or undefined when not on Fargate. */
function fargatePlacement(props: Props, clusterDefaults: ReadonlyMap<string, string[]>, clusterKey: string | undefined): string | undefined {
  const launchType = optStr(props, "launchType");
  if (launchType === "FARGATE") return "launchType FARGATE";
  if (launchType) return undefined;
  const strategies = objects(optList(props, "capacityProviderStrategies") ?? optList(props, "capacityProviderStrategy"), "capacityProviderStrategies").map(
    (s) => optStr(s, "capacityProvider") ?? "",
  );
  const pick = (providers: readonly string[], how: string) => {
    const hit = providers.filter((p) => FARGATE_CAPACITY_PROVIDERS.includes(p));
    return hit.length > 0 ? `${how} ${hit.join(" and ")}` : undefined;
  };
  if (strategies.length > 0) return pick(strategies, "capacity provider");
  const defaults = clusterKey ? clusterDefaults.get(clusterKey) : undefined;
  return defaults ? pick(defaults, `the default capacity provider strategy of cluster "${clusterKey}":`) : undefined;
}

/**
 * Task definitions that run on Fargate, with how the pack knows: its own `requiresCompatibilities`
 * (an empty string), or a service, task set or EventBridge target that launches it on Fargate
 * (`launchType: FARGATE`, a FARGATE/FARGATE_SPOT capacity provider, or the cluster's default
 * capacity provider strategy). ECS runs a task definition on Fargate whenever it fits, whatever
 * its `requiresCompatibilities` says.
 */
export function fargateTaskDefinitions(index: { ofType(...types: string[]): PolicyResource[] }): Map<PolicyResource, string> {
  const tds = index.ofType(ECS_TASK_DEFINITION);
  const out = new Map<PolicyResource, string>();
  for (const td of tds) {
    if (readable(() => runsOnFargate(td.props))) out.set(td, "");
  }
  const byKey = taskDefinitionIndex(tds);
  const clusterDefaults = new Map<string, string[]>();
  for (const c of index.ofType(ECS_CLUSTER_CAPACITY_PROVIDERS)) {
    const name = readable(() => optStr(c.props, "clusterName"));
    const providers = readable(() =>
      objects(optList(c.props, "defaultCapacityProviderStrategies"), "defaultCapacityProviderStrategies").map((s) => optStr(s, "capacityProvider") ?? ""),
    );
    if (name && providers) clusterDefaults.set(lastSegment(name), providers);
  }
  const link = (launcher: PolicyResource, ref: string | undefined, depKey: string, props: Props, cluster: string | undefined) => {
    const placement = readable(() => fargatePlacement(props, clusterDefaults, cluster ? lastSegment(cluster) : undefined));
    if (!placement) return;
    const targets = new Set<PolicyResource>();
    const td = ref ? (byKey.get(ref) ?? byKey.get(lastSegment(ref))) : undefined;
    if (td) targets.add(td);
    for (const dep of launcher.propertyDependencies?.[depKey] ?? []) {
      const hit = byKey.get(dep.urn);
      if (hit) targets.add(hit);
    }
    for (const t of targets) {
      if (!out.has(t)) out.set(t, ` (${launcher.type} "${launcher.name}" runs it with ${placement})`);
    }
  };
  for (const svc of index.ofType(ECS_SERVICE, ECS_TASK_SET)) {
    link(
      svc,
      readable(() => optStr(svc.props, "taskDefinition")),
      "taskDefinition",
      svc.props,
      readable(() => optStr(svc.props, "cluster")),
    );
  }
  for (const t of index.ofType(EVENT_TARGET)) {
    const ecs = readable(() => optObj(t.props, "ecsTarget"));
    if (!ecs) continue;
    link(
      t,
      readable(() => optStr(ecs, "taskDefinitionArn")),
      "ecsTarget",
      ecs,
      readable(() => optStr(t.props, "arn")),
    );
  }
  return out;
}
