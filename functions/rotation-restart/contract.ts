/**
 * The interface between the rotation-restart function and the infrastructure that deploys it:
 * the environment it reads, the event it reacts to, and the Kubernetes names it writes. The
 * component (components/rotation-restart.ts) imports these, so the two sides cannot drift.
 */

export const ROTATION_RESTART_ENV = {
  /** ARN of the secret whose rotation triggers a restart (the RDS-managed master user secret). */
  secretArn: "WATCHED_SECRET_ARN",
  /** "fargate" or "eks". */
  platform: "RESTART_PLATFORM",
  /** Fargate: the ECS cluster (name or ARN) and the services to redeploy, comma-separated. */
  ecsCluster: "ECS_CLUSTER",
  ecsServices: "ECS_SERVICES",
  /** EKS: the cluster name, the namespace, the ExternalSecrets to refresh and the Deployments to restart. */
  eksCluster: "EKS_CLUSTER",
  namespace: "K8S_NAMESPACE",
  /** Named without "SECRET": policies/facts/secrets.ts treats such names as holding secret values. */
  syncObjects: "K8S_SYNC_OBJECTS",
  deployments: "K8S_DEPLOYMENTS",
  /** Set by Lambda: the function's region and its execution role's credentials. */
  region: "AWS_REGION",
} as const;

export type RestartPlatform = "fargate" | "eks";

/**
 * The event: Secrets Manager's native `Secret Label Updated`, sent straight to EventBridge (no
 * CloudTrail) whenever a staging label other than AWSPENDING/AWSPREVIOUS moves to a new version,
 * for every secret, with the secret's ARN in `resources`. A rotation ends by moving AWSCURRENT to
 * the new version, so `labelUpdated: AWSCURRENT` is "the new password is now the one to use".
 * https://docs.aws.amazon.com/secretsmanager/latest/userguide/event-detail-secret-label-updated-secretsmanager.html
 * https://docs.aws.amazon.com/secretsmanager/latest/userguide/secret-event-notifications.html
 *
 * Not the CloudTrail-derived `RotationSucceeded` ("AWS Service Event via CloudTrail"): CloudTrail
 * lists it (https://docs.aws.amazon.com/secretsmanager/latest/userguide/retrieve-ct-entries.html),
 * but EventBridge gets CloudTrail events on a best-effort basis
 * (https://docs.aws.amazon.com/eventbridge/latest/ref/events-ref-secretsmanager.html), and which
 * field names the secret is shown by public examples, not by the AWS pages we could verify: they
 * read the ARN from `detail.additionalEventData.SecretId`, also for RDS-managed rotation.
 * `readSecretEvent` (restart.ts) accepts that shape too, so a rule on it would also work, but the
 * deployed rule matches the native event only: matching both would restart every role twice.
 */
export const ROTATION_EVENT = {
  source: "aws.secretsmanager",
  detailType: "Secret Label Updated",
  label: "AWSCURRENT",
} as const;

/** The EventBridge pattern: exactly this secret's label moving to AWSCURRENT. */
export function rotationEventPattern(secretArn: string): Record<string, unknown> {
  return {
    source: [ROTATION_EVENT.source],
    "detail-type": [ROTATION_EVENT.detailType],
    resources: [secretArn],
    detail: { labelUpdated: [ROTATION_EVENT.label] },
  };
}

/**
 * Changing any annotation of an ExternalSecret makes External Secrets re-read the provider now
 * ("kubectl annotate es my-es force-sync=$(date +%s) --overwrite",
 * https://external-secrets.io/latest/introduction/faq/).
 */
export const FORCE_SYNC_ANNOTATION = "force-sync";
/** What `kubectl rollout restart` sets on the pod template: a new template means new pods. */
export const RESTARTED_AT_ANNOTATION = "kubectl.kubernetes.io/restartedAt";
/** Field manager of the function's patches, so server-side apply (Pulumi) leaves them alone. */
export const FIELD_MANAGER = "activepieces-rotation-restart";
/** API path of the ExternalSecret kind the program deploys (components/eks/secrets-sync.ts). */
export const EXTERNAL_SECRETS_API = "/apis/external-secrets.io/v1";
/** Kubernetes RBAC group the function's access entry maps to (get/patch on the ExternalSecrets). */
export const KUBERNETES_GROUP = "activepieces-rotation-restart";
