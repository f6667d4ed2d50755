/**
 * How the ActivePieces app is reached, the same on every platform.
 * https://www.activepieces.com/docs/install/configuration/environment-variables
 */

/** Port and health path of the app, from the runtime contract (contract/lines.ts). */
export { AP_PORT as APP_PORT, APP_HEALTH_PATH } from "../contract/lines";
/** Load balancer TLS policy: TLS 1.2 and 1.3 only. https://docs.aws.amazon.com/elasticloadbalancing/latest/application/describe-ssl-policies.html */
export const ALB_TLS_POLICY = "ELBSecurityPolicy-TLS13-1-2-2021-06";
