/**
 * Kubernetes ConfigMaps of a stack, and a container's environment with their data filled in the
 * way the kubelet does: `envFrom` sources in order (a later one wins for the same name, `prefix`
 * prepended), then the container's own `env`, where a `configMapKeyRef` takes one key. Only a
 * ConfigMap of the workload's namespace with that name counts; when two clusters of the stack
 * hold one of the same namespace and name, the workload's provider decides, else it stays unresolved.
 */
import type { PolicyProviderResource, PolicyResource } from "@pulumi/policy";
import { UNREADABLE_LITERAL, type ContainerView, type EnvLiteral, type EnvReference } from "./containers";
import { UNREADABLE, readable, type Readable } from "./unreadable";
import { OddInputError, optObj, optStr, type Props } from "./values";

export const CONFIG_MAP = "kubernetes:core/v1:ConfigMap";
export const CONFIG_MAP_PATCH = "kubernetes:core/v1:ConfigMapPatch";
export const CONFIG_MAP_TYPES = [CONFIG_MAP, CONFIG_MAP_PATCH];

export interface ConfigMapData {
  readonly resource: PolicyResource;
  readonly name: string;
  readonly namespace: string;
  /** `data` by key, or UNREADABLE when `data` as a whole cannot be read. */
  readonly data: ReadonlyMap<string, Readable<string>> | typeof UNREADABLE;
}

/** A Kubernetes object's namespace: its own, else its provider's default namespace, else `default`. */
export function k8sNamespace(props: Props, provider?: PolicyProviderResource): string {
  const meta = readable(() => optObj(props, "metadata"));
  const own = meta && meta !== UNREADABLE ? readable(() => optStr(meta, "namespace")) : undefined;
  if (typeof own === "string" && own !== "") return own;
  const fromProvider = provider ? readable(() => optStr(provider.props, "namespace")) : undefined;
  return typeof fromProvider === "string" && fromProvider !== "" ? fromProvider : "default";
}

/** `data` of a ConfigMap key by key; UNREADABLE when the map as a whole cannot be read. */
export function configMapData(props: Props, field = "data"): Map<string, Readable<string>> | typeof UNREADABLE {
  const data = readable(() => optObj(props, field));
  if (data === UNREADABLE) return UNREADABLE;
  const out = new Map<string, Readable<string>>();
  for (const k of Object.keys(data ?? {}))
    out.set(
      k,
      readable(() => optStr(data!, k) ?? ""),
    );
  return out;
}

function view(r: PolicyResource): ConfigMapData | undefined {
  const meta = readable(() => optObj(r.props, "metadata"));
  const name = meta && meta !== UNREADABLE ? readable(() => optStr(meta, "name")) : undefined;
  if (typeof name !== "string" || name === "") return undefined;
  return { resource: r, name, namespace: k8sNamespace(r.props, r.provider), data: configMapData(r.props) };
}

export class ConfigMaps {
  private readonly byName = new Map<string, ConfigMapData[]>();

  constructor(resources: readonly PolicyResource[]) {
    for (const r of resources) {
      let cm: ConfigMapData | undefined;
      try {
        cm = view(r);
      } catch (e) {
        if (e instanceof OddInputError) continue; // an odd ConfigMap resolves nothing; its own rule reports it
        throw e;
      }
      if (!cm) continue;
      const key = `${cm.namespace}/${cm.name}`;
      const list = this.byName.get(key);
      if (list) list.push(cm);
      else this.byName.set(key, [cm]);
    }
  }

  get size(): number {
    return this.byName.size;
  }

  find(namespace: string, name: string, provider?: PolicyProviderResource): ConfigMapData | undefined {
    const list = this.byName.get(`${namespace}/${name}`);
    if (!list) return undefined;
    if (list.length === 1) return list[0];
    const mine = list.filter((c) => c.resource.provider?.urn === provider?.urn);
    return mine.length === 1 ? mine[0] : undefined;
  }
}

type Entry = EnvLiteral | EnvReference;
const value = (name: string, v: Readable<string>, cm: string, key: string): Entry =>
  v === UNREADABLE ? { name, source: UNREADABLE_LITERAL, ref: `${cm}/${key}`, selector: { name: cm, key } } : { name, value: v, from: `ConfigMap "${cm}"` };

/** The container with the values its ConfigMaps give it; references to ConfigMaps outside the stack stay references. */
export function withConfigMaps(c: ContainerView, namespace: string, provider: PolicyProviderResource | undefined, maps: ConfigMaps): ContainerView {
  if (maps.size === 0 || (c.envFrom.length === 0 && !c.references.some((r) => r.source === "configMapKeyRef"))) return c;
  const fromSources = new Map<string, Entry>();
  let complete = !c.envUnreadable;
  for (const src of c.envFrom) {
    const cm = src.kind === "configMap" ? maps.find(namespace, src.name, provider) : undefined;
    if (!cm || cm.data === UNREADABLE) {
      complete = false;
      continue;
    }
    for (const [k, v] of cm.data) fromSources.set(`${src.prefix}${k}`, value(`${src.prefix}${k}`, v, cm.name, k));
  }
  const own = new Set([...c.literals.map((l) => l.name), ...c.references.map((r) => r.name)]);
  const inherited = [...fromSources.values()].filter((e) => !own.has(e.name));
  const resolved = c.references.map((r): Entry => {
    if (r.source !== "configMapKeyRef" || !r.selector) return r;
    const cm = maps.find(namespace, r.selector.name, provider);
    const v = cm && cm.data !== UNREADABLE ? cm.data.get(r.selector.key) : undefined;
    return v === undefined ? r : value(r.name, v, r.selector.name, r.selector.key);
  });
  const all = [...inherited, ...c.literals, ...resolved];
  return {
    ...c,
    literals: all.filter((e): e is EnvLiteral => "value" in e),
    references: all.filter((e): e is EnvReference => !("value" in e)),
    complete,
  };
}
