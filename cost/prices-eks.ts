import { priceOf } from "./prices";

/**
 * EKS and EC2 prices, us-east-1 on-demand list prices, USD per hour unless stated. Same date and
 * month convention (730 hours) as cost/prices.ts; update the date and the numbers together.
 */
export const EKS_PRICES_AS_OF = "2026-11-01";

export const EKS_PRICE_SOURCES = {
  eks: "https://aws.amazon.com/eks/pricing/",
  ec2: "https://aws.amazon.com/ec2/pricing/on-demand/",
  spot: "https://aws.amazon.com/ec2/spot/pricing/",
  ebs: "https://aws.amazon.com/ebs/pricing/",
} as const;

/** EKS cluster in standard Kubernetes version support, per cluster-hour. */
export const EKS_CONTROL_PLANE_HOUR = 0.1;

/** gp3 volume storage per GB-month (baseline 3,000 IOPS and 125 MB/s are included). */
export const EBS_GP3_GB_MONTH = 0.08;

/** Linux on-demand per instance-hour. */
export const EC2_HOURLY: Readonly<Record<string, number>> = {
  // Graviton (arm64)
  "t4g.medium": 0.0336, "t4g.large": 0.0672, "t4g.xlarge": 0.1344,
  "c6g.large": 0.068, "c6g.xlarge": 0.136, "c6g.2xlarge": 0.272, "c6g.4xlarge": 0.544,
  "c7g.large": 0.0725, "c7g.xlarge": 0.145, "c7g.2xlarge": 0.29, "c7g.4xlarge": 0.58,
  "m6g.large": 0.077, "m6g.xlarge": 0.154, "m6g.2xlarge": 0.308, "m6g.4xlarge": 0.616,
  "m7g.large": 0.0816, "m7g.xlarge": 0.1632, "m7g.2xlarge": 0.3264, "m7g.4xlarge": 0.6528,
  "r7g.large": 0.1071, "r7g.xlarge": 0.2142, "r7g.2xlarge": 0.4284, "r7g.4xlarge": 0.8568,
  // Intel (x86_64)
  "t3.medium": 0.0416, "t3.large": 0.0832, "t3.xlarge": 0.1664,
  "c6i.large": 0.085, "c6i.xlarge": 0.17, "c6i.2xlarge": 0.34, "c6i.4xlarge": 0.68,
  "c7i.large": 0.08925, "c7i.xlarge": 0.1785, "c7i.2xlarge": 0.357, "c7i.4xlarge": 0.714,
  "m6i.large": 0.096, "m6i.xlarge": 0.192, "m6i.2xlarge": 0.384, "m6i.4xlarge": 0.768,
  "m7i.large": 0.1008, "m7i.xlarge": 0.2016, "m7i.2xlarge": 0.4032, "m7i.4xlarge": 0.8064,
  "r7i.large": 0.1323, "r7i.xlarge": 0.2646, "r7i.2xlarge": 0.5292, "r7i.4xlarge": 1.0584,
};

/** The x86 type of the same shape, for the all-on-demand x86 reference. */
export const X86_COUNTERPART: Readonly<Record<string, string>> = {
  t4g: "t3", c6g: "c6i", c7g: "c7i", m6g: "m6i", m7g: "m7i", r7g: "r7i",
};

export function ec2Hourly(type: string): number {
  return priceOf(EC2_HOURLY, type, "instance type");
}

/** `m7g.large` -> `m7i.large`; x86 types map to themselves. */
export function x86Counterpart(type: string): string {
  const [family, size] = type.split(".");
  const x86 = family ? X86_COUNTERPART[family] : undefined;
  return x86 && size ? `${x86}.${size}` : type;
}
