/**
 * Runs policies through @pulumi/policy's own analyzer RPC handlers, the code `pulumi preview`
 * talks to over gRPC, so the offline check builds policy arguments exactly as the engine path does
 * (deserialization, secret unwrapping, unknown-value proxies, enforcement levels, the
 * "can't run during preview" advisory). Tests that skip this handling let bugs through
 * (pulumi-policy#445). The handlers are internal to @pulumi/policy, reached through ./sdk-policy.
 */
import { inspect } from "node:util";
import type { Policies } from "@pulumi/policy";
import { Struct } from "google-protobuf/google/protobuf/struct_pb";
import { type AnalyzerRpc as Rpc, makeAnalyzeRpcFun, makeAnalyzeStackRpcFun } from "./sdk-policy";
import { analyzer } from "./sdk-pulumi";

export interface AnalyzerResourceInput {
  readonly urn: string;
  readonly type: string;
  readonly name: string;
  readonly properties: Record<string, unknown>;
  readonly parent?: string;
  readonly protect?: boolean;
  readonly ignoreChanges?: readonly string[];
  readonly aliases?: readonly string[];
  readonly dependencies?: readonly string[];
  readonly propertyDependencies?: Readonly<Record<string, readonly string[]>>;
  readonly provider?: { readonly urn: string; readonly type: string; readonly name: string; readonly properties: Record<string, unknown> };
}

export interface Diagnostic {
  readonly policyName: string;
  readonly description: string;
  readonly message: string;
  readonly urn: string;
  readonly enforcementLevel: "advisory" | "mandatory" | "remediate" | "disabled";
}

function options(r: AnalyzerResourceInput): analyzer.AnalyzerResourceOptions {
  const o = new analyzer.AnalyzerResourceOptions();
  o.setProtect(r.protect ?? false);
  o.setIgnorechangesList([...(r.ignoreChanges ?? [])]);
  o.setAliasesList([...(r.aliases ?? [])]);
  if (r.parent) o.setParent(r.parent);
  return o;
}

function provider(r: AnalyzerResourceInput): analyzer.AnalyzerProviderResource | undefined {
  if (!r.provider) return undefined;
  const p = new analyzer.AnalyzerProviderResource();
  p.setUrn(r.provider.urn);
  p.setType(r.provider.type);
  p.setName(r.provider.name);
  p.setProperties(Struct.fromJavaScript(r.provider.properties as Parameters<typeof Struct.fromJavaScript>[0]));
  return p;
}

function struct(props: Record<string, unknown>): Struct {
  return Struct.fromJavaScript(props as Parameters<typeof Struct.fromJavaScript>[0]);
}

const LEVELS: Record<number, Diagnostic["enforcementLevel"]> = {
  [analyzer.EnforcementLevel.ADVISORY]: "advisory",
  [analyzer.EnforcementLevel.MANDATORY]: "mandatory",
  [analyzer.EnforcementLevel.REMEDIATE]: "remediate",
  [analyzer.EnforcementLevel.DISABLED]: "disabled",
};

function diagnostics(resp: analyzer.AnalyzeResponse | undefined, fallbackUrn: string): Diagnostic[] {
  return (resp?.getDiagnosticsList() ?? []).map((d) => ({
    policyName: d.getPolicyname(),
    description: d.getDescription(),
    message: d.getMessage(),
    urn: d.getUrn() || fallbackUrn,
    enforcementLevel: LEVELS[d.getEnforcementlevel()] ?? "mandatory",
  }));
}

function call<Req>(rpc: Rpc<Req>, request: Req, fallbackUrn: string): Promise<Diagnostic[]> {
  return new Promise((resolve, reject) => {
    rpc({ request }, (err, resp) =>
      err ? reject(err instanceof Error ? err : new Error(typeof err === "string" ? err : inspect(err))) : resolve(diagnostics(resp, fallbackUrn)),
    ).catch(reject);
  });
}

export class PolicyServer {
  constructor(
    private readonly pack: string,
    private readonly version: string,
  ) {}

  /** The engine's `Analyze` call: one resource's inputs against the resource policies. */
  analyze(r: AnalyzerResourceInput, policies: Policies): Promise<Diagnostic[]> {
    const req = new analyzer.AnalyzeRequest();
    req.setType(r.type);
    req.setUrn(r.urn);
    req.setName(r.name);
    req.setProperties(struct(r.properties));
    req.setOptions(options(r));
    const prov = provider(r);
    if (prov) req.setProvider(prov);
    return call(makeAnalyzeRpcFun(this.pack, this.version, "mandatory", policies), req, r.urn);
  }

  /**
   * Wire form of each resource already sent in an AnalyzeStack request. The offline check sends
   * every stack policy its own request (only the types it reads); building the protobuf message is
   * most of a request's cost, so one message per resource serves them all. The handler still
   * deserializes each request on its own, as it does for the engine.
   */
  private readonly wire = new WeakMap<AnalyzerResourceInput, analyzer.AnalyzerResource>();

  /** The engine's `AnalyzeStack` call: every resource's outputs against the stack policies. */
  analyzeStack(resources: readonly AnalyzerResourceInput[], policies: Policies, stackUrn: string): Promise<Diagnostic[]> {
    const req = new analyzer.AnalyzeStackRequest();
    req.setResourcesList(
      resources.map((r) => {
        const cached = this.wire.get(r);
        if (cached) return cached;
        const ar = new analyzer.AnalyzerResource();
        ar.setType(r.type);
        ar.setUrn(r.urn);
        ar.setName(r.name);
        ar.setProperties(struct(r.properties));
        ar.setOptions(options(r));
        const prov = provider(r);
        if (prov) ar.setProvider(prov);
        if (r.parent) ar.setParent(r.parent);
        ar.setDependenciesList([...(r.dependencies ?? [])]);
        const deps = ar.getPropertydependenciesMap();
        for (const [k, urns] of Object.entries(r.propertyDependencies ?? {})) {
          const pd = new analyzer.AnalyzerPropertyDependencies();
          pd.setUrnsList([...urns]);
          deps.set(k, pd);
        }
        this.wire.set(r, ar);
        return ar;
      }),
    );
    return call(makeAnalyzeStackRpcFun(this.pack, this.version, "mandatory", policies), req, stackUrn);
  }
}
