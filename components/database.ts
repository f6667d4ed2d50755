import * as aws from "@pulumi/aws";
import * as pulumi from "@pulumi/pulumi";
import type { DatabasePlan } from "../sizing/types";
import { allowTcpFrom } from "./ingress";

export interface DatabaseArgs {
  readonly plan: DatabasePlan;
  /** Prefix of the final snapshot identifier; letters, digits and single hyphens. */
  readonly namePrefix: string;
  readonly vpcId: pulumi.Input<string>;
  /** Private subnets, at least two AZs (an RDS subnet group requires two). */
  readonly subnetIds: pulumi.Input<string[]>;
  /** Prod: deletion protection, a final snapshot and Pulumi `protect`. */
  readonly protect: boolean;
  /** Allow IAM database authentication besides the managed master password. Default false. */
  readonly iamAuthentication?: boolean;
}

export const POSTGRES_PORT = 5432;
export const DATABASE_NAME = "activepieces";
export const MASTER_USERNAME = "activepieces";
/** Performance Insights retention kept inside the free tier (7 days). https://aws.amazon.com/rds/performance-insights/pricing/ */
export const PERFORMANCE_INSIGHTS_RETENTION_DAYS = 7;

/** Parameter group family for an engine version: "16" and "16.4" -> "postgres16". */
export function postgresFamily(engineVersion: string): string {
  const major = /^(\d+)(\.\d+)?$/.exec(engineVersion)?.[1];
  if (!major) throw new Error(`database.engineVersion: "${engineVersion}" is not a Postgres version; allowed e.g. 16 or 16.4`);
  return `postgres${major}`;
}

/**
 * RDS for PostgreSQL for the ActivePieces app. The master password is created and kept by RDS in
 * Secrets Manager (`manageMasterUserPassword`), so it never appears in the program or its state.
 * Storage is encrypted, the instance is private, and TLS is enforced by the parameter group.
 * Its security group has no ingress: each caller opens 5432 to its own security group with
 * `allowFrom`, so only the app can connect.
 * https://docs.aws.amazon.com/AmazonRDS/latest/UserGuide/rds-secrets-manager.html
 */
export class Database extends pulumi.ComponentResource {
  /** Host name of the instance endpoint. */
  readonly address: pulumi.Output<string>;
  /** Postgres port (5432). */
  readonly port: pulumi.Output<number>;
  /** Name of the application database. */
  readonly dbName: pulumi.Output<string>;
  /** Master user name. */
  readonly username: pulumi.Output<string>;
  /** ARN of the RDS-managed secret holding `{ username, password }`. */
  readonly masterUserSecretArn: pulumi.Output<string>;
  /** RDS instance identifier (CloudWatch dimension DBInstanceIdentifier). */
  readonly instanceIdentifier: pulumi.Output<string>;
  /** Security group of the instance; ingress only through `allowFrom`. */
  readonly securityGroupId: pulumi.Output<string>;

  constructor(name: string, args: DatabaseArgs, opts?: pulumi.ComponentResourceOptions) {
    super("activepieces:database:Database", name, {}, opts);
    const { plan } = args;

    const securityGroup = new aws.ec2.SecurityGroup(`${name}-sg`, {
      vpcId: args.vpcId,
      description: "ActivePieces Postgres: ingress only from allowed security groups",
      tags: { Name: `${name}-sg` },
    }, { parent: this });

    const subnetGroup = new aws.rds.SubnetGroup(`${name}-subnets`, {
      subnetIds: args.subnetIds,
      description: "ActivePieces Postgres private subnets",
    }, { parent: this });

    // rds.force_ssl rejects unencrypted connections: https://docs.aws.amazon.com/AmazonRDS/latest/UserGuide/PostgreSQL.Concepts.General.SSL.html
    const parameterGroup = new aws.rds.ParameterGroup(`${name}-params`, {
      family: postgresFamily(plan.engineVersion),
      description: "ActivePieces Postgres: TLS required",
      parameters: [{ name: "rds.force_ssl", value: "1" }],
    }, { parent: this });

    const instance = new aws.rds.Instance(`${name}-postgres`, {
      engine: "postgres",
      engineVersion: plan.engineVersion,
      instanceClass: plan.instanceClass,
      dbName: DATABASE_NAME,
      username: MASTER_USERNAME,
      manageMasterUserPassword: true,
      port: POSTGRES_PORT,
      storageType: "gp3",
      allocatedStorage: plan.allocatedStorageGb,
      maxAllocatedStorage: plan.maxAllocatedStorageGb,
      storageEncrypted: true,
      publiclyAccessible: false,
      multiAz: plan.multiAz,
      dbSubnetGroupName: subnetGroup.name,
      parameterGroupName: parameterGroup.name,
      vpcSecurityGroupIds: [securityGroup.id],
      backupRetentionPeriod: plan.backupRetentionDays,
      backupWindow: "03:00-04:00",
      maintenanceWindow: "sun:04:30-sun:05:30",
      copyTagsToSnapshot: true,
      autoMinorVersionUpgrade: true,
      performanceInsightsEnabled: plan.performanceInsights,
      performanceInsightsRetentionPeriod: plan.performanceInsights ? PERFORMANCE_INSIGHTS_RETENTION_DAYS : undefined,
      iamDatabaseAuthenticationEnabled: args.iamAuthentication ?? false,
      enabledCloudwatchLogsExports: ["postgresql", "upgrade"],
      deletionProtection: plan.deletionProtection || args.protect,
      skipFinalSnapshot: !args.protect,
      finalSnapshotIdentifier: args.protect ? `${args.namePrefix}-postgres-final` : undefined,
    }, { parent: this, protect: args.protect });

    this.address = instance.address;
    this.port = instance.port;
    this.dbName = instance.dbName;
    this.username = instance.username;
    this.masterUserSecretArn = instance.masterUserSecrets.apply((secrets) => {
      const arn = secrets?.[0]?.secretArn;
      if (!arn) throw new Error(`${name}: RDS returned no master user secret although manageMasterUserPassword is set`);
      return arn;
    });
    this.instanceIdentifier = instance.identifier;
    this.securityGroupId = securityGroup.id;

    this.registerOutputs({
      address: this.address,
      port: this.port,
      dbName: this.dbName,
      username: this.username,
      masterUserSecretArn: this.masterUserSecretArn,
      instanceIdentifier: this.instanceIdentifier,
      securityGroupId: this.securityGroupId,
    });
  }

  /** Opens 5432 on the database to one security group (the app's), and nothing else. */
  allowFrom(name: string, sourceSecurityGroupId: pulumi.Input<string>, opts?: pulumi.CustomResourceOptions): aws.vpc.SecurityGroupIngressRule {
    return allowTcpFrom(name, { securityGroupId: this.securityGroupId, sourceSecurityGroupId, port: POSTGRES_PORT,
      description: "Postgres from an allowed security group" }, { parent: this, ...opts });
  }
}
