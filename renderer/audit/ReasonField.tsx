/**
 * The required "why" of a void, a refund or a drawer opening: kept in the audit trail. The
 * form checks it is not blank (with its own sentence) before anything is written.
 */
export function ReasonField(props: {
  id: string;
  value: string;
  onChange: (text: string) => void;
  autoFocus?: boolean;
  required?: boolean;
  /** Marks the field when the form's problem is about it. */
  invalid?: boolean;
}) {
  return (
    <>
      <label htmlFor={props.id}>Reason (required)</label>
      <textarea
        id={props.id}
        rows={2}
        autoFocus={props.autoFocus}
        required={props.required}
        value={props.value}
        aria-invalid={props.invalid ? true : undefined}
        onChange={(event) => props.onChange(event.target.value)}
      />
    </>
  );
}
