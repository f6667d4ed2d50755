/**
 * The one place the policies workspace reaches into @pulumi/pulumi past its public API: the
 * analyzer protobuf messages and the serialization signatures of `runtime/rpc`. Written against
 * the range in WRITTEN_AGAINST; test/unit/sdk-shims.test.ts fails when the installed package is
 * outside it. The root program has its own shim (offline/sdk/pulumi.ts): this folder is published
 * on its own and must not import from outside it.
 */
import * as analyzer from "@pulumi/pulumi/proto/analyzer_pb";
import {
  specialArchiveSig,
  specialAssetSig,
  specialOutputValueSig,
  specialResourceSig,
  specialSecretSig,
  specialSigKey,
  unknownValue,
} from "@pulumi/pulumi/runtime/rpc";
import { version } from "@pulumi/pulumi/version";

/** The @pulumi/pulumi versions this shim was written against: `from` <= installed < `below`. */
export const WRITTEN_AGAINST = { package: "@pulumi/pulumi", from: "3.248.0", below: "3.249.0" } as const;

/** The installed SDK's version, as `pulumi stack export` writes it in a manifest (`v3.248.0`). */
export const PULUMI_VERSION = `v${version}`;

/** The analyzer protocol's messages (proto/analyzer_pb). */
export { analyzer };
export type AnalyzeRequest = analyzer.AnalyzeRequest;
export type AnalyzeResponse = analyzer.AnalyzeResponse;
export type AnalyzeStackRequest = analyzer.AnalyzeStackRequest;

export { specialArchiveSig, specialAssetSig, specialOutputValueSig, specialResourceSig, specialSecretSig, specialSigKey, unknownValue };
