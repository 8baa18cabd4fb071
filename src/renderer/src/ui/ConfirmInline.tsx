/** A question in the row it is about: what will happen, the action (red), and a way out. */
export function ConfirmInline(props: {
  label: string;
  text: string;
  action: string;
  cancel: string;
  busy?: boolean;
  onConfirm: () => void;
  onCancel: () => void;
}) {
  return (
    <span className="confirm-inline" role="group" aria-label={props.label}>
      {props.text}{' '}
      <button type="button" className="danger" disabled={props.busy} onClick={props.onConfirm}>
        {props.action}
      </button>{' '}
      <button type="button" onClick={props.onCancel}>
        {props.cancel}
      </button>
    </span>
  );
}
