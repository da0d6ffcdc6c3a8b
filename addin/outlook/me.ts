// Who is signed in: the Outlook pane's views decide from it what to offer (a head of sales sets a
// client's VIP tier and credit limit and may override the won rule; a manager changes only their
// own deals). The server enforces the same rules; the pane only explains them up front.
import { createContext, useContext } from 'react';
import type { Me } from '../api/contract';

export const MeContext = createContext<Me | null>(null);

/** The signed-in user, or null outside the signed-in pane (tests of single components). */
export function useMe(): Me | null {
  return useContext(MeContext);
}

/** Heads of sales and admins: everything in the organisation, the head-only fields included. */
export const isHead = (me: Me | null): boolean => me?.user.role === 'head' || me?.user.role === 'admin';

/** Whether the user may change a deal (or lead) owned by `ownerId`: their own, or any as a head. */
export const mayChange = (me: Me | null, ownerId: unknown): boolean => isHead(me) || (!!me && (ownerId ?? me.user.id) === me.user.id);
