// Settings, in both panes, for heads of sales and admins (the panes do not offer it to managers,
// and the API refuses them): users, personal tokens, the Microsoft 365 tenant link (admins),
// web forms, quotas, competitors, document packages and privacy requests. Each section loads
// when it is opened; every change goes through the API, which audits it.
import {
  Accordion,
  AccordionHeader,
  AccordionItem,
  AccordionPanel,
  Body1,
  Subtitle1,
  makeStyles,
  tokens,
} from '@fluentui/react-components';
import type { ComponentType } from 'react';
import type { Me } from '../../api/contract';
import { useI18n } from '../context';
import type { MessageKey } from '../i18n';
import { CompetitorsSection } from './CompetitorsSection';
import { DocumentsSection } from './DocumentsSection';
import { FormsSection } from './FormsSection';
import { PrivacySection } from './PrivacySection';
import { QuotasSection } from './QuotasSection';
import type { SectionProps } from './settings-kit';
import { TenantSection } from './TenantSection';
import { TokensSection } from './TokensSection';
import { UsersSection } from './UsersSection';

const useStyles = makeStyles({
  root: { display: 'flex', flexDirection: 'column', gap: tokens.spacingVerticalS },
  panel: { paddingBottom: tokens.spacingVerticalM },
});

type SectionId = 'users' | 'tokens' | 'microsoft' | 'forms' | 'quotas' | 'competitors' | 'documents' | 'privacy';
const SECTIONS: Array<{ id: SectionId; Component: ComponentType<SectionProps>; adminOnly?: boolean }> = [
  { id: 'users', Component: UsersSection },
  { id: 'tokens', Component: TokensSection },
  { id: 'microsoft', Component: TenantSection, adminOnly: true },
  { id: 'forms', Component: FormsSection },
  { id: 'quotas', Component: QuotasSection },
  { id: 'competitors', Component: CompetitorsSection },
  { id: 'documents', Component: DocumentsSection },
  { id: 'privacy', Component: PrivacySection },
];

export default function SettingsView({ me }: { me: Me }) {
  const styles = useStyles();
  const i18n = useI18n();
  const sections = SECTIONS.filter((s) => !s.adminOnly || me.user.role === 'admin');
  return (
    <section className={styles.root} aria-labelledby="settings-title">
      <Subtitle1 as="h2" id="settings-title">
        {i18n.t('st.title')}
      </Subtitle1>
      <Body1>{i18n.t('st.intro')}</Body1>
      <Accordion multiple collapsible defaultOpenItems={['users']}>
        {sections.map(({ id, Component }) => (
          <AccordionItem key={id} value={id}>
            <AccordionHeader as="h3" id={`settings-${id}`}>
              {i18n.t(`st.${id}` as MessageKey)}
            </AccordionHeader>
            <AccordionPanel className={styles.panel}>
              <Component me={me} />
            </AccordionPanel>
          </AccordionItem>
        ))}
      </Accordion>
    </section>
  );
}
