/**
 * The token auth method (`auth/token/`): create child and orphan tokens, look tokens up by id or
 * accessor, renew and revoke them — what `vault token create -policy=app` and clients' token
 * helpers call.
 */
import { VaultError, userError } from './errors.js';
import type { Endpoint, HandlerContext } from './endpoint.js';
import type { LogicalResponse } from './envelope.js';
import type { TokenRecord } from './state.js';
import { createToken, lookupData, renew, revocation } from './tokens.js';

const CREATE_FIELDS = {
  id: 'string',
  role_name: 'string',
  policies: 'strings',
  meta: 'map',
  no_parent: 'bool',
  no_default_policy: 'bool',
  ttl: 'duration',
  type: 'string',
  explicit_max_ttl: 'duration',
  display_name: 'string',
  num_uses: 'int',
  period: 'duration',
  renewable: { type: 'bool', default: true },
  lease: 'duration',
  entity_alias: 'string',
} as const;

/** A live token record by id, or undefined (unknown, revoked or expired). */
export type TokenResolver = (id: string) => TokenRecord | undefined | 'root';

export function authTokenEndpoints(resolve: TokenResolver, rootCreatedAt: () => number): Endpoint[] {
  const lookup = (ctx: HandlerContext, id: string): LogicalResponse => {
    if (!id) throw userError('missing token ID');
    // The caller's own token was resolved for this request (its last use may just have revoked it).
    const t = id === ctx.caller.id ? (ctx.caller.record ?? 'root') : resolve(id);
    // Vault answers an unknown token here with its error response and a permission-denied status.
    if (!t) throw new VaultError(403, ['bad token']);
    return { data: lookupData(t === 'root' ? undefined : t, ctx.caller, id, ctx.now, rootCreatedAt()) };
  };
  const self = (ctx: HandlerContext) => lookup(ctx, ctx.caller.id);
  const other = (ctx: HandlerContext) => lookup(ctx, ctx.data.string('token') || ctx.caller.id);
  const revoke = (ctx: HandlerContext, id: string): null => {
    if (!id) throw userError('missing token ID');
    const t = resolve(id);
    if (t === 'root') throw userError('kmskit does not revoke the root token; restart with another VAULT_DEV_ROOT_TOKEN_ID instead');
    if (t) ctx.commit(revocation(ctx, t.hash));
    return null;
  };
  return [
    { event: 'auth/token/create', pattern: /^create$/, fields: CREATE_FIELDS, ops: { update: (ctx) => createToken(ctx, false) } },
    { event: 'auth/token/create-orphan', pattern: /^create-orphan$/, fields: CREATE_FIELDS, ops: { update: (ctx) => createToken(ctx, true) } },
    { event: 'auth/token/lookup-self', pattern: /^lookup-self$/, fields: { token: 'string' }, ops: { read: self, update: self } },
    { event: 'auth/token/lookup', pattern: /^lookup$/, fields: { token: 'string' }, ops: { read: other, update: other } },
    {
      event: 'auth/token/lookup-accessor',
      pattern: /^lookup-accessor$/,
      fields: { accessor: 'string' },
      ops: {
        update: (ctx) => {
          const accessor = ctx.data.string('accessor');
          const hash = ctx.state.byAccessor.get(accessor);
          const t = hash ? ctx.state.tokens.get(hash) : undefined;
          if (accessor && accessor === ctx.caller.accessor && ctx.caller.isRoot) return { data: lookupData(undefined, ctx.caller, '', ctx.now, rootCreatedAt()) };
          if (!t || (t.expiresAt !== undefined && t.expiresAt <= ctx.now)) throw userError('invalid accessor');
          return { data: lookupData(t, ctx.caller, '', ctx.now, rootCreatedAt()) };
        },
      },
    },
    { event: 'auth/token/revoke', pattern: /^revoke$/, fields: { token: 'string' }, ops: { update: (ctx) => revoke(ctx, ctx.data.string('token')) } },
    { event: 'auth/token/revoke-self', pattern: /^revoke-self$/, fields: {}, ops: { update: (ctx) => revoke(ctx, ctx.caller.id) } },
    {
      event: 'auth/token/revoke-accessor',
      pattern: /^revoke-accessor$/,
      fields: { accessor: 'string' },
      ops: {
        update: (ctx) => {
          const hash = ctx.state.byAccessor.get(ctx.data.string('accessor'));
          if (!hash) throw userError('token not found');
          ctx.commit(revocation(ctx, hash));
          return null;
        },
      },
    },
    { event: 'auth/token/renew-self', pattern: /^renew-self$/, fields: { increment: 'duration' }, ops: { update: (ctx) => renew(ctx, ctx.caller.id, ctx.caller.record) } },
    {
      event: 'auth/token/renew',
      pattern: /^renew$/,
      fields: { token: 'string', increment: 'duration' },
      ops: {
        update: (ctx) => {
          const id = ctx.data.string('token');
          if (!id) throw userError('missing token ID');
          const t = resolve(id);
          if (!t || t === 'root') throw userError(t === 'root' ? 'lease is not renewable' : 'token not found');
          return renew(ctx, id, t);
        },
      },
    },
  ];
}
