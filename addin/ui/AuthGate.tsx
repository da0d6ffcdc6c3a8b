// Sign-in with a personal token, kept per user in partitioned storage and checked with GET /me.
// A 401 later shows the sign-in form above the pane, whose content stays mounted (inert) so
// nothing the user typed is lost.
import {
  Body1,
  Button,
  Caption1,
  Field,
  Input,
  Link,
  MessageBar,
  MessageBarBody,
  MessageBarTitle,
  Spinner,
  Subtitle1,
  makeStyles,
  tokens,
} from '@fluentui/react-components';
import { useCallback, useEffect, useRef, useState, type FormEvent, type ReactNode } from 'react';
import { TOKEN_KEY } from '../api/client';
import { ApiError } from '../api/problem';
import type { Me } from '../api/types';
import { usePane, useI18n } from './context';
import { ProblemBar } from './ProblemBar';

const useStyles = makeStyles({
  form: { display: 'flex', flexDirection: 'column', gap: tokens.spacingVerticalM },
  header: { display: 'flex', justifyContent: 'space-between', alignItems: 'center', gap: tokens.spacingHorizontalS },
});

type Phase = 'checking' | 'signedOut' | 'signedIn' | 'unreachable';

function SignInForm({ again, onSignedIn, rejected = false }: { again: boolean; onSignedIn: (me: Me) => void; rejected?: boolean }) {
  const styles = useStyles();
  const i18n = useI18n();
  const { client, host } = usePane();
  const [token, setToken] = useState('');
  const [busy, setBusy] = useState(false);
  const [fieldError, setFieldError] = useState<string | undefined>(rejected ? i18n.t('signin.rejected') : undefined);
  const [error, setError] = useState<unknown>(null);

  const submit = async (event: FormEvent) => {
    event.preventDefault();
    const value = token.trim();
    if (!value) {
      setFieldError(i18n.t('signin.empty'));
      return;
    }
    setBusy(true);
    setFieldError(undefined);
    setError(null);
    const previous = host.info.storage.get(TOKEN_KEY);
    host.info.storage.set(TOKEN_KEY, value);
    try {
      const me = await client.me();
      onSignedIn(me);
    } catch (e) {
      if (e instanceof ApiError && e.code === 'unauthorized') {
        setFieldError(i18n.t('signin.rejected'));
        if (previous) host.info.storage.set(TOKEN_KEY, previous);
        else host.info.storage.remove(TOKEN_KEY);
      } else setError(e);
    } finally {
      setBusy(false);
    }
  };

  return (
    <form className={styles.form} onSubmit={(e) => void submit(e)} aria-labelledby="signin-title">
      {again ? (
        <MessageBar intent="warning">
          <MessageBarBody>
            <MessageBarTitle id="signin-title">{i18n.t('signin.againTitle')}</MessageBarTitle>
            {i18n.t('signin.againBody')}
          </MessageBarBody>
        </MessageBar>
      ) : (
        <>
          <Subtitle1 as="h1" id="signin-title">
            {i18n.t('signin.title')}
          </Subtitle1>
          <Body1>{i18n.t('signin.intro')}</Body1>
        </>
      )}
      <Field
        label={i18n.t('signin.tokenLabel')}
        hint={i18n.t('signin.tokenHint')}
        validationMessage={fieldError}
        validationState={fieldError ? 'error' : 'none'}
        required
      >
        <Input
          type="password"
          value={token}
          autoComplete="off"
          spellCheck={false}
          onChange={(_, data) => setToken(data.value)}
          name="token"
        />
      </Field>
      <ProblemBar error={error} />
      <div>
        <Button appearance="primary" type="submit" disabled={busy}>
          {busy ? i18n.t('signin.checking') : i18n.t('signin.submit')}
        </Button>
      </div>
    </form>
  );
}

/** Renders `children(me)` once signed in. */
export function AuthGate({ children }: { children: (me: Me) => ReactNode }) {
  const styles = useStyles();
  const i18n = useI18n();
  const { client, host, authEvents } = usePane();
  const [phase, setPhase] = useState<Phase>('checking');
  const [me, setMe] = useState<Me | null>(null);
  const [again, setAgain] = useState(false);
  const [rejected, setRejected] = useState(false);
  const [error, setError] = useState<unknown>(null);
  const phaseRef = useRef(phase);
  phaseRef.current = phase;

  const check = useCallback(async () => {
    if (!host.info.storage.get(TOKEN_KEY)) {
      setPhase('signedOut');
      return;
    }
    setPhase('checking');
    try {
      setMe(await client.me());
      setPhase('signedIn');
    } catch (e) {
      if (e instanceof ApiError && e.code === 'unauthorized') {
        host.info.storage.remove(TOKEN_KEY);
        setError(null);
        setRejected(true);
        setPhase('signedOut');
      } else {
        setError(e);
        setPhase('unreachable');
      }
    }
  }, [client, host]);

  useEffect(() => {
    void check();
  }, [check]);

  useEffect(() => {
    const handler = () => {
      if (phaseRef.current === 'signedIn') setAgain(true);
    };
    authEvents.addEventListener('unauthorized', handler);
    return () => authEvents.removeEventListener('unauthorized', handler);
  }, [authEvents]);

  const signedIn = (who: Me) => {
    setMe(who);
    setAgain(false);
    setRejected(false);
    setPhase('signedIn');
    void client.flushQueue();
  };

  const signOut = () => {
    host.info.storage.remove(TOKEN_KEY);
    setMe(null);
    setAgain(false);
    setPhase('signedOut');
  };

  if (phase === 'checking') return <Spinner label={i18n.t('common.loading')} />;
  if (phase === 'unreachable')
    return (
      <>
        <ProblemBar error={error} />
        <div>
          <Button onClick={() => void check()}>{i18n.t('common.retry')}</Button>
        </div>
      </>
    );
  if (phase === 'signedOut' || !me) return <SignInForm again={false} rejected={rejected} onSignedIn={signedIn} />;

  return (
    <>
      {again ? <SignInForm again onSignedIn={signedIn} /> : null}
      <div className={styles.header}>
        <Caption1>{i18n.t('signin.signedInAs', { name: me.user.name || me.user.email, org: me.org.name })}</Caption1>
        <Link as="button" onClick={signOut}>
          {i18n.t('common.signOut')}
        </Link>
      </div>
      <div inert={again} aria-hidden={again || undefined}>
        {children(me)}
      </div>
    </>
  );
}
