/** Checks shared by the rotation operations. */
import type { RequestContext } from './context.js';
import { KmsError } from './errors.js';
import type { KeyRecord } from './store.js';

/** Only symmetric encryption keys rotate; multi-Region replicas follow their primary. */
export function requireRotatable(ctx: RequestContext, key: KeyRecord): void {
  if (key.spec !== 'SYMMETRIC_DEFAULT') throw new KmsError('UnsupportedOperationException', `${key.arn} is a ${key.spec} key; only symmetric encryption keys support rotation.`);
  if (key.multiRegionType === 'REPLICA') throw new KmsError('UnsupportedOperationException', `${key.arn} is a multi-Region replica key; rotation is managed on its primary key.`);
}
