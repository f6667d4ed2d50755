/**
 * The pack's policies, in the order reports list them. Side-effect free: tests and the offline
 * check import this module; only index.ts constructs the PolicyPack (which starts a gRPC server).
 */
import type { Policies } from "@pulumi/policy";
import { disallowKubernetesConfigmapSecret } from "./rules/disallow-kubernetes-configmap-secret";
import { disallowKubernetesLiteralSecret } from "./rules/disallow-kubernetes-literal-secret";
import { disallowOpenDatabaseIngress } from "./rules/disallow-open-database-ingress";
import { disallowPlaintextSecretEnv } from "./rules/disallow-plaintext-secret-env";
import { disallowRdsPublicAccess } from "./rules/disallow-rds-public-access";
import { disallowSandboxProcessOnFargate } from "./rules/disallow-sandbox-process-on-fargate";
import { limitPostgresConnections } from "./rules/limit-postgres-connections";
import { limitWorkerConcurrency } from "./rules/limit-worker-concurrency";
import { limitWorkersPerApp } from "./rules/limit-workers-per-app";
import { requireAutoscalingBounds } from "./rules/require-autoscaling-bounds";
import { requireHttpsAlbListener } from "./rules/require-https-alb-listener";
import { requirePinnedImage } from "./rules/require-pinned-image";
import { requireRdsBackupRetention } from "./rules/require-rds-backup-retention";
import { requireRdsDeletionProtection } from "./rules/require-rds-deletion-protection";
import { requireRdsManagedMasterPassword } from "./rules/require-rds-managed-master-password";
import { requireRdsStorageEncryption } from "./rules/require-rds-storage-encryption";
import { requireRedisEncryption } from "./rules/require-redis-encryption";
import { requireRedisNoeviction } from "./rules/require-redis-noeviction";
import { requireS3Encryption } from "./rules/require-s3-encryption";
import { requireS3PublicAccessBlock } from "./rules/require-s3-public-access-block";
import { requireS3SameRegion } from "./rules/require-s3-same-region";
import { requireSameImageAppWorker } from "./rules/require-same-image-app-worker";
import { requireSecretsManagerReferences } from "./rules/require-secrets-manager-references";
import { requireValidFargateSize } from "./rules/require-valid-fargate-size";
import { requireAlbAccessLogs } from "./rules/require-alb-access-logs";
import { requireTlsListenerPolicy } from "./rules/require-tls-listener-policy";
import { limitPublicIngressToLoadBalancers } from "./rules/limit-public-ingress-to-load-balancers";
import { disallowOpenEksEndpoint } from "./rules/disallow-open-eks-endpoint";
import { requireEksSecretsEncryption } from "./rules/require-eks-secrets-encryption";
import { requireWorkerPodHardening } from "./rules/require-worker-pod-hardening";
import { requireWorkerNetworkPolicy } from "./rules/require-worker-network-policy";
import { requireRdsMultiAz } from "./rules/require-rds-multi-az";
import { requireRedisFailover } from "./rules/require-redis-failover";

/** Name the pack is published and enabled under (`pulumi policy enable <org>/activepieces-aws`). */
export const PACK_NAME = "activepieces-aws";

export const policies: Policies = [
  // Secrets in Secrets Manager
  disallowPlaintextSecretEnv,
  requireSecretsManagerReferences,
  requireRdsManagedMasterPassword,
  disallowKubernetesLiteralSecret,
  disallowKubernetesConfigmapSecret,
  // Same region
  requireS3SameRegion,
  // Pool sizes and scaling
  limitPostgresConnections,
  limitWorkerConcurrency,
  limitWorkersPerApp,
  requireAutoscalingBounds,
  // Platform
  requireValidFargateSize,
  disallowSandboxProcessOnFargate,
  requirePinnedImage,
  requireSameImageAppWorker,
  requireRedisEncryption,
  requireRedisNoeviction,
  requireRdsStorageEncryption,
  disallowRdsPublicAccess,
  requireRdsBackupRetention,
  requireRdsDeletionProtection,
  requireS3PublicAccessBlock,
  requireS3Encryption,
  disallowOpenDatabaseIngress,
  requireHttpsAlbListener,
  // Network exposure and TLS
  limitPublicIngressToLoadBalancers,
  requireTlsListenerPolicy,
  requireAlbAccessLogs,
  // EKS
  disallowOpenEksEndpoint,
  requireEksSecretsEncryption,
  requireWorkerPodHardening,
  requireWorkerNetworkPolicy,
  // Availability in protected environments
  requireRdsMultiAz,
  requireRedisFailover,
];
