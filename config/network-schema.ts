import { z } from "zod";
import { cidr, int, vpcCidrProblem } from "./fields";

/** The `network` (new or existing VPC) and `loadBalancer` keys (config/schema.ts). */

export const NetworkSchema = z
  .discriminatedUnion(
    "mode",
    [
      z
        .strictObject({
          mode: z.literal("new").describe("Create a VPC."),
          cidr: cidr.default("10.0.0.0/16").describe("VPC CIDR."),
          azCount: int(2, 6, "a number of AZs").optional().describe("Availability zones. Default: 2."),
          natGateways: z.enum(["single", "perAz"]).optional().describe("NAT gateways: `single` (staging default) or `perAz` (prod default)."),
        })
        .superRefine(
          (n, ctx) => {
            // The VPC must hold a private and a public subnet per AZ (awsx "Auto" layout); azCount defaults to 2.
            if (n === null || typeof n !== "object" || typeof n.cidr !== "string") return;
            const azCount = n.azCount ?? 2;
            const problem = Number.isInteger(azCount) && azCount >= 2 && azCount <= 6 ? vpcCidrProblem(n.cidr, azCount) : undefined;
            if (problem) ctx.addIssue({ code: "custom", path: ["cidr"], message: problem });
          },
          { when: () => true },
        ),
      z.strictObject({
        mode: z.literal("existing").describe("Use an existing VPC."),
        vpcId: z
          .string()
          .regex(/^vpc-[0-9a-f]{8,17}$/, { error: "expected a VPC id such as vpc-0abc12345" })
          .describe("Existing VPC id."),
        privateSubnetIds: z
          .array(z.string().regex(/^subnet-[0-9a-f]{8,17}$/, { error: "expected subnet ids" }))
          .min(2, { error: "expected at least 2 private subnets in different AZs" })
          .describe("Private subnets (with a route to a NAT) for tasks and data, in at least 2 AZs."),
        publicSubnetIds: z
          .array(z.string().regex(/^subnet-[0-9a-f]{8,17}$/, { error: "expected subnet ids" }))
          .min(2, { error: "expected at least 2 public subnets in different AZs" })
          .describe("Public subnets for an internet-facing load balancer, in at least 2 AZs."),
      }),
    ],
    { error: "expected mode to be new or existing" },
  )
  .default({ mode: "new", cidr: "10.0.0.0/16" })
  .describe("Network: a new VPC (`mode: new`) or an existing VPC and subnet ids (`mode: existing`).");

export const LoadBalancerSchema = z
  .strictObject({
    certificateArn: z
      .string()
      .regex(/^arn:aws:acm:[a-z0-9-]+:\d{12}:certificate\/[0-9a-f-]{36}$/, {
        error: "expected an ACM certificate ARN such as arn:aws:acm:us-east-1:123456789012:certificate/<uuid>",
      })
      .optional()
      .describe("ACM certificate for the HTTPS listener; without it the ALB serves HTTP only (a warning)."),
    scheme: z.enum(["internet-facing", "internal"]).default("internet-facing").describe("ALB scheme."),
    allowedCidrs: z.array(cidr).default(["0.0.0.0/0"]).describe("CIDRs allowed to reach the ALB."),
    allowedPrefixListIds: z
      .array(z.string().regex(/^pl-[0-9a-f]+$/, { error: "expected prefix list ids such as pl-0abc" }))
      .default([])
      .describe("Managed prefix lists allowed to reach the ALB."),
  })
  .describe("Application Load Balancer exposure.");
