// A failed change, explained: the rule the server applied in the user's language (which documents
// a won deal lacks, whose deal it is, who sets a client's VIP tier and credit limit), else the
// pane's usual problem message.
import { MessageBar, MessageBarBody } from '@fluentui/react-components';
import { useI18n } from '../ui/context';
import { ProblemBar } from '../ui/ProblemBar';
import { accessRules, missingDocuments, type KnownDocument } from './explain';

/** A failed change, explained: the rule it broke in the user's language, else the usual problem bar. */
export function RuleBar({ error, documents }: { error: unknown; documents?: KnownDocument[] }) {
  const i18n = useI18n();
  if (!error) return null;
  const missing = missingDocuments(error, i18n, documents);
  const access = accessRules(error, i18n);
  if (!missing.length && !access.length) return <ProblemBar error={error} />;
  return (
    <MessageBar intent="error" role="alert" data-testid="rule-bar">
      <MessageBarBody>{missing.length ? i18n.t('rule.wonRefused', { documents: missing.join('; ') }) : access.join(' ')}</MessageBarBody>
    </MessageBar>
  );
}
