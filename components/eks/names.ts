/** Kubernetes names the EKS split uses; fixed so manifests can refer to each other before they exist. */
import { APP_INTERNAL_NAME, EKS_NAMESPACE } from "../../sizing/internal-url";

export const APP_NAMESPACE = EKS_NAMESPACE;
/** Also the app's Service, which workers reach in-cluster (sizing/internal-url.ts). */
export const APP_DEPLOYMENT = APP_INTERNAL_NAME;
export const WORKER_DEPLOYMENT = "activepieces-worker";
export const APP_SERVICE_ACCOUNT = "activepieces-app";
export const WORKER_SERVICE_ACCOUNT = "activepieces-worker";
/** Kubernetes Secrets written by External Secrets from AWS Secrets Manager. */
export const APP_SECRET = "activepieces-app";
export const WORKER_SECRET = "activepieces-worker";
export const REDIS_AUTH_SECRET = "activepieces-redis-auth";
export const SECRET_STORE = "aws-secrets-manager";
export const REDIS_TRIGGER_AUTH = "activepieces-redis";
/** Label selecting each role's pods. */
export const ROLE_LABEL = "app.kubernetes.io/component";
