/** A masked identifier with a Reveal button for the roles allowed to see it; every reveal is audited server-side. */
import { useMutation } from "@tanstack/react-query";
import { useState } from "react";
import { request } from "../api/client";

export interface RevealResult {
  lead_id: number;
  field: string;
  value: string | null;
}

export function SensitiveField({
  leadId,
  field,
  label,
  masked,
  canReveal,
}: {
  leadId: number;
  field: "tax_id" | "dob" | "loan_number";
  label: string;
  masked: string | null | undefined;
  canReveal: boolean;
}) {
  const [value, setValue] = useState<string | null>(null);
  const reveal = useMutation({
    mutationFn: () => request<RevealResult>(`/leads/${leadId}/reveal`, { method: "POST", body: { field } }),
    onSuccess: (res) => setValue(res.value ?? "—"),
  });
  const shown = value ?? masked ?? (canReveal ? "Hidden" : "—");
  return (
    <div>
      <dt className="text-slate-600">{label}</dt>
      <dd className="flex flex-wrap items-center gap-2">
        <span className="font-mono tabular-nums" data-testid={`field-${field}`}>
          {shown}
        </span>
        {canReveal && value === null && (
          <button
            type="button"
            className="rounded px-1.5 py-0.5 text-sm font-medium text-blue-800 underline hover:bg-blue-50"
            onClick={() => reveal.mutate()}
            disabled={reveal.isPending}
          >
            Reveal<span className="sr-only"> {label}</span>
          </button>
        )}
        {value !== null && (
          <button
            type="button"
            className="rounded px-1.5 py-0.5 text-sm font-medium text-blue-800 underline hover:bg-blue-50"
            onClick={() => setValue(null)}
          >
            Hide<span className="sr-only"> {label}</span>
          </button>
        )}
        {reveal.isError && (
          <span role="alert" className="text-sm text-red-800">
            {reveal.error.message}
          </span>
        )}
      </dd>
    </div>
  );
}
