/**
 * Node heap for a container of `memoryMiB`: leave at least 256 MiB or a quarter of the memory for
 * off-heap buffers and the flow sandbox, so V8 hits its own limit before the kernel OOM-kills the task
 * (activepieces#9381: OOM on ECS fixed by --max-old-space-size).
 */
export function nodeHeapMb(memoryMiB: number): number {
  const reserve = Math.max(256, Math.ceil(memoryMiB * 0.25));
  return Math.max(128, memoryMiB - reserve);
}
