import type { StaffRole } from '../../shared/staff/staff-member.ts';
import type { StaffTable } from '../db/schema.ts';
import type { DashboardUser } from './session.ts';
import { canSeeStore, seesEveryStore } from './visible-stores.ts';

/**
 * Who may manage whom. A manager manages the cashiers and managers of their own store and never
 * an admin; only admins create or change admins; an admin of every store manages everyone.
 */
type Actor = Pick<DashboardUser, 'role' | 'storeId'>;

export function rolesAssignableBy(user: Actor): readonly StaffRole[] {
  return user.role === 'admin' ? ['cashier', 'manager', 'admin'] : ['cashier', 'manager'];
}

/** May `user` see `target` in the staff list? Admins of every store show in every store's list. */
export function canSeeStaff(user: Actor, target: Pick<StaffTable, 'store_id'>): boolean {
  return target.store_id === null || canSeeStore(user, target.store_id);
}

export function canManageStaff(
  user: Actor,
  target: Pick<StaffTable, 'store_id' | 'role'>,
): boolean {
  if (target.role === 'admin' && user.role !== 'admin') return false;
  if (target.store_id === null) return seesEveryStore(user);
  return canSeeStore(user, target.store_id);
}

/**
 * Why `user` may not give someone `role` in `storeId` (null: every store), or null when allowed.
 * Only admins are of every store.
 */
export function placementRefusal(
  user: Actor,
  role: StaffRole,
  storeId: string | null,
): string | null {
  if (!rolesAssignableBy(user).includes(role)) return 'Only an admin can make someone an admin.';
  if (storeId === null) {
    if (role !== 'admin') return 'Choose the store this person works in.';
    if (!seesEveryStore(user)) return 'Only an admin of every store can add another.';
    return null;
  }
  return canSeeStore(user, storeId) ? null : 'Choose one of your stores.';
}
