import { defineApiStream, Type } from '@bronze/core';
import type { Account } from '../account.js';
import { gh } from '../client.js';
import { dateOf, Id, Instant } from './fields.js';

/** GET /user: the token's user (private fields too when the token may read them). */
export const UserRecord = Type.Object({ login: Type.String(), id: Id(), type: Type.String(), created_at: Instant(), updated_at: Instant() });
type User = { login: string; id: number | bigint; created_at: string };

/** Snapshot, conditional: one request, a 304 when the profile did not change. */
export const user = (account: Account) =>
  defineApiStream<User>({
    name: 'user',
    schema: UserRecord,
    id: (r) => r.id,
    timestamp: (r) => dateOf(r.created_at),
    request: () => gh('/user'),
    items: (body: User | null) => {
      if (body?.login) account.login = body.login;
      return body === null ? [] : [body];
    },
    conditional: true,
  });
