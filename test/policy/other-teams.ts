/**
 * Compliant stacks of other teams, written as their `pulumi stack export` would list them (ids and
 * ARNs in the outputs, default tags on the provider as JSON text). Tests mutate one field and assert
 * the one message that follows. Each call returns fresh objects.
 */
import { checkStackExport, type StackExportResource, type StackExportV3, type Violation } from "../../policies/engine/check";
import { withEnvironment } from "./environments";
import { ACCOUNT, resource, stackExport } from "./support";

const REGION = "us-east-1";
export const WEB_ALB_SG = "sg-0a1b2c3d4e5f60701";
export const WEB_TASK_SG = "sg-0a1b2c3d4e5f60702";
export const WEB_DB_SG = "sg-0a1b2c3d4e5f60703";
export const WEB_CACHE_SG = "sg-0a1b2c3d4e5f60704";
export const WEB_DB_HOST = "shop-db.cx1ab2cd3efg.us-east-1.rds.amazonaws.com";
const arn = (service: string, rest: string) => `arn:aws:${service}:${REGION}:${ACCOUNT}:${rest}`;

function sg(name: string, id: string, props: Record<string, unknown>): StackExportResource {
  return resource(
    "aws:ec2/securityGroup:SecurityGroup",
    name,
    { vpcId: "vpc-0abc1234def567890", revokeRulesOnDelete: false, ...props },
    {
      outputs: { id, arn: arn("ec2", `security-group/${id}`), name: `${name}-1f2e3d4`, ownerId: ACCOUNT },
    },
  );
}

/**
 * A team's web shop (no ActivePieces): an internet-facing ALB with HTTPS and access logs, tasks that
 * accept only the ALB, a task definition that names no launch type (the service puts it on Fargate),
 * MySQL on its default port, a Redis cache with failover.
 */
