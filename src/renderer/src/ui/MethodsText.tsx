import { useId, useState } from 'react';

/**
 * A methods paragraph a researcher can paste: shown in a read-only box (select it by hand, or
 * copy it with the button), under a disclosure so that it does not crowd the figures.
 */
export function MethodsText({ text }: { text: string }) {
  const [copied, setCopied] = useState<'' | 'copied' | 'failed'>('');
  const id = useId();
  const copy = async () => {
    try {
      await navigator.clipboard.writeText(text);
      setCopied('copied');
    } catch {
      // No clipboard (a browser without permission): the text is selected for Ctrl+C instead.
      (document.getElementById(id) as HTMLTextAreaElement | null)?.select();
      setCopied('failed');
    }
  };
  return (
    <details className="methods-text">
      <summary>Methods text</summary>
      <textarea id={id} readOnly value={text} rows={7} aria-label="Methods text to paste" />
      <div className="row">
        <button type="button" onClick={() => void copy()}>
          Copy
        </button>
        <span className="muted small" role="status">
          {copied === 'copied' ? 'Copied.' : copied === 'failed' ? 'Selected: press Ctrl+C to copy.' : ''}
        </span>
      </div>
    </details>
  );
}
