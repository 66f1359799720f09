import { Alert, Button, Divider, Flex, LoadingButton, LoadingSpinner, Select, Text } from '@hubspot/ui-extensions';
import { useCallback, useEffect, useRef, useState } from 'react';
import { callBackend, type CardCall } from './api';
import type { CardVerdict, CardView } from './contract';
import { REJECT_REASONS } from './format';
import { HandOff, History, Ladder, Reasons, Summary, type Locale } from './Sections';

/**
 * The qualification card on a contact record: it loads the contact's CardView from the backend and renders it;
 * Accept, Reject and Re-evaluate now post to the backend and re-render from the card it answers with. It never
 * computes qualification itself (card/src/contract.ts).
 */

/** What the card needs of HubSpot's `context` and `actions` (a subset, so tests and the dashboard can supply it). */
export interface CardProps {
  context: {
    user: { id: number; email: string; locale?: string };
    portal: { id: number; timezone: string };
    crm: { objectId: number };
  };
  actions: { refreshObjectProperties: () => void };
}

type Busy = 'load' | 'accept' | 'reject' | 're-evaluate' | null;

export function Card({ context, actions }: CardProps) {
  const contactId = String(context.crm.objectId);
  const { id: portalId } = context.portal;
  const { id: userId, email: userEmail } = context.user;
  const where: Locale = { locale: context.user.locale, timeZone: context.portal.timezone };
  const [view, setView] = useState<CardView | null>(null);
  const [error, setError] = useState<{ title: string; message: string; notFound: boolean } | null>(null);
  const [note, setNote] = useState<string | null>(null);
  const [busy, setBusy] = useState<Busy>('load');
  const [reason, setReason] = useState<Exclude<CardVerdict, 'accepted'> | null>(null);
  // Read at call time: a new actions object from the host must not reload the card.
  const actionsRef = useRef(actions);
  actionsRef.current = actions;

  const run = useCallback(
    async (c: CardCall, what: Exclude<Busy, null>) => {
      setBusy(what);
      setNote(null);
      const answer = await callBackend(c, { portalId, userId, userEmail });
      setBusy(null);
      if (!answer.ok) {
        setError({ title: what === 'load' ? 'The qualification could not be loaded' : 'The action did not go through', message: answer.error.message, notFound: answer.error.code === 'not_found' });
        return;
      }
      setError(null);
      setView(answer.card);
      if (what === 'load') return;
      if (answer.changed === false) setNote('Already recorded: nothing changed.');
      else if (what === 're-evaluate') setNote(answer.queued ? 'Re-evaluation queued.' : 'Re-evaluated.');
      else setNote('Verdict recorded.');
      // The backend wrote uld_* properties: the record page shows them once HubSpot re-reads it.
      actionsRef.current.refreshObjectProperties();
    },
    [portalId, userId, userEmail],
  );

  useEffect(() => {
    void run({ kind: 'view', contactId }, 'load');
  }, [run, contactId]);

  if (view === null && busy === 'load') return <LoadingSpinner label="Loading the qualification" layout="centered" />;

  const alert = error ? (
    <Alert title={error.title} variant={error.notFound ? 'info' : 'error'} testId="error">
      {error.message}
    </Alert>
  ) : null;

  if (view === null) {
    return (
      <Flex direction="column" gap="sm">
        {alert}
        <Flex direction="row" gap="sm">
          <Button testId="retry" onClick={() => void run({ kind: 'view', contactId }, 'load')}>
            Try again
          </Button>
          {error?.notFound ? (
            <LoadingButton testId="re-evaluate" loading={busy === 're-evaluate'} disabled={busy !== null} onClick={() => void run({ kind: 're-evaluate', contactId }, 're-evaluate')}>
              Re-evaluate now
            </LoadingButton>
          ) : null}
        </Flex>
      </Flex>
    );
  }

  const { accept, reject, reEvaluate } = view.actions;
  return (
    <Flex direction="column" gap="md">
      {alert}
      {note ? <Text testId="note">{note}</Text> : null}
      <Summary view={view} where={where} />
      <Ladder view={view} />
      {view.handOff ? <HandOff handOff={view.handOff} where={where} /> : null}
      {accept || reject || reEvaluate ? (
        <Flex direction="row" gap="sm" align="end" wrap>
          {accept ? (
            <LoadingButton testId="accept" variant="primary" loading={busy === 'accept'} disabled={busy !== null} onClick={() => void run({ kind: 'verdict', contactId, verdict: 'accepted' }, 'accept')}>
              Accept
            </LoadingButton>
          ) : null}
          {reject ? (
            <>
              <Select testId="reject-reason" label="Reject because" placeholder="Choose a reason" options={REJECT_REASONS} value={reason ?? undefined} onChange={(v) => setReason(REJECT_REASONS.find((r) => r.value === v)?.value ?? null)} />
              <LoadingButton testId="reject" variant="destructive" loading={busy === 'reject'} disabled={busy !== null || reason === null} onClick={() => {
                  if (reason !== null) void run({ kind: 'verdict', contactId, verdict: reason }, 'reject');
                }}>
                Reject
              </LoadingButton>
            </>
          ) : null}
          {reEvaluate ? (
            <LoadingButton testId="re-evaluate" variant="secondary" loading={busy === 're-evaluate'} disabled={busy !== null} onClick={() => void run({ kind: 're-evaluate', contactId }, 're-evaluate')}>
              Re-evaluate now
            </LoadingButton>
          ) : null}
        </Flex>
      ) : null}
      <Divider />
      <Reasons view={view} />
      <History view={view} where={where} />
    </Flex>
  );
}