export function webStack(): StackExportResource[] {
  return [
    resource(
      "aws:ecs/cluster:Cluster",
      "shop",
      { name: "shop-4f3a2b1" },
      { outputs: { arn: arn("ecs", "cluster/shop-4f3a2b1"), id: arn("ecs", "cluster/shop-4f3a2b1") } },
    ),
    resource(
      "aws:ecs/taskDefinition:TaskDefinition",
      "web-task",
      {
        family: "shop-web",
        cpu: "512",
        memory: "1024",
        networkMode: "awsvpc",
        executionRoleArn: `arn:aws:iam::${ACCOUNT}:role/shop-exec`,
        containerDefinitions: JSON.stringify([
          {
            name: "web",
            image: `${ACCOUNT}.dkr.ecr.${REGION}.amazonaws.com/shop-web:2.3.1`,
            essential: true,
            portMappings: [{ containerPort: 8080 }],
            environment: [{ name: "DB_HOST", value: WEB_DB_HOST }],
          },
        ]),
      },
      { outputs: { arn: arn("ecs", "task-definition/shop-web:12"), revision: 12, id: "shop-web" } },
    ),
    resource("aws:ecs/service:Service", "web", {
      name: "shop-web",
      cluster: arn("ecs", "cluster/shop-4f3a2b1"),
      taskDefinition: arn("ecs", "task-definition/shop-web:12"),
      desiredCount: 3,
      launchType: "FARGATE",
      networkConfiguration: { assignPublicIp: false, securityGroups: [WEB_TASK_SG], subnets: ["subnet-0123456789abcdef0", "subnet-0fedcba9876543210"] },
      loadBalancers: [{ containerName: "web", containerPort: 8080, targetGroupArn: arn("elasticloadbalancing", "targetgroup/shop-web/3c4d") }],
    }),
    sg("alb-sg", WEB_ALB_SG, {
      description: "ALB",
      ingress: [{ protocol: "tcp", fromPort: 443, toPort: 443, cidrBlocks: ["0.0.0.0/0"], ipv6CidrBlocks: ["::/0"] }],
      egress: [{ protocol: "tcp", fromPort: 8080, toPort: 8080, cidrBlocks: ["10.0.0.0/16"] }],
    }),
    sg("task-sg", WEB_TASK_SG, { description: "web tasks", egress: [{ protocol: "-1", fromPort: 0, toPort: 0, cidrBlocks: ["0.0.0.0/0"] }] }),
    resource("aws:vpc/securityGroupIngressRule:SecurityGroupIngressRule", "task-from-alb", {
      securityGroupId: WEB_TASK_SG,
      referencedSecurityGroupId: WEB_ALB_SG,
      ipProtocol: "tcp",
      fromPort: 8080,
      toPort: 8080,
    }),
    resource(
      "aws:lb/loadBalancer:LoadBalancer",
      "alb",
      {
        name: "shop",
        internal: false,
        loadBalancerType: "application",
        securityGroups: [WEB_ALB_SG],
        subnets: ["subnet-0aaa1111bbbb2222c", "subnet-0ccc3333dddd4444e"],
        accessLogs: { bucket: "shop-alb-logs-7c1d2e3", enabled: true },
      },
      { outputs: { arn: arn("elasticloadbalancing", "loadbalancer/app/shop/50dc6c495c0c9188"), dnsName: "shop-1234.us-east-1.elb.amazonaws.com" } },
    ),
    resource("aws:lb/listener:Listener", "https", {
      loadBalancerArn: arn("elasticloadbalancing", "loadbalancer/app/shop/50dc6c495c0c9188"),
      port: 443,
      protocol: "HTTPS",
      sslPolicy: "ELBSecurityPolicy-TLS13-1-2-2021-06",
      certificateArn: arn("acm", "certificate/9a8b7c6d-1234-4f5e-8a9b-0c1d2e3f4a5b"),
      defaultActions: [{ type: "forward", targetGroupArn: arn("elasticloadbalancing", "targetgroup/shop-web/3c4d") }],
    }),
    sg("db-sg", WEB_DB_SG, { description: "MySQL" }),
    resource("aws:vpc/securityGroupIngressRule:SecurityGroupIngressRule", "db-from-tasks", {
      securityGroupId: WEB_DB_SG,
      referencedSecurityGroupId: WEB_TASK_SG,
      ipProtocol: "tcp",
      fromPort: 3306,
      toPort: 3306,
    }),
    resource(
      "aws:rds/instance:Instance",
      "db",
      {
        identifier: "shop-db",
        engine: "mysql",
        engineVersion: "8.0.39",
        instanceClass: "db.t4g.medium",
        allocatedStorage: 50,
        username: "shop",
        manageMasterUserPassword: true,
        storageEncrypted: true,
        publiclyAccessible: false,
        backupRetentionPeriod: 14,
        deletionProtection: true,
        multiAz: true,
        vpcSecurityGroupIds: [WEB_DB_SG],
      },
      { outputs: { address: WEB_DB_HOST, endpoint: `${WEB_DB_HOST}:3306`, port: 3306, arn: arn("rds", "db:shop-db") } },
    ),
    sg("cache-sg", WEB_CACHE_SG, { description: "sessions" }),
    resource("aws:elasticache/parameterGroup:ParameterGroup", "cache-params", {
      name: "shop-cache",
      family: "redis7",
      parameters: [{ name: "maxmemory-policy", value: "noeviction" }],
    }),
    resource(
      "aws:elasticache/replicationGroup:ReplicationGroup",
      "cache",
      {
        description: "sessions",
        engine: "redis",
        nodeType: "cache.t4g.small",
        numCacheClusters: 2,
        automaticFailoverEnabled: true,
        multiAzEnabled: true,
        transitEncryptionEnabled: true,
        atRestEncryptionEnabled: true,
        parameterGroupName: "shop-cache",
        securityGroupIds: [WEB_CACHE_SG],
      },
      { outputs: { primaryEndpointAddress: "master.shop-cache.abc123.use1.cache.amazonaws.com", arn: arn("elasticache", "replicationgroup:shop-cache") } },
    ),
  ];
}

const pod = (
  labels: Record<string, string>,
  containers: unknown[],
  securityContext: Record<string, unknown> = { seccompProfile: { type: "RuntimeDefault" } },
) => ({ metadata: { labels }, spec: { securityContext, containers } });

export const HARDENED = { allowPrivilegeEscalation: false, capabilities: { drop: ["ALL"] }, readOnlyRootFilesystem: false };

/**
 * Another team's ActivePieces on EKS: private API endpoint with KMS-encrypted secrets, the worker
 * pods hardened and isolated by a NetworkPolicy, an AWS Load Balancer Controller Ingress with a
 * TLS 1.2+ policy and access logs.
 */
