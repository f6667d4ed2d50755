/**
 * Runs a Pulumi program under mocks and returns every registered resource.
 * The offline plan command and the component tests both use it, so what the tests assert is what
 * the plan command prints. One capture runs at a time (mocks are process-global).
 */
import * as pulumi from "@pulumi/pulumi";
import { mockCall, mockOutputs, resetMocks } from "./mocks";
import { getMonitor, waitForRPCs } from "./sdk/pulumi";

export interface CapturedResource {
  readonly urn: string;
  readonly type: string;
  readonly name: string;
  /** URN of the parent, or undefined for resources directly under the stack. */
  readonly parent?: string;
  /** Provider reference `<provider urn>::<id>` as the engine records it. */
  readonly provider?: string;
  readonly custom: boolean;
  readonly id?: string;
  readonly inputs: Record<string, unknown>;
  /**
   * Inputs as the engine receives them: secret values stay wrapped in their envelope
   * (`{"4dabf18193072939515e22adb298388d": "1b47061264138c4ac30d75fd1eb44270", value}`), which
   * is what stack exports and the policy pack see.
   */
  readonly rawInputs: Record<string, unknown>;
  readonly outputs: Record<string, unknown>;
  /**
   * The resource options as the SDK sent them to the engine (the same RegisterResource request a
   * real `pulumi up` sends): what decides ordering and safety, which inputs alone do not show.
   */
  readonly options: ResourceOptionsRecord;
  /** Input property -> URNs it depends on, as the engine records them. */
  readonly propertyDependencies: Record<string, string[]>;
}

export interface ResourceOptionsRecord {
  readonly protect: boolean;
  readonly retainOnDelete: boolean;
  readonly deleteBeforeReplace: boolean;
  readonly ignoreChanges: string[];
  /** Every URN the resource depends on: explicit `dependsOn` and those implied by its inputs. */
  readonly dependsOn: string[];
  readonly provider?: string;
  /**
   * URNs the resource's `aliases` resolve to (a spec's missing name/type/parent/stack/project
   * default to the resource's own), spelled like `urn`: the old URNs the resource adopts.
   * Absent when it has none, as the plan's JSON shows it (docs/plan-output.schema.json).
   */
  readonly aliases?: string[];
}

export interface Capture {
  readonly resources: CapturedResource[];
  readonly outputs: Record<string, unknown>;
  readonly project: string;
  readonly stack: string;
  /** Resources of a type, in registration order. */
  ofType(type: string): CapturedResource[];
  /** The single resource of a type whose name ends with `suffix`; throws when there is not exactly one. */
  one(type: string, suffix?: string): CapturedResource;
}

export interface CaptureOptions {
  readonly project?: string;
  readonly stack?: string;
  readonly preview?: boolean;
  /** Namespaced runtime config (`project:key` -> string), replacing whatever was set before. */
  readonly config?: Record<string, string>;
}

let running = false;

interface MonitorLike {
  registerResource(req: RegisterRequest, cb: (err: unknown, resp?: RegisterResponse) => void): void;
}
interface RegisterRequest {
  getType(): string;
  getName(): string;
  getParent(): string;
  getProvider(): string;
  getCustom(): boolean;
  getObject(): { toJavaScript(): Record<string, unknown> } | undefined;
  getProtect(): boolean | undefined;
  getRetainondelete(): boolean | undefined;
  getDeletebeforereplace(): boolean;
  getIgnorechangesList(): string[];
  getDependenciesList(): string[];
  getPropertydependenciesMap(): { forEach(cb: (value: { getUrnsList(): string[] }, key: string) => void): void };
  getAliasesList(): AliasLike[];
}
interface AliasLike {
  getUrn(): string;
  getSpec(): { getName(): string; getType(): string; getStack(): string; getProject(): string; getParenturn(): string; getNoparent(): boolean } | undefined;
}
interface RegisterResponse {
  getUrn(): string;
  getId(): string;
  getObject(): { toJavaScript(): Record<string, unknown> } | undefined;
}

function propertyDependencies(req: RegisterRequest): Record<string, string[]> {
  const out: Record<string, string[]> = {};
  req.getPropertydependenciesMap().forEach((deps, key) => {
    const urns = deps.getUrnsList();
    if (urns.length > 0) out[key] = urns;
  });
  return out;
}

