/**
 * Big digit buttons for a touch screen, beside the PIN field (which takes the keyboard's digits,
 * Enter and Backspace itself). The buttons never take focus away from the field.
 */
export function PinPad(props: {
  disabled: boolean;
  onDigit: (digit: string) => void;
  onBackspace: () => void;
}) {
  const keys = ['1', '2', '3', '4', '5', '6', '7', '8', '9', '', '0', '⌫'];
  return (
    <div className="pin-pad" role="group" aria-label="PIN pad">
      {keys.map((key, index) =>
        key === '' ? (
          <span key={`gap-${String(index)}`} />
        ) : (
          <button
            key={key}
            type="button"
            className="button button-big"
            disabled={props.disabled}
            aria-label={key === '⌫' ? 'Delete last digit' : `Digit ${key}`}
            onMouseDown={(event) => event.preventDefault()}
            onClick={() => (key === '⌫' ? props.onBackspace() : props.onDigit(key))}
          >
            {key}
          </button>
        ),
      )}
    </div>
  );
}
