import { isIPv4, isIPv6 } from "node:net";
import { z } from "zod";

/** Field builders shared by the config schemas, with one wording for every message. */

export const int = (min: number, max: number, what: string) =>
  z
    .number({ error: `expected ${what}` })
    .int({ error: `expected a whole number from ${min} to ${max}` })
    .min(min, { error: `expected a whole number from ${min} to ${max}` })
    .max(max, { error: `expected a whole number from ${min} to ${max}` });

/** Image references must carry an explicit tag or digest that is not `latest` (app and worker run the same one). */
export function imageProblem(image: string): string | undefined {
  const lastSegment = image.slice(image.lastIndexOf("/") + 1);
  if (image.includes("@sha256:")) return undefined;
  const colon = lastSegment.lastIndexOf(":");
  if (colon < 0) return "expected a pinned tag such as activepieces/activepieces:0.79.0; an untagged image means latest";
  const tag = lastSegment.slice(colon + 1);
  if (tag === "" || tag.toLowerCase() === "latest") return "expected a pinned version tag or @sha256 digest, not latest";
  return undefined;
}

export const imageRef = z
  .string()
  .min(1)
  .superRefine((v, ctx) => {
    const problem = imageProblem(v);
    if (problem) ctx.addIssue({ code: "custom", message: problem });
  });

/** A CIDR block, parsed: its family, prefix length and the network it names. */
export interface Cidr {
  readonly family: 4 | 6;
  readonly prefix: number;
  /** The network address with the prefix, host bits cleared, e.g. 10.0.0.0/16. */
  readonly network: string;
  /** Bits after the prefix are set (10.0.0.1/16): the block is not written as its network address. */
  readonly hostBitsSet: boolean;
}

const CIDR_EXAMPLE = "expected an IPv4 or IPv6 CIDR such as 10.0.0.0/8";

function ipv4ToBigInt(address: string): bigint {
  return address.split(".").reduce((acc, octet) => (acc << 8n) | BigInt(Number(octet)), 0n);
}

function bigIntToIpv4(n: bigint): string {
  return [24n, 16n, 8n, 0n].map((shift) => String((n >> shift) & 0xffn)).join(".");
}

/** An address node:net's isIPv6 accepts (no zone id), as a 128-bit number. */
function ipv6ToBigInt(address: string): bigint {
  let text = address;
  const lastColon = text.lastIndexOf(":");
  const tail = text.slice(lastColon + 1);
  if (tail.includes(".")) {
    // IPv4-embedded form (::ffff:192.0.2.1): the dotted quad is the last two groups.
    const v4 = ipv4ToBigInt(tail);
    text = `${text.slice(0, lastColon + 1)}${((v4 >> 16n) & 0xffffn).toString(16)}:${(v4 & 0xffffn).toString(16)}`;
  }
  const [head = "", rest] = text.split("::");
  const groups = (s: string) => (s === "" ? [] : s.split(":"));
  const h = groups(head);
  const t = rest === undefined ? [] : groups(rest);
  const all = rest === undefined ? h : [...h, ...Array<string>(8 - h.length - t.length).fill("0"), ...t];
  return all.reduce((acc, g) => (acc << 16n) | BigInt(parseInt(g, 16)), 0n);
}

/** Shortest text form of an IPv6 address (RFC 5952: lowercase, the longest run of zero groups as ::). */
function bigIntToIpv6(n: bigint): string {
  const groups = Array.from({ length: 8 }, (_, i) => Number((n >> BigInt((7 - i) * 16)) & 0xffffn));
  let best = { start: -1, length: 0 };
  for (let i = 0; i < 8;) {
    if (groups[i] !== 0) {
      i++;
      continue;
    }
    let j = i;
    while (j < 8 && groups[j] === 0) j++;
    if (j - i > best.length && j - i >= 2) best = { start: i, length: j - i };
    i = j;
  }
  const hex = groups.map((g) => g.toString(16));
  if (best.start < 0) return hex.join(":");
  return `${hex.slice(0, best.start).join(":")}::${hex.slice(best.start + best.length).join(":")}`;
}

/**
 * Parses `address/prefix`: an IPv4 address (four numbers 0..255) with a prefix 0..32, or an IPv6
 * address with a prefix 0..128 (node:net isIPv4/isIPv6 judge the address). Returns the parsed
 * block, or the problem in the config's wording.
 */
