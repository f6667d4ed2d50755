import { priceOf, PRICES_VERIFIED, US_EAST_1, type RegionPrices } from "./regions";

/**
 * EKS and EC2 prices: the us-east-1 values under their former names, and the helpers that read a
 * region's table (cost/regions/).
 */
export const EKS_PRICES_AS_OF = PRICES_VERIFIED;

/** EKS cluster in standard Kubernetes version support, per cluster-hour. */
export const EKS_CONTROL_PLANE_HOUR = US_EAST_1.eksHour;
/**
 * EKS cluster whose Kubernetes version is in extended support, per cluster-hour (0.10 standard +
 * 0.50 extended support). Billed only while the version is actually past standard support.
 * https://aws.amazon.com/eks/pricing/ ; https://docs.aws.amazon.com/eks/latest/userguide/enable-extended-support.html
 */
export const EKS_CONTROL_PLANE_EXTENDED_HOUR = US_EAST_1.eksExtendedHour;

/** gp3 volume storage per GB-month (baseline 3,000 IOPS and 125 MB/s are included). */
export const EBS_GP3_GB_MONTH = US_EAST_1.ebsGp3GbMonth;

/** Linux on-demand per instance-hour, us-east-1. */
export const EC2_HOURLY = US_EAST_1.ec2Hourly;

/** The x86 type of the same shape, for the all-on-demand x86 reference. */
export const X86_COUNTERPART: Readonly<Record<string, string>> = {
  t4g: "t3",
  c6g: "c6i",
  c7g: "c7i",
  m6g: "m6i",
  m7g: "m7i",
  r7g: "r7i",
};

export function ec2Hourly(type: string, prices: RegionPrices = US_EAST_1): number {
  return priceOf(prices.ec2Hourly, type, `instance type (${prices.region})`);
}

/** `m7g.large` -> `m7i.large`; x86 types map to themselves. */
export function x86Counterpart(type: string): string {
  const [family, size] = type.split(".");
  const x86 = family ? X86_COUNTERPART[family] : undefined;
  return x86 && size ? `${x86}.${size}` : type;
}
