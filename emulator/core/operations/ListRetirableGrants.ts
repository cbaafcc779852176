import { paginate, type Handler } from '../context.js';
import { grantListEntry } from '../grants.js';
import type { GrantRecord, KeyRecord } from '../store.js';

/** Lists grants, on keys in the caller's region, that name a principal as their retiring principal. https://docs.aws.amazon.com/kms/latest/APIReference/API_ListRetirableGrants.html */
export const ListRetirableGrants: Handler = (ctx, input) => {
  ctx.authorize('kms:ListRetirableGrants', undefined, { resource: '*' });
  const found: Array<[KeyRecord, GrantRecord]> = [];
  for (const p of ctx.store.partitions.values()) {
    if (p.region !== ctx.region) continue;
    for (const k of p.keys.values()) for (const g of k.grants.values()) if (g.retiringPrincipal === input.RetiringPrincipal) found.push([k, g]);
  }
  const { page, ...rest } = paginate(found, input.Limit, input.Marker, 50);
  return { Grants: page.map(([k, g]) => grantListEntry(k, g)), ...rest };
};
