import { useId, useState } from 'react';

/** A secret shown once (API key, webhook signing secret), with a copy button; never stored. */
export function ShownOnce(props: { label: string; value: string | null; onDone: () => void }) {
  const [copied, setCopied] = useState(false);
  const id = useId();
  if (!props.value) return null;
  const copy = async () => {
    await navigator.clipboard.writeText(props.value ?? '');
    setCopied(true);
  };
  return (
    <div className="panel" role="region" aria-label={`${props.label} (shown once)`}>
      <label htmlFor={id}>{props.label}</label>
      <input id={id} className="secret" readOnly value={props.value} />
      <p className="hint">Copy it now: it cannot be shown again.</p>
      <div className="row">
        <button type="button" onClick={() => void copy()}>
          {copied ? 'Copied' : 'Copy'}
        </button>
        <button type="button" onClick={props.onDone}>
          Done
        </button>
      </div>
    </div>
  );
}