/**
 * Alias URNs, built the way the mock monitor builds `urn` (parent's last type + `$` + type) so
 * that they compare with captured URNs; the engine spells both with the full type chain instead.
 */
function aliasUrns(req: RegisterRequest, project: string, stack: string): string[] {
  return req.getAliasesList().map((alias) => {
    const spec = alias.getSpec();
    if (!spec) return alias.getUrn();
    const parent = spec.getNoparent() ? "" : spec.getParenturn() || req.getParent();
    const parentType = parent.split("::")[2]?.split("$").pop();
    const type = spec.getType() || req.getType();
    const qualified = parentType ? `${parentType}$${type}` : type;
    return `urn:pulumi:${spec.getStack() || stack}::${spec.getProject() || project}::${qualified}::${spec.getName() || req.getName()}`;
  });
}

export async function capture(program: () => unknown, opts: CaptureOptions = {}): Promise<Capture> {
  if (running) throw new Error("capture() is already running: two captures at once would mix resources");
  running = true;
  const project = opts.project ?? "activepieces-aws";
  const stack = opts.stack ?? "test";
  const inputsByKey = new Map<string, Record<string, unknown>>();
  const resources: CapturedResource[] = [];
  const failures: unknown[] = [];
  const onRejection = (reason: unknown) => failures.push(reason);
  process.on("unhandledRejection", onRejection);
  try {
    resetMocks();
    await pulumi.runtime.setMocks(
      {
        newResource: (args) => {
          inputsByKey.set(`${args.type}::${args.name}`, args.inputs as Record<string, unknown>);
          return mockOutputs(args, opts.preview ?? false);
        },
        call: (args) => mockCall(args),
      },
      project,
      stack,
      opts.preview ?? false,
    );
    pulumi.runtime.setAllConfig(opts.config ?? {});
    const monitor = getMonitor() as MonitorLike;
    const original = monitor.registerResource.bind(monitor);
    monitor.registerResource = (req, cb) => {
      original(req, (err, resp) => {
        if (!err && resp) {
          const key = `${req.getType()}::${req.getName()}`;
          resources.push({
            urn: resp.getUrn(),
            type: req.getType(),
            name: req.getName(),
            parent: req.getParent() || undefined,
            provider: req.getProvider() || undefined,
            custom: req.getCustom(),
            id: resp.getId() || undefined,
            inputs: inputsByKey.get(key) ?? {},
            rawInputs: req.getObject()?.toJavaScript() ?? {},
            outputs: resp.getObject()?.toJavaScript() ?? {},
            options: {
              protect: req.getProtect() ?? false,
              retainOnDelete: req.getRetainondelete() ?? false,
              deleteBeforeReplace: req.getDeletebeforereplace(),
              ignoreChanges: req.getIgnorechangesList(),
              dependsOn: [...new Set(req.getDependenciesList())],
              ...(req.getProvider() ? { provider: req.getProvider() } : {}),
              ...(req.getAliasesList().length > 0 ? { aliases: aliasUrns(req, project, stack) } : {}),
            },
            propertyDependencies: propertyDependencies(req),
          });
        }
        cb(err, resp);
      });
    };
    const outputs = (await pulumi.runtime.runInPulumiStack(async () => (await program()) as Record<string, unknown>)) ?? {};
    await waitForRPCs();
    // Let rejections raised inside apply() surface before we judge the run.
    await new Promise((r) => setImmediate(r));
    if (failures.length > 0) throw failures[0];
    const real = resources.filter((r) => r.type !== "pulumi:pulumi:Stack");
    return {
      resources: real,
      outputs,
      project,
      stack,
      ofType: (type) => real.filter((r) => r.type === type),
      one: (type, suffix) => {
        const found = real.filter((r) => r.type === type && (suffix === undefined || r.name.endsWith(suffix)));
        if (found.length !== 1) {
          throw new Error(`expected exactly one ${type}${suffix ? ` named *${suffix}` : ""}, found ${found.length}: ${found.map((f) => f.name).join(", ")}`);
        }
        return found[0]!;
      },
    };
  } finally {
    process.off("unhandledRejection", onRejection);
    running = false;
  }
}
