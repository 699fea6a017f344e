/**
 * A secret the server shows exactly once (a webhook signing secret, an OAuth client secret): in a
 * dialog with a copy button. It lives only in the caller's state, never in the query cache, and is
 * gone when the dialog closes.
 */
import { useId, useState } from "react";
import { Modal } from "./Modal";

export interface SecretField {
  label: string;
  value: string;
}

async function copyText(text: string): Promise<boolean> {
  try {
    await navigator.clipboard.writeText(text);
    return true;
  } catch {
    return false; // no clipboard permission (or an insecure context): the field stays selectable
  }
}

export function OneTimeSecret({ title, fields, onClose }: { title: string; fields: SecretField[]; onClose: () => void }) {
  const id = useId();
  const [status, setStatus] = useState("");

  return (
    <Modal title={title} description="This secret is shown only now. Copy it into the CRM's configuration before you close this dialog." onClose={onClose}>
      <div className="space-y-3">
        {fields.map((f, i) => (
          <div key={f.label}>
            <label htmlFor={`${id}-${i}`} className="field-label">
              {f.label}
            </label>
            <div className="flex gap-2">
              <input
                id={`${id}-${i}`}
                readOnly
                value={f.value}
                data-autofocus={i === fields.length - 1 ? true : undefined}
                onFocus={(e) => e.currentTarget.select()}
                className="field-input min-w-0 flex-1 font-mono"
                spellCheck={false}
                autoComplete="off"
              />
              <button
                type="button"
                className="btn-secondary shrink-0"
                aria-label={`Copy ${f.label.toLowerCase()}`}
                onClick={() => void copyText(f.value).then((ok) => setStatus(ok ? `${f.label} copied.` : `Could not copy: select the ${f.label.toLowerCase()} and copy it by hand.`))}
              >
                Copy
              </button>
            </div>
          </div>
        ))}
        <p role="status" className="min-h-[1.25rem] text-sm text-green-800">
          {status}
        </p>
        <div className="flex justify-end">
          <button type="button" className="btn-primary" onClick={onClose}>
            I have stored it
          </button>
        </div>
      </div>
    </Modal>
  );
}
