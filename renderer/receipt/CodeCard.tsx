import { formatCode } from '../../shared/code/entitlement-code.ts';
import type { EntitlementState } from '../../shared/schemas/entitlement.ts';
import { ENTITLEMENT_STATE_LABELS } from '../../shared/schemas/entitlement.ts';
import { QrCode } from './QrCode.tsx';

export function redeemUrlOf(base: string, code: string): string {
  return `${base.replace(/\/+$/, '')}/${code}`;
}

/** One entitlement on the receipt: what it is for, its code, its QR, and where it stands. */
export function CodeCard(props: {
  code: string;
  productName: string;
  redeemBase: string;
  state: EntitlementState;
  consumedAt: string | null;
  /** From the product's template: the ticket's event, "Valid until …". */
  notes: readonly string[];
}) {
  const url = redeemUrlOf(props.redeemBase, props.code);
  return (
    <li
      className="code-card"
      data-testid="code-card"
      data-code={props.code}
      data-state={props.state}
    >
      <QrCode text={url} label={`QR code to redeem ${props.productName}`} />
      <div className="code-body">
        <div className="code-product">{props.productName}</div>
        <div className="code-value" data-testid="code-value">
          {formatCode(props.code)}
        </div>
        {props.notes.map((note) => (
          <div key={note} className="code-note" data-testid="code-note">
            {note}
          </div>
        ))}
        <div className="code-how">Redeem at {props.redeemBase.replace(/^https?:\/\//, '')}</div>
        <span className={`pill state-${props.state}`} data-testid="code-state">
          {ENTITLEMENT_STATE_LABELS[props.state]}
          {props.consumedAt ? ` ${new Date(props.consumedAt).toLocaleString()}` : ''}
        </span>
      </div>
    </li>
  );
}
