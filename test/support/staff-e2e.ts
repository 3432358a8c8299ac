import { expect, type Page } from '@playwright/test';

/** The demo store's people (sync-server/staff/demo-staff.ts). */
export const DEMO_CASHIER = { name: 'Alex (cashier)', pin: '2580' } as const;
export const DEMO_MANAGER = { name: 'Morgan (manager)', pin: '1379' } as const;
export const DEMO_ADMIN = { name: 'Sam (admin)', pin: '8642' } as const;

/**
 * Signs in at the till's sign-in screen: the member's tile, the PIN, "Sign in". Then, when this
 * terminal has no open shift yet, the shift gate asks for the float ("Open the shift"); that is
 * filled (default 100.00) and the shift opened. The gate is looked for briefly: a terminal with
 * an open shift (or a build without shifts) goes straight to selling.
 */
export async function signIn(
  till: Page,
  who: { readonly name?: string; readonly pin: string; readonly float?: string } = DEMO_CASHIER,
): Promise<void> {
  await expect(till.getByRole('heading', { name: 'Sign in' })).toBeVisible();
  await till.getByRole('button', { name: who.name ?? DEMO_CASHIER.name, exact: true }).click();
  await till.getByLabel('PIN', { exact: true }).fill(who.pin);
  await till.getByRole('button', { name: 'Sign in', exact: true }).click();
  await expect(till.getByRole('heading', { name: 'Sign in' })).toBeHidden({ timeout: 10_000 });
  await openShiftIfAsked(till, who.float ?? '100.00');
}

/** The shift gate (H4's renderer/shift), if it shows up within a moment of signing in. */
export async function openShiftIfAsked(till: Page, float: string): Promise<void> {
  const gate = till
    .getByTestId('shift-gate')
    .or(till.getByRole('heading', { name: 'Open the shift' }));
  try {
    await gate.first().waitFor({ state: 'visible', timeout: 1_500 });
  } catch {
    return; // no gate: a shift is open already, or this build has no shifts
  }
  await till.getByLabel('Float in the drawer').fill(float);
  await till.getByRole('button', { name: 'Open shift' }).click();
  await expect(gate.first()).toBeHidden();
}

/** Signs out with the shell's Lock button, back to the sign-in screen. */
export async function signOut(till: Page): Promise<void> {
  await till.getByTestId('signed-in-staff').click();
  await expect(till.getByRole('heading', { name: 'Sign in' })).toBeVisible();
}

/** Answers the "Manager approval" dialog with a manager's PIN (Morgan by default). */
export async function approveAsManager(
  till: Page,
  manager: { readonly name: string; readonly pin: string } = DEMO_MANAGER,
): Promise<void> {
  const dialog = till.getByRole('dialog', { name: 'Manager approval' });
  await expect(dialog).toBeVisible();
  await dialog.getByLabel('Manager', { exact: true }).selectOption({ label: manager.name });
  await dialog.getByLabel('Manager PIN').fill(manager.pin);
  await dialog.getByRole('button', { name: 'Approve' }).click();
  await expect(dialog).toBeHidden({ timeout: 10_000 });
}
