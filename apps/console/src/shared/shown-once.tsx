import { useState } from 'react';

/** A secret shown once (API key, webhook signing secret), with a copy button; never stored. */
export function ShownOnce(props: { label: string; value: string | null; onDone: () => void }) {
  const [copied, setCopied] = useState(false);
  if (!props.value) return null;
  const copy = async () => {
    await navigator.clipboard.writeText(props.value ?? '');
    setCopied(true);
  };
  return (
    <div className="panel" role="region" aria-label={props.label}>
      <p>
        <strong>{props.label}</strong> — shown once. Copy it now; it cannot be shown again.
      </p>
      <p className="secret">{props.value}</p>
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
