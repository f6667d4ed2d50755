import { z } from "zod";
import { INSTANCE_TYPE_NAMES } from "../catalog/ec2-instances";
import { AUTOSCALER_EXPANDERS, DEFAULT_KEDA_VERSION, DEFAULT_KUBERNETES_VERSION } from "./eks-settings";
import { cidr, int } from "./fields";

/** The `eks` block of the stack config: settings of the EKS+KEDA platform. */
const instanceType = z.enum(INSTANCE_TYPE_NAMES, { error: "expected an EC2 instance type such as m7g.large (see catalog/ec2-instances.ts for the list)" });

export const EksSchema = z
  .strictObject({
    kubernetesVersion: z
      .string()
      .regex(/^1\.(2[89]|3[0-9])$/, { error: `expected a Kubernetes minor version such as ${DEFAULT_KUBERNETES_VERSION}` })
      .default(DEFAULT_KUBERNETES_VERSION)
      .describe(
        "EKS Kubernetes version: one of catalog/eks-versions.ts in standard support on the day of the plan (a version past it needs `extendedSupport`). Default: the newest in standard support when the catalogue was verified.",
      ),
    extendedSupport: z
      .boolean({ error: "expected true or false" })
      .optional()
      .describe(
        "Run `kubernetesVersion` past the end of EKS standard support: the cluster's upgrade policy becomes EXTENDED and it is billed extended support (0.60 instead of 0.10 USD per cluster-hour) while its version is in it. Default: false (the plan refuses such a version).",
      ),
    appInstanceTypes: z
      .array(instanceType)
      .min(1, { error: "expected at least one instance type" })
      .optional()
      .describe(
        "On-demand node group for system controllers and app pods; the first type is used, the rest are fallbacks. Default: m7g.xlarge (arm64) or m7i.xlarge (x86_64), larger if an app pod needs it.",
      ),
    workerInstanceTypes: z
      .array(instanceType)
      .optional()
      .describe(
        "Spot node group for worker pods: at least two types of the same vCPU count, so a Spot shortage of one type does not stop the workers. Default: c7g, c6g, m7g, m6g (arm64) or c7i, c6i, m7i, m6i (x86_64), size large or the smallest that holds a worker pod.",
      ),
    nodeDiskGb: int(20, 1000, "gigabytes")
      .default(20)
      .describe("Encrypted gp3 root volume of every node (20 GB is the EKS managed node group default; images are the only large files)."),
    endpointAccess: z
      .enum(["public", "private", "publicAndPrivate"], { error: "expected public, private or publicAndPrivate" })
      .default("publicAndPrivate")
      .describe(
        "Kubernetes API endpoint: `private` keeps it inside the VPC (run Pulumi from the VPC then), `publicAndPrivate` lets nodes use the private one.",
      ),
    publicAccessCidrs: z.array(cidr).default(["0.0.0.0/0"]).describe("CIDRs allowed to reach a public API endpoint."),
    adminRoleArns: z
      .array(z.string().regex(/^arn:aws:iam::\d{12}:role\/[\w+=,.@/-]+$/, { error: "expected IAM role ARNs such as arn:aws:iam::123456789012:role/admins" }))
      .default([])
      .describe("IAM roles given cluster-admin through EKS access entries (the identity running Pulumi always is)."),
    scaleDownUnneededMinutes: int(1, 120, "minutes").default(10).describe("Cluster Autoscaler: minutes a node must be unneeded before it is removed."),
    autoscalerExpander: z
      .enum(AUTOSCALER_EXPANDERS, {
        error: `expected ${AUTOSCALER_EXPANDERS.join(", ")} (price is not implemented for AWS and crash-loops Cluster Autoscaler)`,
      })
      .default("least-waste")
      .describe("Cluster Autoscaler expander: which node group grows when several could (`price` is not implemented on AWS)."),
    kedaVersion: z
      .string()
      .regex(/^\d+\.\d+\.\d+$/, { error: `expected a pinned version such as ${DEFAULT_KEDA_VERSION}` })
      .default(DEFAULT_KEDA_VERSION)
      .describe("KEDA Helm chart version (pinned): one listed in catalog/charts.ts."),
    pollingIntervalSeconds: int(5, 300, "seconds").default(15).describe("KEDA: how often the queue backlog is read."),
    scaleDownStabilizationSeconds: int(0, 3600, "seconds")
      .default(300)
      .describe("KEDA/HPA: seconds the worker count must stay lower before workers are removed."),
  })
  .describe("EKS platform settings (used with `platform: eks`).");
