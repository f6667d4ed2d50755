import type { StackConfig } from "../config/defaults";
import type { ConfigProblem } from "../config/errors";

/**
 * Values the shipped stacks and examples carry as stand-ins: they pass validation (they are well
 * formed) but a real deployment would fail part-way on them (an ACM certificate in someone else's
 * account, a URL nobody's DNS points at). The offline plan flags them; `pulumi up` refuses them
 * before any resource is created (index.ts).
 */

/** AWS documentation's example account id. https://docs.aws.amazon.com/IAM/latest/UserGuide/reference_identifiers.html */
const EXAMPLE_ACCOUNT = "123456789012";
/** Reserved example domains (RFC 2606). */
const EXAMPLE_HOST = /(^|\.)example\.(com|org|net)$|\.example$/;

export function findPlaceholders(c: StackConfig): ConfigProblem[] {
  return placeholdersIn(c.frontendUrl, [
    ["loadBalancer.certificateArn", c.loadBalancer.certificateArn],
    ...Object.entries(c.existingSecrets).map(([k, v]): [string, string | undefined] => [`existingSecrets.${k}`, v]),
    ...Object.entries(c.extraSecrets).map(([k, v]): [string, string] => [`extraSecrets.${k}`, typeof v === "string" ? v : v.arn]),
    ...c.eks.adminRoleArns.map((v, i): [string, string] => [`eks.adminRoleArns[${i}]`, v]),
  ]);
}

/** Placeholders among a stack's public URL and the ARNs it gives, by config key (ActivePieces and profile stacks). */
export function placeholdersIn(frontendUrl: string, arns: readonly (readonly [string, string | undefined])[]): ConfigProblem[] {
  const found: ConfigProblem[] = [];
  const host = new URL(frontendUrl).hostname;
  if (EXAMPLE_HOST.test(host)) {
    found.push({ key: "frontendUrl", value: frontendUrl, message: "is an example domain (RFC 2606): set the URL your DNS will point at the load balancer" });
  }
  for (const [key, arn] of arns) {
    if (arn?.split(":")[4] === EXAMPLE_ACCOUNT) {
      found.push({ key, value: arn, message: `is in AWS's example account ${EXAMPLE_ACCOUNT}: set an ARN from your own account` });
    }
  }
  return found;
}
