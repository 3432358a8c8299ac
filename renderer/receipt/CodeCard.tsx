import type { ReceiptCode } from '../../shared/receipt/receipt-model.ts';
import { QrCode } from './QrCode.tsx';

export { redeemUrlOf } from '../../shared/receipt/receipt-model.ts';

/** One entitlement on the receipt: what it is for, its code, its QR, how to redeem, its state. */
export function CodeCard({ code, consumedAt }: { code: ReceiptCode; consumedAt: string | null }) {
  return (
    <li className="code-card" data-testid="code-card" data-code={code.code} data-state={code.state}>
      <QrCode text={code.url} label={`QR code to redeem ${code.productName}`} />
      <div className="code-body">
        <div className="code-product">{code.productName}</div>
        <div className="code-summary">{code.summary}</div>
        <div className="code-value" data-testid="code-value">
          {code.formatted}
        </div>
        {code.notes.map((note) => (
          <div key={note} className="code-note" data-testid="code-note">
            {note}
          </div>
        ))}
        <div className="code-how">{code.howToRedeem}</div>
        <span className={`pill state-${code.state}`} data-testid="code-state">
          {code.stateLabel}
          {consumedAt ? ` ${new Date(consumedAt).toLocaleString()}` : ''}
        </span>
      </div>
    </li>
  );
}
