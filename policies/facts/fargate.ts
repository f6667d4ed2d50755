/**
 * Valid Fargate task cpu/memory combinations.
 * Source: https://docs.aws.amazon.com/AmazonECS/latest/developerguide/fargate-tasks-services.html#fargate-tasks-size
 * Shared by the config schema and the policy pack, so both judge a size the same way: a size that
 * is not listed is refused (the program never rounds a configured size to a valid one).
 */
export interface FargateCpuRow {
  /** CPU units (1024 = 1 vCPU). */
  readonly cpu: number;
  readonly minMemory: number;
  readonly maxMemory: number;
  /** Memory step in MiB between minMemory and maxMemory. */
  readonly step: number;
  /** Explicit list where the values are not an arithmetic series. */
  readonly explicit?: readonly number[];
}

export const FARGATE_SIZES: readonly FargateCpuRow[] = [
  { cpu: 256, minMemory: 512, maxMemory: 2048, step: 1024, explicit: [512, 1024, 2048] },
  { cpu: 512, minMemory: 1024, maxMemory: 4096, step: 1024 },
  { cpu: 1024, minMemory: 2048, maxMemory: 8192, step: 1024 },
  { cpu: 2048, minMemory: 4096, maxMemory: 16384, step: 1024 },
  { cpu: 4096, minMemory: 8192, maxMemory: 30720, step: 1024 },
  { cpu: 8192, minMemory: 16384, maxMemory: 61440, step: 4096 },
  { cpu: 16384, minMemory: 32768, maxMemory: 122880, step: 8192 },
];

export const FARGATE_CPU_VALUES: readonly number[] = FARGATE_SIZES.map((r) => r.cpu);

export function fargateRow(cpu: number): FargateCpuRow | undefined {
  return FARGATE_SIZES.find((r) => r.cpu === cpu);
}

export function allowedMemories(row: FargateCpuRow): number[] {
  if (row.explicit) return [...row.explicit];
  const out: number[] = [];
  for (let m = row.minMemory; m <= row.maxMemory; m += row.step) out.push(m);
  return out;
}

export function isValidFargatePair(cpu: number, memory: number): boolean {
  const row = fargateRow(cpu);
  return row !== undefined && allowedMemories(row).includes(memory);
}

/** Human-readable description of what memory a cpu value allows, for error messages. */
export function describeAllowedMemory(cpu: number): string {
  const row = fargateRow(cpu);
  if (!row) return `cpu must be one of ${FARGATE_CPU_VALUES.join(", ")}`;
  if (row.explicit) return `memory for cpu ${cpu} must be one of ${row.explicit.join(", ")} MiB`;
  return `memory for cpu ${cpu} must be ${row.minMemory}..${row.maxMemory} MiB in steps of ${row.step}`;
}
