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
import { microsoftAccessToken, type SignInOptions } from '../api/microsoft-sign-in';
import { ApiError } from '../api/problem';
import type { Me } from '../api/contract';
import { usePane, useI18n } from './context';
import { ProblemBar } from './ProblemBar';

const useStyles = makeStyles({
  form: { display: 'flex', flexDirection: 'column', gap: tokens.spacingVerticalM },
  header: { display: 'flex', justifyContent: 'space-between', alignItems: 'center', gap: tokens.spacingHorizontalS },
});

type Phase = 'checking' | 'signedOut' | 'signedIn' | 'unreachable';

/** How the stored token was obtained: a Microsoft 365 token can be renewed without asking. */
const MODE_KEY = 'auth.mode';

/** The server's sign-in options, asked once per pane. */
let options: Promise<SignInOptions> | null = null;
function useSignInOptions(): SignInOptions | null {
  const { client } = usePane();
  const [value, setValue] = useState<SignInOptions | null>(null);
  useEffect(() => {
    let live = true;
    options ??= client.get('/auth/config').catch(() => {
      options = null;
      return { microsoft: null };
    });
    void options.then((o) => live && setValue(o));
    return () => {
      live = false;
    };
  }, [client]);
  return value;
}

/** A fresh Microsoft 365 token without any prompt, stored for the API client; false when that is not possible. */
async function renewMicrosoftToken(storage: { get(k: string): string | null; set(k: string, v: string): void }): Promise<boolean> {
  if (storage.get(MODE_KEY) !== 'microsoft' || !options) return false;
  const config = (await options).microsoft;
  if (!config) return false;
  try {
    storage.set(TOKEN_KEY, await microsoftAccessToken(config, { interactive: false }));
    return true;
  } catch {
    return false;
  }
}

function SignInForm({ again, onSignedIn, rejected = false }: { again: boolean; onSignedIn: (me: Me) => void; rejected?: boolean }) {
  const styles = useStyles();
  const i18n = useI18n();
  const { client, host } = usePane();
  const [token, setToken] = useState('');
  const [busy, setBusy] = useState(false);
  const [fieldError, setFieldError] = useState<string | undefined>(rejected ? i18n.t('signin.rejected') : undefined);
  const [error, setError] = useState<unknown>(null);
  const signInOptions = useSignInOptions();
  const microsoft = signInOptions?.microsoft ?? null;

  const withMicrosoft = async () => {
    if (!microsoft) return;
    setBusy(true);
    setFieldError(undefined);
    setError(null);
    try {
      const accessToken = await microsoftAccessToken(microsoft, { interactive: true });
      host.info.storage.set(TOKEN_KEY, accessToken);
      host.info.storage.set(MODE_KEY, 'microsoft');
      onSignedIn(await client.me());
    } catch (e) {
      host.info.storage.remove(MODE_KEY);
      setError(
        e instanceof ApiError ? e : new Error(i18n.t('signin.microsoftFailed', { reason: e instanceof Error ? e.message : String(e) })),
      );
    } finally {
      setBusy(false);
    }
  };

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
      host.info.storage.remove(MODE_KEY);
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
      {microsoft ? (
        <>
          <div>
            <Button appearance="primary" disabled={busy} onClick={() => void withMicrosoft()}>
              {i18n.t('signin.microsoft')}
            </Button>
          </div>
          <Caption1>{i18n.t('signin.or')}</Caption1>
        </>
      ) : null}
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
        <Button appearance={microsoft ? 'secondary' : 'primary'} type="submit" disabled={busy}>
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
      if (e instanceof ApiError && e.code === 'unauthorized' && (await renewMicrosoftToken(host.info.storage))) {
        try {
          setMe(await client.me());
          setPhase('signedIn');
          return;
        } catch {
          // fall through to signing in again
        }
      }
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
      if (phaseRef.current !== 'signedIn') return;
      // A Microsoft 365 token expires within the hour: renew it quietly before asking the user.
      void renewMicrosoftToken(host.info.storage).then((renewed) => {
        if (renewed) void client.flushQueue();
        else setAgain(true);
      });
    };
    authEvents.addEventListener('unauthorized', handler);
    return () => authEvents.removeEventListener('unauthorized', handler);
  }, [authEvents, client, host]);

  const signedIn = (who: Me) => {
    setMe(who);
    setAgain(false);
    setRejected(false);
    setPhase('signedIn');
    void client.flushQueue();
  };

  const signOut = () => {
    host.info.storage.remove(TOKEN_KEY);
    host.info.storage.remove(MODE_KEY);
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
