/**
 * The one place this repository (outside policies/, which has its own shim) reaches into
 * @pulumi/pulumi past its public API: modules under `runtime/` and the SDK's version module, and
 * members the SDK's .d.ts leaves out. Everything here was written against the version range in
 * WRITTEN_AGAINST; test/unit/sdk-shims.test.ts fails when the installed SDK is outside it, so an
 * upgrade re-checks these few lines instead of breaking the harness, the CLI or the update guard
 * somewhere deep.
 */
import { MockMonitor } from "@pulumi/pulumi/runtime/mocks";
import { specialAssetSig, specialSecretSig, specialSigKey } from "@pulumi/pulumi/runtime/rpc";
import * as settings from "@pulumi/pulumi/runtime/settings";
import { version } from "@pulumi/pulumi/version";

/** The @pulumi/pulumi versions this shim was written against: `from` <= installed < `below`. */
export const WRITTEN_AGAINST = { package: "@pulumi/pulumi", from: "3.248.0", below: "3.249.0" } as const;

/** The installed SDK's version, as `pulumi stack export` writes it in a manifest (`v3.248.0`). */
export const PULUMI_VERSION = `v${version}`;

/** Special signatures of serialized values (secret, asset envelopes), as the engine writes them. */
export { specialAssetSig, specialSecretSig, specialSigKey };

/** The engine (or mock) monitor the SDK registers resources with. */
export function getMonitor(): unknown {
  return settings.getMonitor();
}

/** True when the monitor is the SDK's mock monitor (`pulumi.runtime.setMocks`), not a real engine. */
export function isMockMonitor(): boolean {
  return settings.getMonitor() instanceof MockMonitor;
}

// waitForRPCs is internal to the SDK (not in its .d.ts) but is how the engine knows a program is done.
const internals = settings as unknown as { waitForRPCs(): Promise<void> };

/** Resolves when every RPC the program started (registrations, invokes) has finished. */
export function waitForRPCs(): Promise<void> {
  return internals.waitForRPCs();
}
