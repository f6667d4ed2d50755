import { spawnSync } from "node:child_process";
import * as path from "node:path";
import { describe, expect, it } from "vitest";
import { ConfigError, parseStackConfig } from "../../config";
import { cidrProblem, maxVpcPrefix, parseCidr, vpcCidrProblem } from "../../config/fields";

const base = {
  environment: "prod",
  region: "us-east-1",
  image: "ghcr.io/activepieces/activepieces:0.83.0",
  frontendUrl: "http://flows.example.com",
  peakConcurrentFlows: 20,
};

function problems(raw: Record<string, unknown>): { key: string; value: unknown; message: string }[] {
  try {
    parseStackConfig(raw, "test.yaml");
  } catch (e) {
    expect(e).toBeInstanceOf(ConfigError);
    return [...(e as ConfigError).problems];
  }
  return [];
}

/** Every place the config takes a CIDR, as [key of the problem, raw config with the CIDR there]. */
const places: [string, (c: string) => Record<string, unknown>][] = [
  ["network.cidr", (c) => ({ network: { mode: "new", cidr: c } })],
  ["loadBalancer.allowedCidrs.1", (c) => ({ loadBalancer: { allowedCidrs: ["192.168.0.0/24", c] } })],
  ["eks.publicAccessCidrs.0", (c) => ({ platform: "eks", eks: { publicAccessCidrs: [c] } })],
];

