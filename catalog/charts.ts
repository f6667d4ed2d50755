/**
 * Dated catalogue of the Helm charts the EKS split installs: repository, chart, version, when and
 * where the version was shown to exist. Pure data; components/eks/helm.ts installs exactly these,
 * and sizing/eks-catalog.ts refuses a KEDA version that is not listed (a Helm Release whose chart
 * version the repository index does not list fails `pulumi preview`, when the chart is loaded).
 * Update an entry and its `verified` date together.
 */

export interface ChartEntry {
  readonly chart: string;
  /** Helm repository URL (its index.yaml lists the versions). */
  readonly repo: string;
  readonly version: string;
  /** The application version the chart ships by default. */
  readonly appVersion: string;
  /** When the version was last shown to exist, and the source that shows it. */
  readonly verified: string;
  readonly source: string;
  /** Where the pinned version's values.yaml was read (value names and defaults this project relies on). */
  readonly values: string;
  /** Kubernetes minor versions the project tests the release against, where it publishes them. */
  readonly testedKubernetes?: readonly string[];
  readonly note?: string;
}

const KEDA_REPO = "https://kedacore.github.io/charts";
/** KEDA's published compatibility matrix (Kubernetes versions tested per KEDA release) and its cluster-capacity table. */
export const KEDA_COMPATIBILITY_SOURCE = "https://keda.sh/docs/2.22/operate/cluster/";

/**
 * KEDA chart versions the config may pin (`eks.kedaVersion`), oldest first. 2.21.1 is not listed:
 * the chart index as last read (2026-08-13) ended at 2.20.2, and public sources since show 2.21.0
 * and no 2.21.1.
 */
export const KEDA_CHARTS: readonly ChartEntry[] = [
  {
    chart: "keda",
    repo: KEDA_REPO,
    version: "2.20.2",
    appVersion: "2.20.2",
    verified: "2026-12-02",
    source:
      'https://github.com/kedacore/charts/commit/cbb9bb8 ("prepare v2.20.2 release (#895)", 2026-07-31); newest keda entry of https://kedacore.github.io/charts/index.yaml as read on 2026-08-13',
    values: "https://github.com/kedacore/charts/blob/cbb9bb8/keda/values.yaml",
    testedKubernetes: ["1.33", "1.34", "1.35"],
  },
  {
    chart: "keda",
    repo: KEDA_REPO,
    version: "2.21.0",
    appVersion: "2.21.0",
    verified: "2026-12-02",
    source:
      "https://github.com/kedacore/keda/releases/tag/v2.21.0 (release manifests keda-2.21.0.yaml and keda-2.21.0-crds.yaml); public repositories install `helm install keda kedacore/keda --version 2.21.0` from " +
      KEDA_REPO,
    values:
      "not readable (the stored kedacore/charts snapshot, 2026-08-14, predates it); resource defaults checked against " +
      KEDA_COMPATIBILITY_SOURCE +
      " and keda/values.yaml at kedacore/charts main 1444d00",
    testedKubernetes: ["1.34", "1.35", "1.36"],
  },
];

/** The KEDA chart a stack gets unless it pins another listed one. */
export const DEFAULT_KEDA_CHART_VERSION = "2.21.0";

export const EXTERNAL_SECRETS_CHART: ChartEntry = {
  chart: "external-secrets",
  repo: "https://charts.external-secrets.io",
  version: "0.18.2",
  appVersion: "v0.18.2",
  verified: "2026-12-02",
  source:
    'https://github.com/external-secrets/external-secrets/releases/tag/helm-chart-0.18.2 (commit 9e7eafdad, "chore: release helm chart for v0.18.2 (#4985)", 2025-07-03)',
  values:
    "https://github.com/external-secrets/external-secrets/blob/helm-chart-0.18.2/deploy/charts/external-secrets/values.yaml (installCRDs, serviceAccount, webhook, certController; CRDs serve external-secrets.io/v1)",
  note: "newer charts exist (2.x); this pin serves the external-secrets.io/v1 API the manifests use",
};

export const CLUSTER_AUTOSCALER_CHART: ChartEntry = {
  chart: "cluster-autoscaler",
  repo: "https://kubernetes.github.io/autoscaler",
  version: "9.59.0",
  appVersion: "1.35.0",
  verified: "2026-12-02",
  source: "https://github.com/kubernetes/autoscaler/releases/tag/cluster-autoscaler-chart-9.59.0 (2026-07-21, newest chart tag as of 2026-08-22)",
  values:
    "https://github.com/kubernetes/autoscaler/blob/cluster-autoscaler-chart-9.59.0/cluster-autoscaler/charts/cluster-autoscaler/values.yaml (cloudProvider, awsRegion, autoDiscovery.clusterName, image.tag, rbac.serviceAccount, extraArgs)",
  note: "was 9.50.0 (appVersion 1.33.0); 9.59.0's ClusterRole adds the resource.k8s.io, podtemplates and provisioningrequests rules newer autoscalers read. image.tag is set per Kubernetes minor from catalog/images.ts",
};

export const LOAD_BALANCER_CONTROLLER_CHART: ChartEntry = {
  chart: "aws-load-balancer-controller",
  repo: "https://aws.github.io/eks-charts",
  version: "1.13.4",
  appVersion: "v2.13.4",
  verified: "2026-12-02",
  source:
    'https://github.com/aws/eks-charts/commit/a69a33a ("aws-load-balancer-controller: v2.13.4 (#1235)", 2025-07-30), stable/aws-load-balancer-controller/Chart.yaml',
  values:
    "https://github.com/aws/eks-charts/blob/a69a33a/stable/aws-load-balancer-controller/values.yaml (enableServiceMutatorWebhook: true by default, serviceMutatorWebhookConfig.failurePolicy: Fail)",
  note: "newer charts exist (3.x, app v3); the IAM policy in components/eks/lb-controller.ts follows docs/install/iam_policy.json at v2.13.4",
};