export function eksWorkersStack(): StackExportResource[] {
  const k8s = { provider: null } as const;
  return [
    resource(
      "aws:eks/cluster:Cluster",
      "flows",
      {
        name: "flows",
        version: "1.32",
        roleArn: `arn:aws:iam::${ACCOUNT}:role/flows-cluster`,
        vpcConfig: {
          subnetIds: ["subnet-0123456789abcdef0", "subnet-0fedcba9876543210"],
          endpointPrivateAccess: true,
          endpointPublicAccess: true,
          publicAccessCidrs: ["198.51.100.0/24"],
        },
        encryptionConfig: { resources: ["secrets"], provider: { keyArn: arn("kms", "key/1f2e3d4c-5b6a-4978-8a9b-0c1d2e3f4a5b") } },
      },
      { outputs: { arn: arn("eks", "cluster/flows") } },
    ),
    resource("kubernetes:core/v1:Namespace", "flows-ns", { apiVersion: "v1", kind: "Namespace", metadata: { name: "flows" } }, k8s),
    resource(
      "kubernetes:apps/v1:Deployment",
      "flows-worker",
      {
        apiVersion: "apps/v1",
        kind: "Deployment",
        metadata: { name: "flows-worker", namespace: "flows" },
        spec: {
          replicas: 4,
          selector: { matchLabels: { "app.kubernetes.io/name": "activepieces", "app.kubernetes.io/component": "worker" } },
          template: pod({ "app.kubernetes.io/name": "activepieces", "app.kubernetes.io/component": "worker" }, [
            {
              name: "worker",
              image: "activepieces/activepieces:0.79.0",
              securityContext: { ...HARDENED },
              env: [
                { name: "AP_CONTAINER_TYPE", value: "WORKER" },
                { name: "AP_WORKER_CONCURRENCY", value: "1" },
                { name: "AP_EXECUTION_MODE", value: "SANDBOX_CODE_ONLY" },
              ],
            },
          ]),
        },
      },
      k8s,
    ),
    resource(
      "kubernetes:apps/v1:Deployment",
      "flows-app",
      {
        apiVersion: "apps/v1",
        kind: "Deployment",
        metadata: { name: "flows-app", namespace: "flows" },
        spec: {
          replicas: 1,
          selector: { matchLabels: { "app.kubernetes.io/name": "activepieces", "app.kubernetes.io/component": "app" } },
          template: pod(
            { "app.kubernetes.io/name": "activepieces", "app.kubernetes.io/component": "app" },
            [
              {
                name: "app",
                image: "activepieces/activepieces:0.79.0",
                env: [{ name: "AP_CONTAINER_TYPE", value: "APP" }],
              },
            ],
            {},
          ),
        },
      },
      k8s,
    ),
    resource(
      "kubernetes:networking.k8s.io/v1:NetworkPolicy",
      "flows-worker-egress",
      {
        apiVersion: "networking.k8s.io/v1",
        kind: "NetworkPolicy",
        metadata: { name: "worker-egress", namespace: "flows" },
        spec: {
          podSelector: { matchExpressions: [{ key: "app.kubernetes.io/component", operator: "In", values: ["worker"] }] },
          policyTypes: ["Ingress", "Egress"],
          egress: [{ to: [{ ipBlock: { cidr: "0.0.0.0/0", except: ["169.254.169.254/32", "10.0.0.0/8"] } }] }],
        },
      },
      k8s,
    ),
    resource(
      "kubernetes:networking.k8s.io/v1:Ingress",
      "flows-ingress",
      {
        apiVersion: "networking.k8s.io/v1",
        kind: "Ingress",
        metadata: {
          name: "flows",
          namespace: "flows",
          annotations: {
            "alb.ingress.kubernetes.io/scheme": "internet-facing",
            "alb.ingress.kubernetes.io/certificate-arn": arn("acm", "certificate/9a8b7c6d-1234-4f5e-8a9b-0c1d2e3f4a5b"),
            "alb.ingress.kubernetes.io/listen-ports": '[{"HTTPS":443}]',
            "alb.ingress.kubernetes.io/ssl-policy": "ELBSecurityPolicy-TLS13-1-2-Res-2021-06",
            "alb.ingress.kubernetes.io/load-balancer-attributes":
              "access_logs.s3.enabled=true,access_logs.s3.bucket=flows-alb-logs,routing.http.drop_invalid_header_fields.enabled=true",
          },
        },
        spec: {
          ingressClassName: "alb",
          rules: [{ http: { paths: [{ path: "/", pathType: "Prefix", backend: { service: { name: "flows-app", port: { number: 80 } } } }] } }],
        },
      },
      k8s,
    ),
  ];
}

/** Runs the pack over resources, in an environment declared by the AWS provider's default tags when given. */
export async function checkIn(resources: readonly StackExportResource[], environment?: string, config?: unknown): Promise<Violation[]> {
  const doc: StackExportV3 = environment ? withEnvironment(stackExport(resources), environment) : stackExport(resources);
  return (await checkStackExport(doc, config)).violations;
}
