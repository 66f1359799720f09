import { DescriptionList, DescriptionListItem, Divider, Flex, Heading, List, ProgressBar, StatusTag, Table, TableBody, TableCell, TableHead, TableHeader, TableRow, Text } from '@hubspot/ui-extensions';
import type { CardHandOff, CardView } from './contract';
import { actorLabel, formatPoints, HAND_OFF_MODE, formatTime, historyLine, reasonGroups, slaLine, STATUS_VARIANT, statusNames, thresholdBar, VERDICT_LABEL } from './format';

/** The read-only parts of the card, each a plain function of the view (the buttons are in Card.tsx). */

export interface Locale {
  locale: string | undefined;
  timeZone: string | undefined;
}

export function Summary({ view, where }: { view: CardView; where: Locale }) {
  return (
    <Flex direction="column" gap="sm">
      <Flex direction="row" gap="sm" align="center">
        <StatusTag variant={STATUS_VARIANT[view.status]} testId="status">
          {view.statusLabel}
        </StatusTag>
        <Text variant="microcopy" testId="evaluated">
          Definition version {view.definitionVersion}, evaluated {formatTime(view.evaluatedAt, where.locale, where.timeZone)}
        </Text>
      </Flex>
      {view.reEvaluationPending ? <Text testId="pending">Re-evaluation queued: the card updates once it has run.</Text> : null}
      <DescriptionList direction="row">
        <DescriptionListItem label="Total">{formatPoints(view.scores.total)}</DescriptionListItem>
        <DescriptionListItem label="Fit">{formatPoints(view.scores.fit)}</DescriptionListItem>
        <DescriptionListItem label="Engagement">{formatPoints(view.scores.engagement)}</DescriptionListItem>
      </DescriptionList>
    </Flex>
  );
}

/** Each rung of the ladder with its thresholds, then the next status and what would get the contact there. */
export function Ladder({ view }: { view: CardView }) {
  return (
    <Flex direction="column" gap="sm">
      {view.ladder.map((rung) => (
        <Flex key={rung.status} direction="column" gap="xs">
          <Text format={{ fontWeight: 'demibold' }} testId={`rung-${rung.status}`}>
            {rung.label}: {rung.met ? 'met' : 'not met'}
          </Text>
          {rung.thresholds.map((t) => {
            const bar = thresholdBar(t);
            return <ProgressBar key={t.dimension} testId={`bar-${rung.status}-${t.dimension}`} title={bar.title} value={bar.value} maxValue={bar.maxValue} valueDescription={bar.valueDescription} variant={bar.variant} />;
          })}
        </Flex>
      ))}
      {view.next ? (
        <Flex direction="column" gap="xs" testId="next">
          <Text format={{ fontWeight: 'demibold' }}>To reach {view.next.label}:</Text>
          <List variant="unordered">
            {view.next.needs.map((n) => (
              <Text key={n}>{n}</Text>
            ))}
          </List>
        </Flex>
      ) : view.status === 'sales_ready' ? (
        <Text testId="next">Top of the ladder: nothing more is needed.</Text>
      ) : null}
    </Flex>
  );
}

/** The complete reasons, grouped: a rep sees why the lead is where it is without opening anything else. */
export function Reasons({ view }: { view: CardView }) {
  const groups = reasonGroups(view.reasons);
  return (
    <Flex direction="column" gap="sm">
      <Heading>Reasons</Heading>
      {groups.length === 0 ? <Text>No reasons recorded.</Text> : null}
      {groups.map((g) => (
        <Flex key={g.key} direction="column" gap="xs" testId={`reasons-${g.key}`}>
          <Text format={{ fontWeight: 'demibold' }}>{g.title}</Text>
          <List variant="unordered">
            {g.lines.map((line, i) => (
              <Text key={i}>{line}</Text>
            ))}
          </List>
        </Flex>
      ))}
    </Flex>
  );
}

export function HandOff({ handOff, where }: { handOff: CardHandOff; where: Locale }) {
  return (
    <Flex direction="column" gap="sm" testId="handoff">
      <Heading>Hand-off</Heading>
      <DescriptionList direction="row">
        <DescriptionListItem label="Owner">{handOff.ownerId === null ? 'Unassigned' : `Owner ${handOff.ownerId}`}</DescriptionListItem>
        <DescriptionListItem label="In HubSpot">{HAND_OFF_MODE[handOff.mode]}</DescriptionListItem>
        <DescriptionListItem label="Handed off">{formatTime(handOff.handedOffAt, where.locale, where.timeZone)}</DescriptionListItem>
        <DescriptionListItem label="Due">{formatTime(handOff.dueAt, where.locale, where.timeZone)}</DescriptionListItem>
        <DescriptionListItem label="SLA">
          <Text testId="sla">{slaLine(handOff)}</Text>
        </DescriptionListItem>
      </DescriptionList>
      {handOff.breached ? (
        <StatusTag variant="danger" testId="breached">
          SLA breached
        </StatusTag>
      ) : null}
      {handOff.verdict !== null ? (
        <Text testId="verdict">
          {VERDICT_LABEL[handOff.verdict]} by {actorLabel(handOff.verdictBy)}
          {handOff.verdictAt ? `, ${formatTime(handOff.verdictAt, where.locale, where.timeZone)}` : ''}
        </Text>
      ) : null}
    </Flex>
  );
}

/** What a rep reads about how a history row is known (the contract's `origin`). */
const ORIGIN_NOTE: Record<CardView['history'][number]['origin'], string> = {
  live: '',
  first_look: ' (as first seen)',
  replayed: ' (from HubSpot history)',
  before_history: ' (from HubSpot history; reached earlier, date unknown)',
};

export function History({ view, where }: { view: CardView; where: Locale }) {
  if (view.history.length === 0) return null;
  const names = statusNames(view);
  return (
    <Flex direction="column" gap="sm">
      <Divider />
      <Heading>Status history</Heading>
      <Table bordered={false} testId="history">
        <TableHead>
          <TableRow>
            <TableHeader>When</TableHeader>
            <TableHeader>Change</TableHeader>
            <TableHeader>Total</TableHeader>
            <TableHeader>Definition</TableHeader>
          </TableRow>
        </TableHead>
        <TableBody>
          {view.history.map((h, i) => (
            <TableRow key={i}>
              <TableCell>{`${h.origin === 'before_history' ? 'by ' : ''}${formatTime(h.at, where.locale, where.timeZone)}`}</TableCell>
              <TableCell>{`${historyLine(h.from, h.to, names)}${ORIGIN_NOTE[h.origin]}`}</TableCell>
              <TableCell>{formatPoints(h.totalScore)}</TableCell>
              <TableCell>{h.definitionVersion}</TableCell>
            </TableRow>
          ))}
        </TableBody>
      </Table>
    </Flex>
  );
}