export function parseCidr(value: string): Cidr | { problem: string } {
  const slash = value.indexOf("/");
  const address = slash < 0 ? value : value.slice(0, slash);
  const prefixText = slash < 0 ? "" : value.slice(slash + 1);
  if (slash < 0 || !/^\d{1,3}$/.test(prefixText)) {
    return { problem: `${CIDR_EXAMPLE}: an address, a slash and a prefix length` };
  }
  const prefix = Number(prefixText);
  let family: 4 | 6;
  if (isIPv4(address)) family = 4;
  else if (isIPv6(address) && !address.includes("%")) family = 6;
  else if (/^[\d.]+$/.test(address)) return { problem: `${CIDR_EXAMPLE}: ${address} is not an IPv4 address (four numbers 0..255, no leading zeros)` };
  else return { problem: `${CIDR_EXAMPLE}: ${address} is not an IP address` };
  const bits = family === 4 ? 32 : 128;
  if (prefix > bits) return { problem: `${CIDR_EXAMPLE}: an IPv${family} prefix is /0../${bits}` };
  const n = family === 4 ? ipv4ToBigInt(address) : ipv6ToBigInt(address);
  const hostMask = (1n << BigInt(bits - prefix)) - 1n;
  const base = n & ~hostMask;
  const network = `${family === 4 ? bigIntToIpv4(base) : bigIntToIpv6(base)}/${prefix}`;
  return { family, prefix, network, hostBitsSet: (n & hostMask) !== 0n };
}

/**
 * The problem with a CIDR, if any. Host bits must be zero: EC2 would store 10.0.0.1/16 as
 * 10.0.0.0/16 (CreateVpc "modifies the specified CIDR block to its canonical form"), so the stack
 * would disagree with AWS on every run, and the AWS provider refuses such blocks for security group
 * rules and EKS public access CIDRs (terraform-provider-aws verify.ValidCIDRNetworkAddress).
 */
export function cidrProblem(value: string): string | undefined {
  const c = parseCidr(value);
  if ("problem" in c) return c.problem;
  if (c.hostBitsSet) return `expected a network address such as ${c.network}: bits after the /${c.prefix} prefix are set`;
  return undefined;
}

export const cidr = z.string({ error: CIDR_EXAMPLE }).superRefine((v, ctx) => {
  const problem = cidrProblem(v);
  if (problem) ctx.addIssue({ code: "custom", message: problem });
});

/** AWS VPC sizes: a VPC's IPv4 block is /16 (65,536 addresses) to /28 (16). */
export const VPC_PREFIX_MIN = 16;

/**
 * The longest VPC prefix that holds the subnets components/network.ts creates: awsx's "Auto"
 * layout (pulumi-awsx awsx/ec2/subnetDistributorNew.ts) gives each AZ an equal block of
 * /(prefix + ceil(log2(azCount))) and in it a private subnet one bit smaller and a public subnet
 * two bits smaller; it refuses an AZ block longer than /26 (so the public subnet is at least /28,
 * the smallest AWS subnet).
 */
export function maxVpcPrefix(azCount: number): number {
  return 26 - Math.ceil(Math.log2(azCount));
}

/** The problem with a new VPC's CIDR for `azCount` AZs, if any (the block itself already valid). */
export function vpcCidrProblem(value: string, azCount: number): string | undefined {
  const c = parseCidr(value);
  if ("problem" in c || c.hostBitsSet) return undefined; // the field's own check reports it
  const max = maxVpcPrefix(azCount);
  if (c.family !== 4) return `expected an IPv4 CIDR: a VPC's primary block is IPv4; allowed /${VPC_PREFIX_MIN}../${max} for network.azCount ${azCount}`;
  if (c.prefix < VPC_PREFIX_MIN) {
    return `is larger than an AWS VPC can be (/${VPC_PREFIX_MIN} to /28); allowed /${VPC_PREFIX_MIN}../${max} for network.azCount ${azCount}`;
  }
  if (c.prefix > max) {
    return (
      `is too small for a private and a public subnet in each of ${azCount} AZs (each AZ would get a /${c.prefix + Math.ceil(Math.log2(azCount))}; ` +
      `awsx needs a /26 per AZ); the largest prefix allowed for network.azCount ${azCount} is /${max}`
    );
  }
  return undefined;
}
