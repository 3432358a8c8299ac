import { useState } from 'react';
import type { AppInfo, EntitleBridge } from '../../electron/bridge-contract.ts';
import type { TerminalCredentials } from '../../shared/schemas/protocol.ts';
import { enrolTerminal } from './enrol.ts';

/**
 * First start: connect this terminal to the store's server. A demo server enrols by itself;
 * otherwise a manager reads a pairing code off the server (`npm run server -- pairing-code`).
 */
export function EnrolScreen(props: {
  appInfo: AppInfo;
  bridge: EntitleBridge;
  initialProblem: string | null;
  onEnrolled: (credentials: TerminalCredentials) => void;
}) {
  const { appInfo, bridge, onEnrolled } = props;
  const [serverUrl, setServerUrl] = useState(appInfo.serverUrl ?? 'http://localhost:8787');
  const [terminalName, setTerminalName] = useState('Counter 1');
  const [pairingCode, setPairingCode] = useState('');
  const [problem, setProblem] = useState<string | null>(props.initialProblem);
  const [busy, setBusy] = useState(false);

  async function enrol(code: string | null) {
    setBusy(true);
    setProblem(null);
    try {
      const credentials = await enrolTerminal({ serverUrl, terminalName, pairingCode: code });
      await bridge.saveCredentials(credentials);
      onEnrolled(credentials);
    } catch (error) {
      setProblem(error instanceof Error ? error.message : String(error));
    } finally {
      setBusy(false);
    }
  }

  return (
    <main className="enrol-screen">
      <h1>Set up this terminal</h1>
      <p>Connect it to your store’s Entitle server once. After that it sells offline.</p>
      <form
        onSubmit={(event) => {
          event.preventDefault();
          void enrol(pairingCode);
        }}
      >
        <label htmlFor="server-url">Server address</label>
        <input
          id="server-url"
          type="url"
          required
          value={serverUrl}
          onChange={(event) => setServerUrl(event.target.value)}
        />
        <label htmlFor="terminal-name">Name of this terminal</label>
        <input
          id="terminal-name"
          required
          maxLength={60}
          value={terminalName}
          onChange={(event) => setTerminalName(event.target.value)}
        />
        <label htmlFor="pairing-code">Pairing code</label>
        <input
          id="pairing-code"
          required
          placeholder="ABCD-1234"
          autoComplete="off"
          value={pairingCode}
          onChange={(event) => setPairingCode(event.target.value)}
        />
        <p className="hint">
          The server prints a pairing code when it starts; a new one: npm run server -- pairing-code
        </p>
        <button type="submit" className="button button-primary button-big" disabled={busy}>
          {busy ? 'Connecting…' : 'Connect terminal'}
        </button>
      </form>
      {problem && (
        <p role="alert" className="error">
          {problem}
        </p>
      )}
    </main>
  );
}
