import { describe, expect, it } from 'vitest';
import { posWindowOptions } from './window.ts';

describe('posWindowOptions', () => {
  it('is the locked-down POS window', () => {
    const options = posWindowOptions('/app/dist/electron/preload.cjs', { devTools: false });
    expect(options).toMatchObject({
      title: 'Entitle POS',
      width: 1280,
      height: 800,
      show: false,
      webPreferences: {
        preload: '/app/dist/electron/preload.cjs',
        contextIsolation: true,
        sandbox: true,
        nodeIntegration: false,
        devTools: false,
      },
    });
    expect(options.minWidth).toBeLessThanOrEqual(1280);
    expect(options.minHeight).toBeLessThanOrEqual(800);
  });
});
