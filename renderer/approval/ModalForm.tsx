import type { ReactNode } from 'react';
import '../staff/staff.css';

/**
 * A form in a modal dialog over the till (manager approval, drawer opening): Enter submits,
 * Escape and Cancel close it. The fields come as children; the two buttons end it.
 */
export function ModalForm(props: {
  /** The id of the heading among the children that names the dialog. */
  labelledBy: string;
  submitLabel: string;
  submitDisabled?: boolean;
  onSubmit: () => void;
  onCancel: () => void;
  children: ReactNode;
}) {
  return (
    <div className="overlay">
      <form
        role="dialog"
        aria-modal="true"
        aria-labelledby={props.labelledBy}
        className="approval-dialog"
        noValidate
        onSubmit={(event) => {
          event.preventDefault();
          props.onSubmit();
        }}
        onKeyDown={(event) => {
          if (event.key === 'Escape') props.onCancel();
        }}
      >
        {props.children}
        <div className="gift-buttons">
          <button
            type="submit"
            className="button button-primary"
            disabled={props.submitDisabled === true}
          >
            {props.submitLabel}
          </button>
          <button type="button" className="button" onClick={props.onCancel}>
            Cancel
          </button>
        </div>
      </form>
    </div>
  );
}
