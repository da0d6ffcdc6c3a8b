import { Body1, Subtitle2, makeStyles, tokens } from '@fluentui/react-components';
import type { ReactNode } from 'react';

const useStyles = makeStyles({
  root: {
    display: 'flex',
    flexDirection: 'column',
    gap: tokens.spacingVerticalS,
    padding: `${tokens.spacingVerticalS} 0`,
  },
  text: { margin: 0 },
});

/** A screen that says what to do: a title, one sentence, the action, then any results. */
export function EmptyState({
  title,
  description,
  actions,
  children,
}: {
  title: string;
  description: string;
  actions?: ReactNode;
  children?: ReactNode;
}) {
  const styles = useStyles();
  return (
    <section className={styles.root} aria-label={title}>
      <Subtitle2 as="h2">{title}</Subtitle2>
      <Body1 as="p" className={styles.text}>
        {description}
      </Body1>
      {actions}
      {children}
    </section>
  );
}
