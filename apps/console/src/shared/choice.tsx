/** A labelled select of plain values (a list filter such as "Show: open"). */
export function Choice(props: {
  id: string;
  label: string;
  value: string;
  options: readonly string[];
  onChange: (value: string) => void;
}) {
  return (
    <div className="panel">
      <label htmlFor={props.id}>{props.label}</label>
      <select id={props.id} value={props.value} onChange={(e) => props.onChange(e.target.value)}>
        {props.options.map((o) => (
          <option key={o} value={o}>
            {o}
          </option>
        ))}
      </select>
    </div>
  );
}

/** The first error of a screen's writes, announced. */
export function ErrorNote({ errors }: { errors: (Error | null)[] }) {
  const error = errors.find(Boolean);
  return error ? (
    <p role="alert" className="error">
      {error.message}
    </p>
  ) : null;
}

/** A labelled input in a form grid. */
export function Field(props: {
  id: string;
  label: string;
  value: string;
  onChange: (value: string) => void;
  type?: string;
  required?: boolean;
}) {
  return (
    <div>
      <label htmlFor={props.id}>{props.label}</label>
      <input
        id={props.id}
        type={props.type ?? 'text'}
        required={props.required}
        autoComplete="off"
        value={props.value}
        onChange={(e) => props.onChange(e.target.value)}
      />
    </div>
  );
}

/** A form's submit button, with what is wrong with the form (announced) beside it. */
export function SubmitWithProblem(props: { label: string; busy: boolean; problem: string | null }) {
  return (
    <>
      <button type="submit" disabled={props.busy}>
        {props.label}
      </button>
      {props.problem && (
        <p role="alert" className="error">
          {props.problem}
        </p>
      )}
    </>
  );
}
