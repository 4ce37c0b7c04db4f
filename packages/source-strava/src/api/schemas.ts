import { Type } from '@bronze/core';

// Strava ids are integers; those above 2^53 arrive as exact literals (core's JsonNumber), so an
// id is checked for presence, not type. Everything else is stored as Strava sent it.
const id = Type.Unknown({ description: 'integer id (exact)' });
const loose = { additionalProperties: true };

/** GET /athlete: DetailedAthlete (developers.strava.com/docs/reference/#api-models-DetailedAthlete). */
export const AthleteRecord = Type.Object({ id, resource_state: Type.Optional(Type.Integer()) }, loose);
/** GET /athlete/activities items: SummaryActivity; GET /activities/{id}: DetailedActivity. */
export const ActivityRecord = Type.Object({ id, start_date: Type.String(), name: Type.Optional(Type.String()) }, loose);
/** GET /gear/{id}: DetailedGear (bikes "b…", shoes "g…"). */
export const GearRecord = Type.Object({ id: Type.String() }, loose);
/** GET /activities/{id}/streams?key_by_type=true: StreamSet, one member per stream type. */
export const StreamSetRecord = Type.Record(Type.String(), Type.Object({ data: Type.Array(Type.Unknown()) }, loose));
