import { Int64, Type } from '@bronze/core';

/** GitHub ids are 64-bit integers: past 2^53 they reach validators as BigInt and are stored exactly. */
export const Id = () => Int64({ description: 'GitHub id (64-bit)' });
export const Instant = () => Type.String({ description: 'ISO 8601 instant, e.g. 2024-01-31T12:00:00Z' });
export const nullable = <T extends Parameters<typeof Type.Union>[0][number]>(t: T) => Type.Union([t, Type.Null()]);
/** The user objects GitHub embeds (owner, actor, user): only what identifies them is checked. */
export const UserRef = Type.Object({ login: Type.String(), id: Id() });
export const dateOf = (v: string | null | undefined) => (v ? new Date(v) : undefined);
