import type { Plan } from "../sizing/types";

export function renderComparison(_plan: Plan): string {
  return "comparison: the EKS cost model is not available yet";
}
