/** A question asked in place before something that cannot be undone: what happens, do it, or cancel. */
export function Confirm(props: { label: string; text: string; warning?: boolean; confirm: string; cancel: string; action: string; danger?: boolean; busy: boolean; onConfirm: () => void; onCancel: () => void }) {
  return (
    <div className="confirm" role="group" aria-label={props.label}>
      <p className={props.warning ? "warning" : undefined}>{props.text}</p>
      <div className="row">
        <button type="button" className={props.danger ? "danger" : "primary"} data-action={props.action} disabled={props.busy} onClick={props.onConfirm}>
          {props.confirm}
        </button>
        <button type="button" onClick={props.onCancel}>
          {props.cancel}
        </button>
      </div>
    </div>
  );
}
