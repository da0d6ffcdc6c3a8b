import { MessageBar, MessageBarBody } from '@fluentui/react-components';
import { useI18n } from './context';
import { explain } from './errors';

/** A failure as a MessageBar: what happened, what to do, and the request id for support. */
export function ProblemBar({ error }: { error: unknown }) {
  const i18n = useI18n();
  if (!error) return null;
  const { message, requestId } = explain(error, i18n);
  return (
    <MessageBar intent="error" role="alert">
      <MessageBarBody>
        {message}
        {requestId ? <div>{i18n.t('common.requestId', { id: requestId })}</div> : null}
      </MessageBarBody>
    </MessageBar>
  );
}
