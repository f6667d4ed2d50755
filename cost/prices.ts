import { PRICES_VERIFIED, US_EAST_1 } from "./regions";

/**
 * us-east-1 prices under their former names. The price tables live in cost/regions/: one dated
 * table per region, each with its sources and notes. A month is 730 hours (the AWS pricing pages' convention).
 */
export { priceOf } from "./regions";

export const PRICES_AS_OF = PRICES_VERIFIED;

export const FARGATE = US_EAST_1.fargate;
export const RDS_HOURLY = US_EAST_1.rdsHourly;
export const RDS_GP3_GB_MONTH = US_EAST_1.rdsGp3GbMonth;
export const ELASTICACHE_HOURLY = US_EAST_1.elasticacheHourly;
export const ALB_HOUR = US_EAST_1.albHour;
export const ALB_LCU_HOUR = US_EAST_1.albLcuHour;
export const NAT_HOUR = US_EAST_1.natHour;
export const NAT_GB = US_EAST_1.natGb;
export const PUBLIC_IPV4_HOUR = US_EAST_1.publicIpv4Hour;
export const SECRET_MONTH = US_EAST_1.secretMonth;
export const CW_CUSTOM_METRIC_MONTH = US_EAST_1.cwCustomMetricMonth;
export const CW_ALARM_MONTH = US_EAST_1.cwAlarmMonth;
export const CW_DASHBOARD_MONTH = US_EAST_1.cwDashboardMonth;
export const CW_LOGS_INGEST_GB = US_EAST_1.cwLogsIngestGb;
export const KMS_KEY_MONTH = US_EAST_1.kmsKeyMonth;
export const LAMBDA_ARM_GB_SECOND = US_EAST_1.lambdaArmGbSecond;
export const LAMBDA_REQUEST_MILLION = US_EAST_1.lambdaRequestMillion;
