import type { Me } from '../../api/contract';

/** Settings is for heads of sales and admins; managers work without it (the API refuses them too). */
export const hasSettings = (me: Me) => me.user.role === 'head' || me.user.role === 'admin';
