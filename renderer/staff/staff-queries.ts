import { map, type Observable } from 'rxjs';
import {
  DEFAULT_DISCOUNT_APPROVAL_MILLI_PERCENT,
  DEFAULT_IDLE_LOCK_SECONDS,
} from '../../shared/schemas/store-settings.ts';
import { canApprove, type StaffMember } from '../../shared/staff/staff-member.ts';
import type { EntitleDatabase } from '../data/database.ts';

/** Everyone synced to this terminal, by name (the server sends only this store's staff). */
export function staff$(db: EntitleDatabase): Observable<StaffMember[]> {
  return db.staff
    .find()
    .$.pipe(
      map((docs) =>
        docs.map((doc) => doc.toMutableJSON()).sort((a, b) => a.name.localeCompare(b.name)),
      ),
    );
}

/** Who can sign in here: active, with a PIN. A back-office user without a PIN cannot. */
export function canSignIn(member: StaffMember): boolean {
  return member.active && member.pinHash !== null;
}

/** Who can approve here: active managers and admins with a PIN. */
export function approvers(staff: readonly StaffMember[]): StaffMember[] {
  return staff.filter((member) => canSignIn(member) && canApprove(member.role));
}

export type CounterRules = {
  readonly idleLockSeconds: number;
  readonly discountApprovalMilliPercent: number;
};

/** The store's rules, or the defaults until the first pull brings the settings document. */
export const DEFAULT_COUNTER_RULES: CounterRules = {
  idleLockSeconds: DEFAULT_IDLE_LOCK_SECONDS,
  discountApprovalMilliPercent: DEFAULT_DISCOUNT_APPROVAL_MILLI_PERCENT,
};

export function counterRules$(db: EntitleDatabase, storeId: string): Observable<CounterRules> {
  return db.settings.findOne(storeId).$.pipe(
    map((doc) =>
      doc
        ? {
            idleLockSeconds: doc.idleLockSeconds,
            discountApprovalMilliPercent: doc.discountApprovalMilliPercent,
          }
        : DEFAULT_COUNTER_RULES,
    ),
  );
}
