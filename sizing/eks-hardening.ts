import type { ReleaseLineId } from "../contract/types";

/** A writable emptyDir a worker container needs when its root filesystem is read-only. */
export interface WritablePath {
  readonly name: string;
  readonly mountPath: string;
  readonly why: string;
}

/**
 * How far a (non-privileged) worker container is locked down: it runs flows, i.e. user code. What
 * the published image allows, read from its Dockerfile and docker-entrypoint.sh (ActivePieces
 * 0.80.0 c48ff1e4 and 0.83.0 04c19239; 0.79.0 a719b8c0):
 * - seccomp `RuntimeDefault` and `allowPrivilegeEscalation: false`: on every line; node, pm2, bun
 *   and nginx make no syscall the default profile blocks and never gain privileges (no setuid binary
 *   is used).
 * - Not `runAsNonRoot`: the image has no USER, so it runs as root; /usr/src/app and /root are
 *   root's; pm2-runtime keeps its state in root's home (/root/.pm2) and the release listens on port
 *   80 (AP_PORT, the contract's health port), which a non-root process cannot bind without the
 *   ambient NET_BIND_SERVICE capability Kubernetes does not grant. Running it as another user is a
 *   change to the image, not a setting.
 * - 0.80 and later (pm2 starts only node; no nginx): all capabilities dropped except
 *   NET_BIND_SERVICE (root still needs it for port 80), and a read-only root filesystem with
 *   emptyDirs where the worker writes: /tmp (the generated pm2 ecosystem file; HOME of the engine
 *   processes), /usr/src/app/cache (`path.resolve('cache')` in W/lib/cache/cache-paths.ts: the
 *   engine copy, installed pieces, compiled code steps) and /root (pm2's PM2_HOME, bun's install
 *   cache). Nothing the image ships under those paths is needed at run time.
 * - 0.79: the entrypoint rewrites /usr/share/nginx/html/index.html with envsubst and starts nginx
 *   (pid, logs and temp files under /run and /var), whose master process switches its workers to
 *   `nobody` (CAP_SETUID/CAP_SETGID): the root filesystem stays writable and the runtime's default
 *   capabilities stay.
 * The SANDBOX_PROCESS execution modes run the container privileged instead (EksPlan.workerPrivileged),
 * and none of this applies to them (components/eks/workloads.ts workerSecurity).
 */
export interface WorkerHardening {
  /** Capabilities after dropping ALL; undefined keeps the container runtime's default set. */
  readonly capabilities?: { readonly drop: readonly string[]; readonly add: readonly string[] };
  readonly readOnlyRootFilesystem: boolean;
  readonly writablePaths: readonly WritablePath[];
}

export function workerHardening(line: ReleaseLineId): WorkerHardening {
  if (line === "0.79") return { readOnlyRootFilesystem: false, writablePaths: [] };
  return {
    capabilities: { drop: ["ALL"], add: ["NET_BIND_SERVICE"] },
    readOnlyRootFilesystem: true,
    writablePaths: [
      { name: "tmp", mountPath: "/tmp", why: "pm2 ecosystem file written by the entrypoint; HOME of the engine processes" },
      { name: "cache", mountPath: "/usr/src/app/cache", why: "engine copy, installed pieces and compiled code steps (W/lib/cache/cache-paths.ts)" },
      { name: "home", mountPath: "/root", why: "PM2_HOME (/root/.pm2) and bun's install cache (/root/.bun)" },
    ],
  };
}
