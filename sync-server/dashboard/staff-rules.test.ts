import { describe, expect, it } from 'vitest';
import { canManageStaff, canSeeStaff, placementRefusal, rolesAssignableBy } from './staff-rules.ts';

const admin = { role: 'admin' as const, storeId: null };
const managerA = { role: 'manager' as const, storeId: 'store-a' };

describe('staff rules', () => {
  it('lets a manager manage cashiers and managers of their own store only, never an admin', () => {
    expect(canManageStaff(managerA, { role: 'cashier', store_id: 'store-a' })).toBe(true);
    expect(canManageStaff(managerA, { role: 'manager', store_id: 'store-a' })).toBe(true);
    expect(canManageStaff(managerA, { role: 'cashier', store_id: 'store-b' })).toBe(false);
    expect(canManageStaff(managerA, { role: 'admin', store_id: 'store-a' })).toBe(false);
    expect(canManageStaff(managerA, { role: 'admin', store_id: null })).toBe(false);
    expect(canSeeStaff(managerA, { store_id: null })).toBe(true);
    expect(canSeeStaff(managerA, { store_id: 'store-b' })).toBe(false);
  });

  it('lets an admin of every store manage everyone, and only admins make admins', () => {
    expect(canManageStaff(admin, { role: 'admin', store_id: null })).toBe(true);
    expect(canManageStaff(admin, { role: 'cashier', store_id: 'store-b' })).toBe(true);
    expect(rolesAssignableBy(managerA)).toEqual(['cashier', 'manager']);
    expect(placementRefusal(managerA, 'admin', 'store-a')).toBe(
      'Only an admin can make someone an admin.',
    );
    expect(placementRefusal(managerA, 'cashier', 'store-b')).toBe('Choose one of your stores.');
    expect(placementRefusal(managerA, 'cashier', null)).toBe(
      'Choose the store this person works in.',
    );
    expect(placementRefusal(managerA, 'cashier', 'store-a')).toBeNull();
    expect(placementRefusal(admin, 'admin', null)).toBeNull();
    expect(placementRefusal({ role: 'admin', storeId: 'store-a' }, 'admin', null)).toBe(
      'Only an admin of every store can add another.',
    );
  });
});
