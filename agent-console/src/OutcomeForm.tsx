import { CALLBACK_OUTCOMES, type CallbackOutcome } from "@yixian/contracts";
import { useState } from "react";
import { Choice } from "./Choice.tsx";

/**
 * How a call-back or a caller's message ended — the outcome and an optional note — for the
 * missed-call list and the caller work card; `onDone` gets them once an outcome is chosen.
 */
export function OutcomeForm(props: {
  labelledBy: string;
  texts: { outcome: string; outcomes: Record<CallbackOutcome, string>; note: string; submit: string; submitLabel?: string };
  action: string;
  busy: boolean;
  onDone: (done: { outcome: CallbackOutcome; note?: string }) => void;
}) {
  const { texts } = props;
  const [outcome, setOutcome] = useState<CallbackOutcome | "">("");
  const [note, setNote] = useState("");
  return (
    <form
      className="missed-outcome"
      aria-labelledby={props.labelledBy}
      onSubmit={(e) => {
        e.preventDefault();
        if (outcome) props.onDone({ outcome, ...(note.trim() ? { note: note.trim() } : {}) });
      }}
    >
      <Choice label={texts.outcome} name="outcome" value={outcome} none="—" options={CALLBACK_OUTCOMES.map((o) => ({ value: o, text: texts.outcomes[o] }))} onChange={setOutcome} />
      <label>
        {texts.note}
        <input type="text" name="note" maxLength={1000} value={note} onChange={(e) => setNote(e.target.value)} />
      </label>
      <button type="submit" className="primary" data-action={props.action} aria-label={texts.submitLabel} disabled={props.busy || !outcome}>
        {texts.submit}
      </button>
    </form>
  );
}
