/**
 * Entry point Pulumi runs for `--policy-pack policies` and `pulumi policy publish`. Constructing
 * PolicyPack starts the analyzer's gRPC server, so nothing else may import this file.
 */
import { PolicyPack } from "@pulumi/policy";
import { PACK_NAME, policies } from "./rules";

new PolicyPack(PACK_NAME, {
  description: "ActivePieces-shaped workloads on AWS: same-region S3, secrets in Secrets Manager, sane pool sizes, platform rules.",
  enforcementLevel: "mandatory",
  policies,
});
