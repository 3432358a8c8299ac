import { z } from 'zod';
import { DocumentId, Timestamp } from '../schemas/common.ts';
import { PinHash } from './pin.ts';

/**
 * Who may do what. A cashier sells; a manager also approves (void, refund, large discount, a
 * drawer opened without a sale), closes shifts and sees the store's dashboard; an admin manages
 * every store, its terminals and its staff.
 */
export const STAFF_ROLES = ['cashier', 'manager', 'admin'] as const;
export const StaffRole = z.enum(STAFF_ROLES);
export type StaffRole = z.infer<typeof StaffRole>;

const RANK: Record<StaffRole, number> = { cashier: 0, manager: 1, admin: 2 };

/** True when `role` is at least `required` (an admin may do anything a manager may). */
export function hasRole(role: StaffRole, required: StaffRole): boolean {
  return RANK[role] >= RANK[required];
}

/** Managers and admins approve; cashiers ask one of them. */
export function canApprove(role: StaffRole): boolean {
  return hasRole(role, 'manager');
}

/**
 * A staff member as the server syncs them to the terminals of a store (pulled, server-written,
 * DESIGN invariant 2). `storeId` null: an admin of every store, synced to every terminal. The
 * PIN hash travels so a terminal can check a PIN with no network; a member without a PIN (a
 * back-office user) cannot sign in at a counter. `active: false` is how a member is removed: the
 * document stays, so old sales still name who made them.
 */
export const StaffMember = z.strictObject({
  id: DocumentId,
  storeId: DocumentId.nullable(),
  name: z.string().trim().min(1).max(60),
  role: StaffRole,
  pinHash: PinHash.nullable(),
  active: z.boolean(),
  updatedAt: Timestamp,
});
export type StaffMember = z.infer<typeof StaffMember>;
