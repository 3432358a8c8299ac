import { useEffect, useRef } from 'react';
import { SHORTCUTS } from './shortcuts.ts';

/** The "?" overlay: every shortcut of the map, grouped as the cashier meets them. */
export function ShortcutsHelp({ onClose }: { onClose: () => void }) {
  const closeButton = useRef<HTMLButtonElement>(null);
  useEffect(() => {
    closeButton.current?.focus();
  }, []);
  return (
    <div className="overlay" onClick={onClose}>
      <section
        className="shortcuts-help"
        role="dialog"
        aria-modal="true"
        aria-labelledby="shortcuts-title"
        onClick={(event) => event.stopPropagation()}
      >
        <h2 id="shortcuts-title">Keyboard shortcuts</h2>
        <table>
          <tbody>
            {SHORTCUTS.map((shortcut) => (
              <tr key={shortcut.id}>
                <td>
                  {shortcut.keys.map((key, index) => (
                    <span key={key}>
                      {index > 0 && ' or '}
                      <kbd>{key === 'Escape' ? 'Esc' : key}</kbd>
                    </span>
                  ))}
                </td>
                <td>{shortcut.label}</td>
                <td className="muted">{shortcut.where}</td>
              </tr>
            ))}
          </tbody>
        </table>
        <p className="muted">
          A barcode scanner works on the Sell screen at any time, even while you type in the search.
          While you type in a field only the F keys act; / ? and Esc stay with the field.
        </p>
        <button ref={closeButton} type="button" className="button" onClick={onClose}>
          Close
        </button>
      </section>
    </div>
  );
}
