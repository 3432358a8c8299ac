import { useEffect, useState } from 'react';
import type { PrinterInfo } from '../../electron/bridge-contract.ts';
import {
  DEFAULT_PRINTER_PORT,
  PrinterChoice,
  describePrinterChoice,
} from '../../shared/receipt/printer-choice.ts';
import { usePos } from '../app/pos-context.ts';
import { useSignedInStaff } from '../staff/staff-context.ts';
import { printTestPage } from '../receipt/print-receipt.ts';
import { recordPrinterChange } from './printer-audit.ts';
import { savePrinterChoice, usePrinterChoice } from './printer-settings.ts';

type Kind = PrinterChoice['kind'];

type Outcome = { ok: boolean; text: string };

/** The form's fields as typed; parsed into a PrinterChoice only on Save or Test. */
type Draft = { kind: Kind; host: string; port: string; columns: '48' | '32'; printerName: string };

function draftOf(choice: PrinterChoice): Draft {
  return {
    kind: choice.kind,
    host: choice.kind === 'network' ? choice.host : '',
    port: String(choice.kind === 'network' ? choice.port : DEFAULT_PRINTER_PORT),
    columns: choice.kind === 'network' && choice.columns === 32 ? '32' : '48',
    printerName: choice.kind === 'installed' ? choice.printerName : '',
  };
}

function choiceOf(draft: Draft): { choice: PrinterChoice } | { problem: string } {
  const candidate =
    draft.kind === 'network'
      ? {
          kind: 'network',
          host: draft.host.trim(),
          port: Number(draft.port.trim() === '' ? NaN : draft.port),
          columns: Number(draft.columns),
        }
      : draft.kind === 'installed'
        ? { kind: 'installed', printerName: draft.printerName }
        : { kind: draft.kind };
  const parsed = PrinterChoice.safeParse(candidate);
  if (parsed.success) return { choice: parsed.data };
  const issue = parsed.error.issues[0];
  if (draft.kind === 'installed') return { problem: 'Choose one of the installed printers.' };
  return { problem: issue?.message ?? 'Check the printer address and port.' };
}

/** Settings → Receipt printer: where this terminal prints, and a test page to prove it. */
export function SettingsScreen() {
  const { bridge, appInfo, credentials, db } = usePos();
  const staff = useSignedInStaff();
  const desktop = appInfo.shell === 'electron';
  const saved = usePrinterChoice();
  const [draft, setDraft] = useState<Draft>(() => draftOf(saved));
  const [printers, setPrinters] = useState<PrinterInfo[]>([]);
  const [outcome, setOutcome] = useState<Outcome | null>(null);
  const [busy, setBusy] = useState(false);

  useEffect(() => {
    if (!desktop) return;
    void bridge.listPrinters().then(setPrinters);
  }, [bridge, desktop]);

  const update = (patch: Partial<Draft>) => {
    setDraft((current) => ({ ...current, ...patch }));
    setOutcome(null);
  };

  function save(): PrinterChoice | null {
    const result = choiceOf(draft);
    if ('problem' in result) {
      setOutcome({ ok: false, text: result.problem });
      return null;
    }
    savePrinterChoice(result.choice);
    void recordPrinterChange(db, credentials, {
      staffId: staff?.id ?? null,
      from: saved,
      to: result.choice,
    });
    return result.choice;
  }

  async function test() {
    const choice = save();
    if (choice === null) return;
    setBusy(true);
    setOutcome({ ok: true, text: 'Printing the test page…' });
    const result = await printTestPage(choice, credentials.storeName, bridge);
    setBusy(false);
    setOutcome(
      result.ok
        ? { ok: true, text: `The test page was sent to ${describePrinterChoice(choice)}.` }
        : { ok: false, text: result.message },
    );
  }

  const radio = (kind: Kind, label: string, hint: string) => (
    <label className="printer-option">
      <input
        type="radio"
        name="printer-kind"
        value={kind}
        checked={draft.kind === kind}
        onChange={() => update({ kind })}
      />
      <span>
        <strong>{label}</strong>
        <small className="muted">{hint}</small>
      </span>
    </label>
  );

  return (
    <section className="settings-screen" aria-labelledby="settings-title">
      <h1 id="settings-title">Settings</h1>
      <form
        className="printer-form"
        aria-labelledby="printer-title"
        noValidate
        onSubmit={(event) => {
          event.preventDefault();
          const choice = save();
          if (choice) {
            setOutcome({
              ok: true,
              text:
                choice.kind === 'none'
                  ? 'Saved. Receipts print only when you press Print receipt.'
                  : `Saved. Receipts print on ${describePrinterChoice(choice)}.`,
            });
          }
        }}
      >
        <h2 id="printer-title">Receipt printer</h2>
        <p className="muted">
          Kept on this terminal. The codes are always on screen and in the sale too, so a printer
          problem never loses one.
        </p>
        <fieldset>
          <legend>Print receipts on</legend>
          {radio(
            'network',
            'A network receipt printer',
            desktop
              ? 'An ESC/POS thermal printer on the shop network (port 9100). Prints offline too.'
              : 'An ESC/POS thermal printer on the shop network (port 9100), reached through the server.',
          )}
          {draft.kind === 'network' && (
            <div className="printer-fields">
              <label>
                Printer address
                <input
                  name="host"
                  inputMode="url"
                  autoComplete="off"
                  placeholder="192.168.1.50"
                  value={draft.host}
                  onChange={(event) => update({ host: event.target.value })}
                />
              </label>
              <label>
                Port
                <input
                  name="port"
                  inputMode="numeric"
                  value={draft.port}
                  onChange={(event) => update({ port: event.target.value })}
                />
              </label>
              <label>
                Paper
                <select
                  name="columns"
                  value={draft.columns}
                  onChange={(event) =>
                    update({ columns: event.target.value === '32' ? '32' : '48' })
                  }
                >
                  <option value="48">80 mm</option>
                  <option value="32">58 mm</option>
                </select>
              </label>
            </div>
          )}
          {desktop &&
            radio('installed', 'An installed printer', 'A printer this computer already has.')}
          {desktop && draft.kind === 'installed' && (
            <div className="printer-fields">
              <label>
                Printer
                <select
                  name="printerName"
                  value={draft.printerName}
                  onChange={(event) => update({ printerName: event.target.value })}
                >
                  <option value="">Choose a printer…</option>
                  {printers.map((printer) => (
                    <option key={printer.name} value={printer.name}>
                      {printer.name}
                    </option>
                  ))}
                </select>
              </label>
            </div>
          )}
          {radio(
            'dialog',
            desktop ? 'The print dialog' : 'The browser’s print dialog',
            'Asks where to print each time; any printer, or Save as PDF.',
          )}
          {radio('none', 'No printer', 'Receipts stay on screen; Print receipt opens the dialog.')}
        </fieldset>
        <div className="form-actions">
          <button type="submit" className="button button-primary" disabled={busy}>
            Save
          </button>
          <button type="button" className="button" disabled={busy} onClick={() => void test()}>
            Print test page
          </button>
        </div>
        {outcome && (
          <p
            role={outcome.ok ? 'status' : 'alert'}
            className={outcome.ok ? 'settings-outcome' : 'settings-outcome error'}
            data-testid="printer-outcome"
          >
            {outcome.text}
          </p>
        )}
      </form>
    </section>
  );
}
