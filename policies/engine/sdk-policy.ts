/**
 * The one place the policy pack reaches into @pulumi/policy past its public API: the analyzer RPC
 * handlers of `server` (what `pulumi preview` talks to over gRPC) and the `proxy` error for values
 * unknown during preview. Written against the range in WRITTEN_AGAINST; test/unit/sdk-shims.test.ts
 * fails when the installed package is outside it. Lives inside policies/ because the pack is
 * published on its own and must not import from outside this folder.
 */
import type { Policies } from "@pulumi/policy";
import * as proxyModule from "@pulumi/policy/proxy";
import * as serverModule from "@pulumi/policy/server";
import type { AnalyzeRequest, AnalyzeResponse, AnalyzeStackRequest } from "./sdk-pulumi";

/** The @pulumi/policy versions this shim was written against: `from` <= installed < `below`. */
export const WRITTEN_AGAINST = { package: "@pulumi/policy", from: "1.21.0", below: "1.22.0" } as const;

type Callback = (err: unknown, resp?: AnalyzeResponse) => void;
export type AnalyzerRpc<Req> = (call: { request: Req }, callback: Callback) => Promise<void>;

interface ServerInternals {
  makeAnalyzeRpcFun(pack: string, version: string, level: string, policies: Policies): AnalyzerRpc<AnalyzeRequest>;
  makeAnalyzeStackRpcFun(pack: string, version: string, level: string, policies: Policies): AnalyzerRpc<AnalyzeStackRequest>;
}

const server = serverModule as unknown as ServerInternals;

/** The policy server's Analyze handler for a pack's resource policies. */
export function makeAnalyzeRpcFun(pack: string, version: string, level: string, policies: Policies): AnalyzerRpc<AnalyzeRequest> {
  return server.makeAnalyzeRpcFun(pack, version, level, policies);
}

/** The policy server's AnalyzeStack handler for a pack's stack policies. */
export function makeAnalyzeStackRpcFun(pack: string, version: string, level: string, policies: Policies): AnalyzerRpc<AnalyzeStackRequest> {
  return server.makeAnalyzeStackRpcFun(pack, version, level, policies);
}

/** The class the policy server's proxy throws when a policy reads a value unknown during preview. */
export const UnknownValueError = (proxyModule as unknown as { UnknownValueError: new (...args: never[]) => Error }).UnknownValueError;