describe("CIDRs in the config are real CIDR blocks", () => {
  describe.each(places)("%s", (key, at) => {
    it.each([
      ["10.0.0.300/8", /10\.0\.0\.300 is not an IPv4 address \(four numbers 0\.\.255/],
      ["256.0.0.0/8", /is not an IPv4 address/],
      ["010.0.0.0/8", /no leading zeros/],
      ["10.0.0.0/33", /an IPv4 prefix is \/0\.\.\/32/],
      ["10.0.0.0/", /an address, a slash and a prefix length/],
      ["10.0.0.0", /an address, a slash and a prefix length/],
      ["10.0.0.0/8/8", /an address, a slash and a prefix length/],
      ["10.0.0/8", /is not an IPv4 address/],
      ["2001:db8::/129", /an IPv6 prefix is \/0\.\.\/128/],
      ["2001:db8:::1/64", /is not an IP address/],
      ["fe80::1%eth0/64", /is not an IP address/],
      ["10.0.0.1/16", /expected a network address such as 10\.0\.0\.0\/16: bits after the \/16 prefix are set/],
      ["2001:db8::1/32", /expected a network address such as 2001:db8::\/32/],
    ])("refuses %s, naming the key and the value", (value, message) => {
      const found = problems({ ...base, ...at(value) }).filter((p) => p.key === key);
      expect(found).toEqual([{ key, value, message: expect.stringMatching(message) }]);
      expect(found[0]!.message).toMatch(/^expected /);
    });
  });

  it.each(["0.0.0.0/0", "10.0.0.0/8", "203.0.113.7/32", "::/0", "2001:db8::/32", "2001:db8::1/128"])(
    "accepts %s for the load balancer and the EKS endpoint",
    (value) => {
      expect(problems({ ...base, loadBalancer: { allowedCidrs: [value] } })).toEqual([]);
      expect(problems({ ...base, platform: "eks", eks: { publicAccessCidrs: [value] } })).toEqual([]);
    },
  );

  it("parses IPv4 and IPv6 blocks to their network", () => {
    expect(parseCidr("10.1.2.3/8")).toEqual({ family: 4, prefix: 8, network: "10.0.0.0/8", hostBitsSet: true });
    expect(parseCidr("2001:db8:0:0:1::/48")).toEqual({ family: 6, prefix: 48, network: "2001:db8::/48", hostBitsSet: true });
    expect(parseCidr("::ffff:192.0.2.0/120")).toEqual({ family: 6, prefix: 120, network: "::ffff:c000:200/120", hostBitsSet: false });
    expect(cidrProblem("0.0.0.0/0")).toBeUndefined();
  });
});

describe("a new VPC must hold its subnets", () => {
  // awsx "Auto" (components/network.ts): per AZ a /(prefix + ceil(log2 azCount)) block holding a private
  // subnet one bit smaller and a public subnet two bits smaller; the AZ block must be /26 or larger.
  it.each([
    [2, 25],
    [3, 24],
    [4, 24],
    [5, 23],
    [6, 23],
  ])("with %i AZs the longest prefix is /%i", (azCount, max) => {
    expect(maxVpcPrefix(azCount)).toBe(max);
    const ok = problems({ ...base, network: { mode: "new", cidr: `10.0.0.0/${max}`, azCount } });
    expect(ok).toEqual([]);
    const tooSmall = problems({ ...base, network: { mode: "new", cidr: `10.0.0.0/${max + 1}`, azCount } });
    expect(tooSmall).toEqual([
      {
        key: "network.cidr",
        value: `10.0.0.0/${max + 1}`,
        message: expect.stringMatching(new RegExp(`the largest prefix allowed for network\\.azCount ${azCount} is /${max}$`)),
      },
    ]);
  });

  it("uses the default of 2 AZs when azCount is not set", () => {
    expect(problems({ ...base, network: { mode: "new", cidr: "10.0.0.0/26" } })).toEqual([
      {
        key: "network.cidr",
        value: "10.0.0.0/26",
        message:
          "is too small for a private and a public subnet in each of 2 AZs (each AZ would get a /27; awsx needs a /26 per AZ); the largest prefix allowed for network.azCount 2 is /25",
      },
    ]);
  });

  it("refuses a block larger than an AWS VPC (/16) and an IPv6 block", () => {
    expect(problems({ ...base, network: { mode: "new", cidr: "10.0.0.0/8", azCount: 3 } })).toEqual([
      {
        key: "network.cidr",
        value: "10.0.0.0/8",
        message: "is larger than an AWS VPC can be (/16 to /28); allowed /16../24 for network.azCount 3",
      },
    ]);
    expect(problems({ ...base, network: { mode: "new", cidr: "2001:db8::/56" } })[0]).toMatchObject({
      key: "network.cidr",
      message: expect.stringMatching(/^expected an IPv4 CIDR/),
    });
  });

  it("reports a malformed block once, and judges the size only of a valid azCount", () => {
    expect(problems({ ...base, network: { mode: "new", cidr: "10.0.0.1/26" } }).map((p) => p.key)).toEqual(["network.cidr"]);
    expect(problems({ ...base, network: { mode: "new", cidr: "10.0.0.0/26", azCount: 9 } }).map((p) => p.key)).toEqual(["network.azCount"]);
    expect(vpcCidrProblem("10.0.0.0/16", 6)).toBeUndefined();
  });

  it("keeps the shipped default VPC valid for every AZ count", () => {
    for (const azCount of [2, 3, 4, 5, 6]) expect(problems({ ...base, network: { mode: "new", azCount } })).toEqual([]);
  });
});

describe("npm run plan with bad CIDRs", () => {
  it("exits 2 naming every bad CIDR before registering anything", () => {
    const root = path.join(__dirname, "..", "..");
    const r = spawnSync(path.join(root, "node_modules", ".bin", "tsx"), ["cli/plan.ts", "--config-file", "test/fixtures/config/bad-cidrs.yaml"], {
      cwd: root,
      encoding: "utf8",
    });
    expect(r.status).toBe(2);
    expect(r.stdout).toBe("");
    for (const line of [
      '  - network.cidr: is too small for a private and a public subnet in each of 3 AZs (each AZ would get a /27; awsx needs a /26 per AZ); the largest prefix allowed for network.azCount 3 is /24 (got "10.0.0.0/25")',
      '  - loadBalancer.allowedCidrs.0: expected an IPv4 or IPv6 CIDR such as 10.0.0.0/8: 10.0.0.300 is not an IPv4 address (four numbers 0..255, no leading zeros) (got "10.0.0.300/8")',
      '  - eks.publicAccessCidrs.0: expected an IPv4 or IPv6 CIDR such as 10.0.0.0/8: an IPv4 prefix is /0../32 (got "10.0.0.0/33")',
      '  - eks.publicAccessCidrs.1: expected a network address such as 198.51.100.0/24: bits after the /24 prefix are set (got "198.51.100.7/24")',
    ])
      expect(r.stderr).toContain(line);
  });
});
