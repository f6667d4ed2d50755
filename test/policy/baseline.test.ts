import { describe, expect, it } from "vitest";
import { ecsStack, eksStack } from "./baseline";
import { check } from "./support";

describe("compliant stacks", () => {
  it("an ActivePieces stack on ECS Fargate gets no message at all", async () => {
    expect(await check(ecsStack())).toEqual([]);
  });

  it("an ActivePieces stack on EKS with an HPA and a KEDA ScaledObject gets no message at all", async () => {
    expect(await check(eksStack())).toEqual([]);
  });
});
