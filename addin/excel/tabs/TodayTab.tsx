// Today: due and overdue follow-ups. The list arrives with the follow-ups API; until then the
// empty state says where they come from.
import { EmptyState } from '../../ui/EmptyState';
import { useI18n } from '../../ui/context';

export default function TodayTab() {
  const i18n = useI18n();
  return <EmptyState title={i18n.t('today.title')} description={i18n.t('today.empty')} />;
}
