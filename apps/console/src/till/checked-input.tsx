import type { HTMLAttributes } from 'react';

/** A labelled till input that says what is wrong under it (announced by its description). */
export function CheckedInput(props: {
  id: string;
  label: string;
  value: string;
  problem: string | null;
  hint?: string;
  type?: string;
  inputMode?: HTMLAttributes<HTMLInputElement>['inputMode'];
  autoFocus?: boolean;
  onChange: (value: string) => void;
  onBlur?: () => void;
}) {
  const note = props.problem ? `${props.id}-problem` : props.hint ? `${props.id}-hint` : undefined;
  return (
    <>
      <label htmlFor={props.id}>{props.label}</label>
      <input
        id={props.id}
        type={props.type ?? 'text'}
        inputMode={props.inputMode}
        autoComplete="off"
        autoFocus={props.autoFocus}
        value={props.value}
        aria-invalid={Boolean(props.problem)}
        aria-describedby={note}
        onChange={(e) => props.onChange(e.target.value)}
        onBlur={props.onBlur}
      />
      {props.problem ? (
        <p id={note} className="error">
          {props.problem}
        </p>
      ) : (
        props.hint && (
          <p id={note} className="hint">
            {props.hint}
          </p>
        )
      )}
    </>
  );
}
