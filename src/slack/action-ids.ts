/** Block Kit action ids shared by the renderers and the listeners. Button values carry only opaque ids. */
export const ACTION = {
  /** A fix button on a diagnosis; value = a fix-offer id (src/remediate/offers.ts). */
  fix: "alb_fix",
  /** On a plan message; value = plan id. */
  approve: "alb_plan_approve",
  reject: "alb_plan_reject",
  /** On a result message; value = plan id of the executed plan. */
  undo: "alb_plan_undo",
} as const;
