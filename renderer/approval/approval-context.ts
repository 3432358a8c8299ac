import { createContext, useContext } from 'react';
import type { ApprovalAction } from '../../shared/shift/shift-events.ts';

export type ApprovalRequest = {
  readonly action: ApprovalAction;
  /** What is approved: the void's or refund's id, the sale, the shift; null when not yet known. */
  readonly subjectId: string | null;
  /** What the manager reads, e.g. "Void receipt A1B2-000042 (€45.00)". */
  readonly summary: string;
  /** Who asks; the signed-in member when left out (an unlock names the locked member). */
  readonly requestedBy?: string;
};

/** Resolves with the approving manager's id, or null when the cashier cancelled. */
export type RequestApproval = (request: ApprovalRequest) => Promise<string | null>;

export const ApprovalContext = createContext<RequestApproval | null>(null);

export function useRequestApproval(): RequestApproval {
  const request = useContext(ApprovalContext);
  if (!request) throw new Error('useRequestApproval() outside <ApprovalProvider>.');
  return request;
}
