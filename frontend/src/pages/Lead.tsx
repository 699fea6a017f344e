/** A lead's profile: who they are (sensitive fields masked), the matched profile, and the signal timeline. */
import { useInfiniteQuery, useQuery } from "@tanstack/react-query";
import { Link, useParams } from "react-router-dom";
import { ApiError, request } from "../api/client";
import { useSignalActions } from "../api/signals";
import type { LeadDetail, Page, TimelineSignal } from "../api/types";
import { useAuth } from "../auth/AuthContext";
import { can } from "../auth/roles";
import { DataExportButtons, OptOutControl } from "../components/LeadCompliance";
import { LeadOutcomes } from "../components/LeadOutcomes";
import { SensitiveField } from "../components/SensitiveField";
import { SignalCard } from "../components/SignalCard";
import { ErrorState, NotAllowed, Spinner } from "../components/States";
import { formatDate, formatMoney, formatPercent } from "../lib/format";

function Field({ label, children }: { label: string; children: React.ReactNode }) {
  return (
    <div>
      <dt className="text-slate-600">{label}</dt>
      <dd className="break-words">{children ?? "—"}</dd>
    </div>
  );
}

function safeHttp(url: string | null | undefined): string | null {
  if (!url) return null;
  try {
    const u = new URL(url.includes("://") ? url : `https://${url}`);
    return u.protocol === "https:" || u.protocol === "http:" ? u.toString() : null;
  } catch {
    return null;
  }
}

function lastPayment(l: LeadDetail): string {
  const date = l.agency_last_payment_date ?? l.pcg_last_payment_date;
  if (l.last_payment_amount == null) return date ? formatDate(date) : "—";
  return date ? `${formatMoney(l.last_payment_amount)} on ${formatDate(date)}` : formatMoney(l.last_payment_amount);
}

