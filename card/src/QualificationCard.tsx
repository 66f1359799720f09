import { hubspot } from '@hubspot/ui-extensions';
import { Card } from './Card';

/**
 * The card's entry (`config.entrypoint` in qualification-card-hsmeta.json): HubSpot runs it in its extension
 * worker and calls this with the record's context and the tab's actions (crm.record.tab, contacts).
 */
hubspot.extend<'crm.record.tab'>(({ context, actions }) => <Card context={context} actions={actions} />);
