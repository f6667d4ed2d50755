/**
 * How the ActivePieces app is reached, the same on every platform.
 * https://www.activepieces.com/docs/install/configuration/environment-variables
 */

/** Port the app container listens on. */
export const APP_PORT = 80;
/** Health endpoint: 200 once Postgres and Redis answer, 503 while Postgres is unreachable. */
export const APP_HEALTH_PATH = "/api/v1/health";
/** Load balancer TLS policy: TLS 1.2 and 1.3 only. https://docs.aws.amazon.com/elasticloadbalancing/latest/application/describe-ssl-policies.html */
export const ALB_TLS_POLICY = "ELBSecurityPolicy-TLS13-1-2-2021-06";
