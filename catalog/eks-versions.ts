/**
 * Dated catalogue of the Kubernetes versions Amazon EKS offers: release, end of standard support and
 * end of extended support, as the "Amazon EKS Kubernetes release calendar" table of the EKS user
 * guide lists them. Pure data; sizing/eks-catalog.ts turns it into the plan's checks. Dates are UTC
 * days: EKS starts billing extended support at the beginning of the end-of-standard-support day
 * (same page). Update an entry and its `verified` date together when AWS moves a date, and add a
 * version only with its calendar row (and a Cluster Autoscaler image in catalog/images.ts).
 *
 * Not listed: 1.37. AWS announced it on EKS on 2026-10-02 ("Amazon EKS and Amazon EKS Distro now
 * support Kubernetes version 1.37"), but its calendar row could not be read, and no Cluster
 * Autoscaler 1.37 release could be shown to exist.
 */

export const EKS_VERSIONS_SOURCE = "https://docs.aws.amazon.com/eks/latest/userguide/kubernetes-versions.html";
/** The page's source file (AsciiDoc) in the user guide's repository, same table. */
export const EKS_VERSIONS_SOURCE_FILE = "https://github.com/awsdocs/amazon-eks-user-guide/blob/mainline/latest/ug/versioning/kubernetes-versions.adoc";

export interface EksVersionEntry {
  /** Kubernetes minor version as EKS names it. */
  readonly version: string;
  /** Upstream Kubernetes release (ISO date). */
  readonly upstreamRelease: string;
  /** Available on Amazon EKS from (ISO date). */
  readonly eksRelease: string;
  /** Standard support ends at the start of this UTC day; extended support (billed higher) starts. */
  readonly endOfStandardSupport: string;
  /** Extended support ends at the start of this UTC day; EKS upgrades the control plane after it. */
  readonly endOfExtendedSupport: string;
  /** When the dates were last checked, and against what. */
  readonly verified: string;
  readonly source: string;
  readonly note: string;
}

const FROM_ADOC = "release calendar row of kubernetes-versions.adoc (stored copy, commit 01385604), same dates as the page";

/** Oldest first. */
export const EKS_VERSIONS: readonly EksVersionEntry[] = [
  {
    version: "1.29",
    upstreamRelease: "2023-12-13",
    eksRelease: "2024-01-23",
    endOfStandardSupport: "2025-03-23",
    endOfExtendedSupport: "2026-03-23",
    verified: "2026-12-02",
    source: EKS_VERSIONS_SOURCE,
    note: FROM_ADOC,
  },
  {
    version: "1.30",
    upstreamRelease: "2024-04-17",
    eksRelease: "2024-05-23",
    endOfStandardSupport: "2025-07-23",
    endOfExtendedSupport: "2026-07-23",
    verified: "2026-12-02",
    source: EKS_VERSIONS_SOURCE,
    note: FROM_ADOC,
  },
  {
    version: "1.31",
    upstreamRelease: "2024-08-13",
    eksRelease: "2024-09-26",
    endOfStandardSupport: "2025-11-26",
    endOfExtendedSupport: "2026-11-26",
    verified: "2026-12-02",
    source: EKS_VERSIONS_SOURCE,
    note: FROM_ADOC,
  },
  {
    version: "1.32",
    upstreamRelease: "2024-12-11",
    eksRelease: "2025-01-23",
    endOfStandardSupport: "2026-03-23",
    endOfExtendedSupport: "2027-03-23",
    verified: "2026-12-02",
    source: EKS_VERSIONS_SOURCE,
    note: FROM_ADOC,
  },
  {
    version: "1.33",
    upstreamRelease: "2025-04-23",
    eksRelease: "2025-05-29",
    endOfStandardSupport: "2026-07-29",
    endOfExtendedSupport: "2027-07-29",
    verified: "2026-12-02",
    source: EKS_VERSIONS_SOURCE,
    note: FROM_ADOC,
  },
  {
    version: "1.34",
    upstreamRelease: "2025-08-27",
    eksRelease: "2025-10-02",
    endOfStandardSupport: "2026-12-02",
    endOfExtendedSupport: "2027-12-02",
    verified: "2026-12-02",
    source: EKS_VERSIONS_SOURCE,
    note: FROM_ADOC,
  },
  {
    version: "1.35",
    upstreamRelease: "2025-12-17",
    eksRelease: "2026-01-27",
    endOfStandardSupport: "2027-03-27",
    endOfExtendedSupport: "2028-03-27",
    verified: "2026-12-02",
    source: EKS_VERSIONS_SOURCE,
    note: "calendar row as quoted from the page (row `1.35 | December 17, 2025 | January 27, 2026 | March 27, 2027 | March 27, 2028`); the stored copy of the page predates it",
  },
  {
    version: "1.36",
    upstreamRelease: "2026-04-22",
    eksRelease: "2026-06-02",
    endOfStandardSupport: "2027-08-02",
    endOfExtendedSupport: "2028-08-02",
    verified: "2026-12-02",
    source: EKS_VERSIONS_SOURCE,
    note: "calendar row as quoted from the page on 2026-09-29 (row `1.36 | April 22, 2026 | June 2, 2026 | August 2, 2027 | August 2, 2028`); the stored copy of the page predates it",
  },
];

/** The date the catalogue as a whole was last checked (the newest `verified`). */
export const EKS_VERSIONS_VERIFIED = EKS_VERSIONS.map((v) => v.verified)
  .sort()
  .at(-1)!;
