import * as k8s from "@pulumi/kubernetes";
import * as pulumi from "@pulumi/pulumi";
import type { SecretRef } from "../roles";
import { parseSecretRef } from "../secret-ref";
import { CHARTS, SYSTEM_NODE_SELECTOR, helmRelease, resources } from "./helm";
import { APP_NAMESPACE, SECRET_STORE } from "./names";
import { createPodRole } from "./pod-identity";

export const EXTERNAL_SECRETS_SA = "external-secrets";
/** How often External Secrets re-reads Secrets Manager. */
export const REFRESH_INTERVAL = "1h";

/**
 * Makes `pulumi up` wait until External Secrets reports an ExternalSecret Ready (status True, reason
 * SecretSynced: the Kubernetes Secret was written), so the Deployments that depend on the
 * ExternalSecrets never start before their Secrets exist, and a wrong ARN or a missing permission
 * fails the update instead of leaving pods in CreateContainerConfigError. `pulumi.com/waitFor`
 * takes `condition=<type>` like `kubectl wait`; @pulumi/kubernetes supports it on any resource,
 * custom resources included, since 4.18 (pulumi-kubernetes#3134; precedence fix in 4.18.4); this
 * project pins 4.34.2.
 */
export const WAIT_FOR_READY = { "pulumi.com/waitFor": "condition=Ready" } as const;

/** Where one key of a Kubernetes Secret comes from in Secrets Manager. */
export interface SecretMapping {
  readonly secretKey: string;
  readonly remoteRef: { readonly key: string; readonly property?: string };
}

/**
 * A secret reference (`<arn>` or `<arn>:<json-key>::`, components/secret-ref.ts) -> the secret ARN
 * and the JSON property External Secrets should extract.
 */
export function remoteRef(valueFrom: string): SecretMapping["remoteRef"] {
  const { arn, jsonKey } = parseSecretRef(valueFrom);
  return jsonKey ? { key: arn, property: jsonKey } : { key: arn };
}

/** Reads exactly the listed secrets. https://external-secrets.io/latest/provider/aws-secrets-manager/#iam-policy */
export function secretsReaderPolicy(secretArns: readonly string[]): string {
  return JSON.stringify({
    Version: "2012-10-17",
    Statement: [
      {
        Sid: "ReadAppSecrets",
        Effect: "Allow",
        Action: ["secretsmanager:GetSecretValue", "secretsmanager:DescribeSecret"],
        Resource: [...new Set(secretArns.map((a) => remoteRef(a).key))].sort(),
      },
    ],
  });
}

/** The ClusterSecretStore: AWS Secrets Manager in the stack's region, usable from the workload namespace only. */
export function secretStoreSpec(region: string, namespace: string = APP_NAMESPACE): Record<string, unknown> {
  return {
    provider: { aws: { service: "SecretsManager", region } },
    conditions: [{ namespaces: [namespace] }],
  };
}

/** An ExternalSecret writing `target` from the given mappings; the Secret is owned (deleted with it). */
export function externalSecretSpec(target: string, data: readonly SecretMapping[]): Record<string, unknown> {
  return {
    refreshInterval: REFRESH_INTERVAL,
    secretStoreRef: { kind: "ClusterSecretStore", name: SECRET_STORE },
    target: { name: target, creationPolicy: "Owner", deletionPolicy: "Retain" },
    data: data.map((d) => ({ secretKey: d.secretKey, remoteRef: { ...d.remoteRef } })),
  };
}

export interface SecretsSyncArgs {
  readonly clusterName: pulumi.Output<string>;
  readonly region: string;
  readonly namespace: k8s.core.v1.Namespace;
  /** The namespace's name, the only one the ClusterSecretStore serves (default: ActivePieces' APP_NAMESPACE). */
  readonly namespaceName?: string;
  /** What the operator's role reads, for its IAM description (default: "the ActivePieces secrets"). */
  readonly purpose?: string;
  /** Kubernetes Secret name -> the secrets it holds (key = env var name, valueFrom = ARN reference). */
  readonly secrets: Readonly<Record<string, readonly SecretRef[]>>;
}

export interface SecretsSyncResult {
  readonly release: k8s.helm.v3.Release;
  readonly store: k8s.apiextensions.CustomResource;
  /** One ExternalSecret per Kubernetes Secret name. */
  readonly externalSecrets: Record<string, k8s.apiextensions.CustomResource>;
}

/**
 * External Secrets Operator copies the app secrets from AWS Secrets Manager into Kubernetes
 * Secrets, so pods read them with `secretKeyRef` and the values never pass through Pulumi: the
 * program and its state hold ARNs only. The operator reads Secrets Manager with its own Pod
 * Identity role, limited to these secrets. Kubernetes Secrets are envelope-encrypted with the
 * cluster's KMS key. https://external-secrets.io/latest/provider/aws-secrets-manager/
 */
export function createSecretsSync(
  name: string,
  args: SecretsSyncArgs,
  opts: { provider: k8s.Provider; parent: pulumi.Resource; dependsOn: pulumi.Resource[] },
): SecretsSyncResult {
  const ref = CHARTS.externalSecrets;
  const allArns = Object.values(args.secrets)
    .flat()
    .map((s) => s.valueFrom);
  const identity = createPodRole(
    `${name}-external-secrets`,
    {
      clusterName: args.clusterName,
      namespace: ref.namespace,
      serviceAccount: EXTERNAL_SECRETS_SA,
      policy: pulumi.all(allArns).apply(secretsReaderPolicy),
      description: `External Secrets Operator of ${name}: reads ${args.purpose ?? "the ActivePieces secrets"}`,
    },
    opts.parent,
  );

  const release = helmRelease(
    `${name}-external-secrets`,
    ref,
    {
      installCRDs: true,
      serviceAccount: { create: true, name: EXTERNAL_SECRETS_SA },
      resources: resources("external-secrets"),
      nodeSelector: SYSTEM_NODE_SELECTOR,
      webhook: { resources: resources("external-secrets-webhook"), nodeSelector: SYSTEM_NODE_SELECTOR },
      certController: { resources: resources("external-secrets-cert-controller"), nodeSelector: SYSTEM_NODE_SELECTOR },
    },
    { ...opts, dependsOn: [...opts.dependsOn, ...identity.resources] },
  );

  const k8sOpts = { provider: opts.provider, parent: opts.parent };
  const store = new k8s.apiextensions.CustomResource(
    `${name}-secret-store`,
    {
      apiVersion: "external-secrets.io/v1",
      kind: "ClusterSecretStore",
      metadata: { name: SECRET_STORE },
      spec: secretStoreSpec(args.region, args.namespaceName),
    },
    { ...k8sOpts, dependsOn: [release] },
  );

  const externalSecrets: Record<string, k8s.apiextensions.CustomResource> = {};
  for (const [target, refs] of Object.entries(args.secrets)) {
    const data = pulumi
      .all(refs.map((r) => pulumi.output(r.valueFrom)))
      .apply((froms) => froms.map((from, i) => ({ secretKey: refs[i]!.name, remoteRef: remoteRef(from) })));
    externalSecrets[target] = new k8s.apiextensions.CustomResource(
      `${name}-${target}`,
      {
        apiVersion: "external-secrets.io/v1",
        kind: "ExternalSecret",
        metadata: { name: target, namespace: args.namespace.metadata.name, annotations: { ...WAIT_FOR_READY } },
        spec: data.apply((d) => externalSecretSpec(target, d)),
      },
      { ...k8sOpts, dependsOn: [store] },
    );
  }
  return { release, store, externalSecrets };
}
