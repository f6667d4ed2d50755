/**
 * Catalogue of the EC2 instance types the EKS node groups may use, as the scheduler sees them.
 * Pure data, imported by the config schema (allowed types, defaults) and by sizing (node groups).
 */

/** CPU architecture of tasks and nodes; the plan's `architecture` (sizing/types.ts) is this type. */
export type Architecture = "arm64" | "x86_64";

/** An EC2 instance type as the EKS scheduler sees it. */
export interface InstanceSpec {
  readonly type: string;
  readonly architecture: Architecture;
  readonly vcpu: number;
  readonly memoryGiB: number;
  /** Elastic network interfaces and IPv4 addresses per interface (limits the VPC CNI's pod IPs). */
  readonly enis: number;
  readonly ipv4PerEni: number;
}

/**
 * Instance types offered for node groups: current Graviton (arm64) and Intel (x86_64) general
 * purpose, compute optimized and burstable sizes. vCPU and memory from
 * https://aws.amazon.com/ec2/instance-types/ ; ENIs and IPv4 per ENI from
 * https://docs.aws.amazon.com/AWSEC2/latest/UserGuide/AvailableIpPerENI.html
 */
const SIZES = {
  medium: { vcpu: 1, enis: 2, ipv4PerEni: 4 },
  large: { vcpu: 2, enis: 3, ipv4PerEni: 10 },
  xlarge: { vcpu: 4, enis: 4, ipv4PerEni: 15 },
  "2xlarge": { vcpu: 8, enis: 4, ipv4PerEni: 15 },
  "4xlarge": { vcpu: 16, enis: 8, ipv4PerEni: 30 },
} as const;
export type Size = keyof typeof SIZES;
/** GiB of memory per vCPU by family: c = 2, m = 4, r = 8. */
const FAMILIES: readonly { family: string; architecture: Architecture; gibPerVcpu: number }[] = [
  { family: "c6g", architecture: "arm64", gibPerVcpu: 2 },
  { family: "c7g", architecture: "arm64", gibPerVcpu: 2 },
  { family: "m6g", architecture: "arm64", gibPerVcpu: 4 },
  { family: "m7g", architecture: "arm64", gibPerVcpu: 4 },
  { family: "r7g", architecture: "arm64", gibPerVcpu: 8 },
  { family: "c6i", architecture: "x86_64", gibPerVcpu: 2 },
  { family: "c7i", architecture: "x86_64", gibPerVcpu: 2 },
  { family: "m6i", architecture: "x86_64", gibPerVcpu: 4 },
  { family: "m7i", architecture: "x86_64", gibPerVcpu: 4 },
  { family: "r7i", architecture: "x86_64", gibPerVcpu: 8 },
];
export const STANDARD_SIZES: readonly Size[] = ["large", "xlarge", "2xlarge", "4xlarge"];

function buildInstanceTable(): Record<string, InstanceSpec> {
  const table: Record<string, InstanceSpec> = {};
  for (const f of FAMILIES) {
    for (const size of STANDARD_SIZES) {
      const s = SIZES[size];
      table[`${f.family}.${size}`] = {
        type: `${f.family}.${size}`,
        architecture: f.architecture,
        vcpu: s.vcpu,
        memoryGiB: s.vcpu * f.gibPerVcpu,
        enis: s.enis,
        ipv4PerEni: s.ipv4PerEni,
      };
    }
  }
  // Burstable types: 2 vCPU with 4 or 8 GiB; medium has 3 ENIs x 6 IPs, large 3 x 12, xlarge 4 x 15.
  const burstable: [string, Architecture, number, number, number, number][] = [
    ["t4g.medium", "arm64", 2, 4, 3, 6],
    ["t4g.large", "arm64", 2, 8, 3, 12],
    ["t4g.xlarge", "arm64", 4, 16, 4, 15],
    ["t3.medium", "x86_64", 2, 4, 3, 6],
    ["t3.large", "x86_64", 2, 8, 3, 12],
    ["t3.xlarge", "x86_64", 4, 16, 4, 15],
  ];
  for (const [type, architecture, vcpu, memoryGiB, enis, ipv4PerEni] of burstable) {
    table[type] = { type, architecture, vcpu, memoryGiB, enis, ipv4PerEni };
  }
  return table;
}

export const INSTANCE_TYPES: Readonly<Record<string, InstanceSpec>> = buildInstanceTable();
export const INSTANCE_TYPE_NAMES = Object.keys(INSTANCE_TYPES) as [string, ...string[]];

export function instanceSpec(type: string): InstanceSpec {
  const spec = INSTANCE_TYPES[type];
  if (!spec) throw new Error(`unknown instance type ${type}; allowed: ${INSTANCE_TYPE_NAMES.join(", ")}`);
  return spec;
}
