/**
 * ELB security policies (`sslPolicy`) for HTTPS and TLS listeners that accept TLS 1.2 or later only.
 * Source: https://docs.aws.amazon.com/elasticloadbalancing/latest/application/describe-ssl-policies.html
 * A listener created through the API, CloudFormation, Terraform or Pulumi without `sslPolicy` gets
 * ELBSecurityPolicy-2016-08 (TLS 1.0 and 1.1 included); the AWS Load Balancer Controller uses the
 * same default when an Ingress has no `alb.ingress.kubernetes.io/ssl-policy` annotation.
 */

/** The policy an HTTPS/TLS listener gets when it names none. */
export const DEFAULT_ELB_SSL_POLICY = "ELBSecurityPolicy-2016-08";

/** Policies whose lowest protocol is TLS 1.2 or TLS 1.3. */
export const TLS12_ELB_SSL_POLICIES: readonly string[] = [
  // TLS 1.3 with TLS 1.2 fallback, and TLS 1.3 only (the console default and AWS recommendation first).
  "ELBSecurityPolicy-TLS13-1-2-2021-06",
  "ELBSecurityPolicy-TLS13-1-2-Res-2021-06",
  "ELBSecurityPolicy-TLS13-1-2-Ext1-2021-06",
  "ELBSecurityPolicy-TLS13-1-2-Ext2-2021-06",
  "ELBSecurityPolicy-TLS13-1-3-2021-06",
  // FIPS.
  "ELBSecurityPolicy-TLS13-1-2-FIPS-2023-04",
  "ELBSecurityPolicy-TLS13-1-2-Res-FIPS-2023-04",
  "ELBSecurityPolicy-TLS13-1-2-Ext0-FIPS-2023-04",
  "ELBSecurityPolicy-TLS13-1-2-Ext1-FIPS-2023-04",
  "ELBSecurityPolicy-TLS13-1-2-Ext2-FIPS-2023-04",
  "ELBSecurityPolicy-TLS13-1-3-FIPS-2023-04",
  // Hybrid post-quantum key exchange.
  "ELBSecurityPolicy-TLS13-1-2-PQ-2025-09",
  "ELBSecurityPolicy-TLS13-1-2-Res-PQ-2025-09",
  "ELBSecurityPolicy-TLS13-1-2-Ext1-PQ-2025-09",
  "ELBSecurityPolicy-TLS13-1-2-Ext2-PQ-2025-09",
  "ELBSecurityPolicy-TLS13-1-3-PQ-2025-09",
  "ELBSecurityPolicy-TLS13-1-2-FIPS-PQ-2025-09",
  "ELBSecurityPolicy-TLS13-1-2-Res-FIPS-PQ-2025-09",
  "ELBSecurityPolicy-TLS13-1-2-Ext0-FIPS-PQ-2025-09",
  "ELBSecurityPolicy-TLS13-1-2-Ext1-FIPS-PQ-2025-09",
  "ELBSecurityPolicy-TLS13-1-2-Ext2-FIPS-PQ-2025-09",
  "ELBSecurityPolicy-TLS13-1-3-FIPS-PQ-2025-09",
  // TLS 1.2 only.
  "ELBSecurityPolicy-TLS-1-2-2017-01",
  "ELBSecurityPolicy-TLS-1-2-Ext-2018-06",
  "ELBSecurityPolicy-FS-1-2-2019-08",
  "ELBSecurityPolicy-FS-1-2-Res-2019-08",
  "ELBSecurityPolicy-FS-1-2-Res-2020-10",
];

/**
 * Policies that still accept TLS 1.0 or 1.1 (ELBSecurityPolicy-2016-08 and older, the FS/TLS13
 * variants with a 1-0 or 1-1 floor). A name that is in neither list is one the pack does not know yet.
 */
export const LEGACY_ELB_SSL_POLICY = /^ELBSecurityPolicy-(20\d\d-\d\d|TLS-1-[01]-|FS-20\d\d|FS-1-1-|TLS13-1-[01]-)/;

/** Naming pattern of TLS 1.2+ policies, to tell a newer AWS policy from a weak one. */
export const TLS12_ELB_SSL_POLICY_NAME = /^ELBSecurityPolicy-(TLS13-1-[23]|TLS-1-2|FS-1-2)-/;
