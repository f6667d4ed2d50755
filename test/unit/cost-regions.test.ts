import { describe, expect, it } from "vitest";
import { parseStackConfig, rawFromStackFile } from "../../config";
import { StackConfigSchema } from "../../config/schema";
import { estimateEks } from "../../cost/eks";
import { estimate } from "../../cost/estimate";
import { PRICED_REGIONS, pricesFor, US_EAST_1 } from "../../cost/regions";
import { pricesLabel } from "../../cost/report";
import { RDS_CLASSES } from "../../policies/facts/rds";
import { INSTANCE_TYPE_NAMES } from "../../catalog/ec2-instances";
import { plan } from "../../sizing/plan";
import { renderCost } from "../../cli/render";

const STATED = ["us-east-1", "us-east-2", "us-west-2", "eu-west-1", "eu-central-1", "eu-west-2", "ap-southeast-1", "ap-southeast-2", "ap-northeast-1"];
const REDIS_NODE_TYPES = StackConfigSchema.shape.redis.unwrap().shape.nodeType.unwrap().options;

/** The shipped prod stack moved to another region (the certificate must be in the stack's region). */
function prodIn(region: string, extra: Record<string, unknown> = {}) {
  const raw = rawFromStackFile("Pulumi.prod.yaml");
  const lb = raw.loadBalancer as { certificateArn: string };
  const loadBalancer = { ...lb, certificateArn: lb.certificateArn.replace(":us-east-1:", `:${region}:`) };
  return plan(parseStackConfig({ ...raw, region, loadBalancer, ...extra }, `prod in ${region}`));
}

describe("price tables by region", () => {
  it("has a table for each stated region, dated and sourced", () => {
    expect([...PRICED_REGIONS].sort()).toEqual([...STATED].sort());
    for (const region of STATED) {
      const p = pricesFor(region);
      expect(p.warning).toBeUndefined();
      expect(p.prices.region).toBe(region);
      expect(p.prices.verified).toMatch(/^\d{4}-\d{2}-\d{2}$/);
      expect(p.prices.sources.length).toBeGreaterThan(0);
      for (const s of p.prices.sources) expect(s.url).toMatch(/^https:\/\//);
    }
  });

  it("prices everything the config and the sizing can choose, in every table", () => {
    for (const region of STATED) {
      const p = pricesFor(region).prices;
      for (const c of RDS_CLASSES) expect(p.rdsHourly[c.instanceClass], `${region} ${c.instanceClass}`).toBeGreaterThan(0);
      for (const t of REDIS_NODE_TYPES) expect(p.elasticacheHourly[t], `${region} ${t}`).toBeGreaterThan(0);
      for (const t of INSTANCE_TYPE_NAMES) expect(p.ec2Hourly[t], `${region} ${t}`).toBeGreaterThan(0);
      for (const v of [
        p.rdsGp3GbMonth,
        p.albHour,
        p.albLcuHour,
        p.natHour,
        p.natGb,
        p.publicIpv4Hour,
        p.ebsGp3GbMonth,
        p.eksHour,
        p.eksExtendedHour,
        p.secretMonth,
        p.cwAlarmMonth,
        p.cwCustomMetricMonth,
        p.cwDashboardMonth,
        p.cwLogsIngestGb,
        p.kmsKeyMonth,
      ]) {
        expect(v).toBeGreaterThan(0);
      }
      expect(p.eksExtendedHour).toBe(0.6);
    }
  });

  it("reads Fargate and ElastiCache per region from the verified data", () => {
    expect(pricesFor("eu-central-1").prices.fargate).toEqual({ x86_64: { vcpuHour: 0.04656, gbHour: 0.00511 }, arm64: { vcpuHour: 0.03725, gbHour: 0.00409 } });
    // The published Sydney Graviton rate: the 20% ARM discount rounded to 5 decimals reproduces it.
    expect(pricesFor("ap-southeast-2").prices.fargate.arm64).toEqual({ vcpuHour: 0.03885, gbHour: 0.00426 });
    expect(pricesFor("eu-west-1").prices.fargate).toEqual(US_EAST_1.fargate);
    expect(pricesFor("ap-northeast-1").prices.elasticacheHourly["cache.t4g.small"]).toBe(0.049);
    for (const region of STATED) {
      expect(pricesFor(region).prices.status).toMatchObject({ fargate: "verified", elasticache: "verified" });
    }
  });

  it("derives what it could not verify as us-east-1 x the stated multiplier, and says so", () => {
    const eu = pricesFor("eu-west-1").prices;
    expect(eu.ec2Hourly["m7g.large"]).toBe(Math.round(0.0816 * 1.114 * 1e5) / 1e5);
    expect(eu.natHour).toBe(Math.round(0.045 * 1.114 * 1e5) / 1e5);
    // RDS classes follow the matching ElastiCache class: cache.t4g.small is 0.034 in eu-west-1.
    expect(eu.rdsHourly["db.t4g.small"]).toBe(0.034);
    expect(eu.status).toMatchObject({ ec2: "derived", rds: "derived", nat: "derived", eks: "uniform" });
    expect(eu.notes.join("\n")).toMatch(/us-east-1 x 1\.114, the median ratio of ElastiCache Redis node prices/);
  });

  it("keeps the prices it verified for a region over derived ones", () => {
    const tokyo = pricesFor("ap-northeast-1").prices;
    expect(tokyo).toMatchObject({ albHour: 0.0243, albLcuHour: 0.008, cwLogsIngestGb: 0.76 });
    expect(tokyo.status).toMatchObject({ alb: "verified", cloudwatchLogs: "verified", nat: "derived" });
    expect(pricesFor("ap-southeast-1").prices).toMatchObject({ natHour: 0.059, natGb: 0.059 });
  });

  it("prices a stack in its own region and says which prices were used", () => {
    const eu = estimate(prodIn("eu-central-1"));
    const us = estimate(prodIn("us-east-1"));
    expect(pricesLabel(eu)).toBe(`eu-central-1 prices, verified ${eu.pricing.verified}`);
    expect(eu.monthlyTotal).toBeGreaterThan(us.monthlyTotal);
    expect(eu.lines.find((l) => l.item.startsWith("Fargate on-demand"))!.unitPrice).toBeCloseTo((0.03725 + 2 * 0.00409) * 730, 6);
    expect(renderCost(eu)).toContain(`eu-central-1 prices, verified ${eu.pricing.verified}`);
    // The report itself (printed whole by --json) carries the label and the table's provenance.
    expect(JSON.parse(JSON.stringify(eu))).toMatchObject({
      prices: `eu-central-1 prices, verified ${eu.pricing.verified}`,
      pricing: {
        region: "eu-central-1",
        pricesRegion: "eu-central-1",
        sources: expect.arrayContaining([expect.objectContaining({ url: expect.stringMatching(/^https:/) })]),
      },
    });
    expect(estimateEks(prodIn("eu-central-1")).pricing.pricesRegion).toBe("eu-central-1");
  });

  it("prices a region without a table with us-east-1 and a warning that names both", () => {
    const r = estimate(prodIn("sa-east-1"));
    expect(r.pricing).toMatchObject({ region: "sa-east-1", pricesRegion: "us-east-1" });
    expect(r.warnings).toEqual([expect.stringContaining("no price table for sa-east-1: priced with us-east-1 list prices")]);
    expect(pricesLabel(r)).toContain("us-east-1 prices, verified");
    expect(pricesLabel(r)).toContain("(no table for sa-east-1)");
    expect(renderCost(r)).toMatch(/warning: no price table for sa-east-1/);
  });
});
