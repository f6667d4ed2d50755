import { AP_PORT } from "../contract/lines";
import type { Platform } from "./types";

/**
 * The app's internal endpoint, which workers use as AP_FRONTEND_URL. The worker uses that URL
 * only to reach the app (`/api/`, the socket at `/api/socket.io`); the public URLs it hands to
 * flows come from the app's settings (W/lib/utils/machine.ts). So workers stay inside the VPC:
 * no NAT data, and no load balancer allowlist or internal scheme can lock them out.
 */

/** ECS Service Connect discovery name and Kubernetes Service name of the app. */
export const APP_INTERNAL_NAME = "activepieces-app";
/** Kubernetes namespace of the EKS split. */
export const EKS_NAMESPACE = "activepieces";

export function workerToAppUrl(platform: Platform): string {
  const host = platform === "eks" ? `${APP_INTERNAL_NAME}.${EKS_NAMESPACE}.svc.cluster.local` : APP_INTERNAL_NAME;
  return `http://${host}:${AP_PORT}`;
}
