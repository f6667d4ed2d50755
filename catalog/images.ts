/**
 * Dated catalogue of container images the program pins itself. Pure data.
 *
 * Cluster Autoscaler's minor version must match the cluster's Kubernetes minor (its README's
 * releases table), so there is one image per Kubernetes minor, the newest patch release of that
 * minor. The Helm chart (catalog/charts.ts) gets the tag as `image.tag`. Every other image the EKS
 * split runs comes from a chart's own default (its appVersion in catalog/charts.ts), an EKS add-on
 * (EKS picks the version for the cluster) or the stack config (`image`, the ActivePieces image).
 */

export interface ImageEntry {
  readonly repository: string;
  readonly tag: string;
  /** When the tag was last shown to exist, and the source that shows it. */
  readonly verified: string;
  readonly source: string;
}

export const CLUSTER_AUTOSCALER_REPOSITORY = "registry.k8s.io/autoscaling/cluster-autoscaler";
const release = (v: string) => `https://github.com/kubernetes/autoscaler/releases/tag/cluster-autoscaler-${v}`;

/** Kubernetes minor -> Cluster Autoscaler image. Every minor of catalog/eks-versions.ts that EKS still serves has one. */
export const CLUSTER_AUTOSCALER_IMAGES: Readonly<Record<string, ImageEntry>> = {
  "1.32": {
    repository: CLUSTER_AUTOSCALER_REPOSITORY,
    tag: "v1.32.7",
    verified: "2026-12-02",
    source: `${release("1.32.7")} (git tag of 2026-02-13; image pinned by public EKS deployments)`,
  },
  "1.33": {
    repository: CLUSTER_AUTOSCALER_REPOSITORY,
    tag: "v1.33.6",
    verified: "2026-12-02",
    source: `${release("1.33.6")} (2026-07-23; release notes list the image)`,
  },
  "1.34": {
    repository: CLUSTER_AUTOSCALER_REPOSITORY,
    tag: "v1.34.5",
    verified: "2026-12-02",
    source: `${release("1.34.5")} (2026-07-23; release notes list the image)`,
  },
  "1.35": {
    repository: CLUSTER_AUTOSCALER_REPOSITORY,
    tag: "v1.35.2",
    verified: "2026-12-02",
    source: `${release("1.35.2")} (2026-07-23; image pinned by digest in public repositories)`,
  },
  "1.36": {
    repository: CLUSTER_AUTOSCALER_REPOSITORY,
    tag: "v1.36.1",
    verified: "2026-12-02",
    source: `${release("1.36.1")} (2026-07-23; release notes list the image)`,
  },
};
