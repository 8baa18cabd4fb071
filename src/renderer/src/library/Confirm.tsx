/** Asks before something that cannot be undone. */
export function Confirm(props: { text: string; action: string; onConfirm: () => void; onCancel: () => void }) {
  return (
    <div className="confirm" role="alertdialog" aria-label={props.action}>
      <span>{props.text}</span>
      <button type="button" className="danger" onClick={props.onConfirm}>
        {props.action}
      </button>
      <button type="button" onClick={props.onCancel} autoFocus>
        Keep
      </button>
    </div>
  );
}
