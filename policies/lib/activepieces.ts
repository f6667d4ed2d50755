/** How the pack recognises ActivePieces containers and reads their settings. */
import {
  ACTIVEPIECES_REPOSITORY,
  CONTAINER_TYPES,
  DEFAULT_CONTAINER_TYPE,
  DEFAULT_POSTGRES_POOL_SIZE,
  DEFAULT_WORKER_CONCURRENCY,
  POSTGRES_ENV_NAMES,
  type ContainerType,
} from "../facts/activepieces";
import { envReference, envValue, type ContainerView } from "./containers";
import { parseImage } from "./images";
import { OddInputError } from "./values";

/** A container is ActivePieces when it says its role or runs the ActivePieces image. */
export function isActivePieces(c: ContainerView): boolean {
  if (envValue(c, "AP_CONTAINER_TYPE") !== undefined || envReference(c, "AP_CONTAINER_TYPE")) return true;
  return c.image !== undefined && parseImage(c.image).repository.endsWith(ACTIVEPIECES_REPOSITORY);
}

export function containerType(c: ContainerView): ContainerType {
  const v = envValue(c, "AP_CONTAINER_TYPE");
  if (v === undefined) return DEFAULT_CONTAINER_TYPE;
  if ((CONTAINER_TYPES as readonly string[]).includes(v)) return v as ContainerType;
  throw new OddInputError(`AP_CONTAINER_TYPE of container "${c.name}" is "${v}", expected one of ${CONTAINER_TYPES.join(", ")}`);
}

export function runsWorker(c: ContainerView): boolean {
  return isActivePieces(c) && containerType(c) !== "APP";
}

export function runsApp(c: ContainerView): boolean {
  return isActivePieces(c) && containerType(c) !== "WORKER";
}

function positiveInt(c: ContainerView, name: string, fallback: number): number | undefined {
  const v = envValue(c, name);
  if (v === undefined) return envReference(c, name) ? undefined : fallback;
  const n = Number(v);
  if (!Number.isInteger(n) || n < 1) throw new OddInputError(`${name} of container "${c.name}" is "${v}", expected a positive integer`);
  return n;
}

/** `AP_WORKER_CONCURRENCY`, its default when unset, or undefined when it comes from a reference. */
export function workerConcurrency(c: ContainerView): number | undefined {
  return positiveInt(c, "AP_WORKER_CONCURRENCY", DEFAULT_WORKER_CONCURRENCY);
}

export function usesPostgres(c: ContainerView): boolean {
  return POSTGRES_ENV_NAMES.some((n) => envValue(c, n) !== undefined || envReference(c, n) !== undefined);
}

/** `AP_POSTGRES_POOL_SIZE`, its default when unset, or undefined when it comes from a reference. */
export function poolSize(c: ContainerView): number | undefined {
  return positiveInt(c, "AP_POSTGRES_POOL_SIZE", DEFAULT_POSTGRES_POOL_SIZE);
}