export function LeadPage() {
  const { leadId = "" } = useParams();
  const { user } = useAuth();
  const id = /^\d+$/.test(leadId) ? Number(leadId) : null;

  const lead = useQuery({
    queryKey: ["lead", id],
    queryFn: () => request<LeadDetail>(`/leads/${id}`),
    enabled: id !== null,
  });
  const timeline = useInfiniteQuery({
    queryKey: ["signals", "timeline", id],
    queryFn: ({ pageParam }) =>
      request<Page<TimelineSignal>>(`/leads/${id}/timeline`, { query: { cursor: pageParam ?? undefined } }),
    initialPageParam: null as string | null,
    getNextPageParam: (last) => last.next_cursor,
    enabled: lead.isSuccess,
  });
  const { actions, error: actionError } = useSignalActions();

  // The API answers 404 for a lead outside the caller's teams, exactly as for a missing one,
  // so that ids cannot be probed; the screen says both possibilities plainly.
  if (id === null || (lead.error instanceof ApiError && (lead.error.isNotFound || lead.error.isForbidden))) {
    return (
      <NotAllowed
        what="this lead"
        reason="You cannot open this lead: it is not assigned to you or your team, or it no longer exists."
      />
    );
  }
  if (lead.isPending) return <Spinner label="Loading lead…" />;
  if (lead.isError) return <ErrorState error={lead.error} retry={() => void lead.refetch()} />;

  const l = lead.data;
  const signals = timeline.data?.pages.flatMap((p) => p.items) ?? [];
  const latestMatch = signals.find((s) => s.match_confidence !== null)?.match_confidence ?? null;
  const profileHref = safeHttp(l.linkedin_url);
  const domainHref = safeHttp(l.company_domain ?? null);
  const mayReveal = !!user && can.revealSensitive(user.role);
  const complianceTools = !!user && can.viewCompliance(user.role);

  return (
    <article aria-labelledby="lead-title">
      <nav aria-label="Breadcrumb" className="mb-2 text-sm">
        <Link to="/" className="text-blue-800 underline">
          Live feed
        </Link>{" "}
        / <span aria-current="page">{l.debtor_name}</span>
      </nav>
      <header className="mb-4 flex flex-wrap items-center gap-3">
        <h1 id="lead-title" className="text-2xl font-bold">
          {l.debtor_name}
        </h1>
        {l.do_not_scrape ? (
          <span className="rounded-full bg-red-100 px-2 py-0.5 text-xs font-semibold text-red-900 ring-1 ring-red-300">
            Opted out — not monitored
          </span>
        ) : (
          <span className="rounded-full bg-green-100 px-2 py-0.5 text-xs font-semibold text-green-900 ring-1 ring-green-300">
            Monitored
          </span>
        )}
      </header>

      <div className="grid gap-4 lg:grid-cols-3">
        <section aria-labelledby="details-title" className="card p-4 lg:col-span-2">
          <h2 id="details-title" className="mb-3 text-lg font-semibold">
            Account
          </h2>
          <dl className="grid grid-cols-1 gap-x-6 gap-y-2 text-sm sm:grid-cols-2">
            <Field label="Agency ID">{l.agency_id_number}</Field>
            <Field label="Creditor">{l.org_creditor}</Field>
            <Field label="Total due">{formatMoney(l.total_due)}</Field>
            <Field label="Delinquent since">{formatDate(l.delinquent_since)}</Field>
            <Field label="Last payment">{lastPayment(l)}</Field>
            <Field label="Account status">{l.status_description}</Field>
            <SensitiveField leadId={l.id} field="tax_id" label="SSN / tax ID" masked={l.tax_id} canReveal={mayReveal} />
            <SensitiveField leadId={l.id} field="loan_number" label="Loan number" masked={l.loan_number} canReveal={mayReveal} />
            <SensitiveField
              leadId={l.id}
              field="dob"
              label="Date of birth"
              masked={l.birth_year ? `Born ${l.birth_year}` : null}
              canReveal={mayReveal}
            />
            <Field label="Location">{[l.address, l.city, l.state, l.zip].filter(Boolean).join(", ") || "—"}</Field>
            <Field label="Phone">{[l.phone_1, l.phone_2].filter(Boolean).join(" · ") || "—"}</Field>
            <Field label="E-mail">{l.email}</Field>
          </dl>
        </section>

        <section aria-labelledby="match-title" className="card p-4">
          <h2 id="match-title" className="mb-3 text-lg font-semibold">
            Matched profile
          </h2>
          <dl className="grid gap-y-2 text-sm">
            <Field label="Profile">
              {profileHref ? (
                <a href={profileHref} target="_blank" rel="noopener noreferrer" className="text-blue-800 underline">
                  {l.linkedin_url}
                </a>
              ) : (
                "No confirmed profile yet"
              )}
            </Field>
            <Field label="Match confidence">{formatPercent(latestMatch)}</Field>
            <Field label="Opt-out">
              {l.do_not_scrape ? `Opted out${l.do_not_scrape_reason ? ` (${l.do_not_scrape_reason})` : ""}` : "Not opted out"}
            </Field>
            <Field label="Company domain">
              {domainHref ? (
                <a href={domainHref} target="_blank" rel="noopener noreferrer" className="text-blue-800 underline">
                  {l.company_domain}
                </a>
              ) : (
                "—"
              )}
            </Field>
            <Field label="About the company">{l.company_about ? <span className="line-clamp-6">{l.company_about}</span> : "—"}</Field>
          </dl>
        </section>
      </div>

      {complianceTools && (
        <section aria-labelledby="compliance-title" className="card mt-4 space-y-3 p-4">
          <h2 id="compliance-title" className="text-lg font-semibold">
            Compliance
          </h2>
          <DataExportButtons leadId={l.id} />
          <OptOutControl leadId={l.id} optedOut={l.do_not_scrape} />
        </section>
      )}

      <section aria-labelledby="timeline-title" className="mt-6">
        <h2 id="timeline-title" className="mb-3 text-lg font-semibold">
          Signal timeline
        </h2>
        {actionError && <ErrorState error={actionError} />}
        {timeline.isPending && <Spinner label="Loading timeline…" />}
        {timeline.isError && <ErrorState error={timeline.error} retry={() => void timeline.refetch()} />}
        {timeline.isSuccess && signals.length === 0 && <p className="card p-4 text-slate-700">No signals for this lead yet.</p>}
        <ol className="relative space-y-3 border-l-2 border-slate-300 pl-4" aria-label="Signals, newest first">
          {signals.map((s) => (
            <li key={s.id} className="relative">
              <span aria-hidden="true" className="absolute -left-[1.4rem] top-5 h-3 w-3 rounded-full border-2 border-white bg-blue-700" />
              <SignalCard
                signal={{ ...s, lead_name: l.debtor_name, team_id: l.team_id }}
                showLead={false}
                actions={user && can.actOnSignals(user.role) ? actions : undefined}
              />
            </li>
          ))}
        </ol>
        {timeline.hasNextPage && (
          <button type="button" className="btn-secondary mt-3" onClick={() => void timeline.fetchNextPage()}>
            Older signals
          </button>
        )}
      </section>
      <LeadOutcomes leadId={l.id} />
    </article>
  );
}
