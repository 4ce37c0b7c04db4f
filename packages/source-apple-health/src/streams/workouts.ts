import { Type } from '@bronze/core';
import { elementStream } from './element-stream.js';
import { AppleDate, MetadataEntries, open, SampleSource } from './schema-parts.js';

export const WORKOUT_ID_ATTRIBUTES = ['workoutActivityType', 'sourceName', 'creationDate', 'startDate', 'endDate'] as const;

const WorkoutRoute = Type.Object(
  {
    sourceName: Type.Optional(Type.String()),
    startDate: Type.Optional(AppleDate),
    endDate: Type.Optional(AppleDate),
    MetadataEntry: Type.Optional(MetadataEntries),
    FileReference: Type.Optional(Type.Array(Type.Object({ path: Type.String() }, open))),
  },
  open,
);

export const WorkoutSchema = Type.Object(
  {
    workoutActivityType: Type.String({ minLength: 1 }),
    ...SampleSource,
    startDate: AppleDate,
    endDate: AppleDate,
    creationDate: Type.Optional(AppleDate),
    duration: Type.Optional(Type.String()),
    durationUnit: Type.Optional(Type.String()),
    MetadataEntry: Type.Optional(MetadataEntries),
    WorkoutEvent: Type.Optional(Type.Array(Type.Object({ type: Type.String(), date: Type.Optional(AppleDate) }, open))),
    WorkoutStatistics: Type.Optional(Type.Array(Type.Object({ type: Type.String() }, open))),
    WorkoutRoute: Type.Optional(Type.Array(WorkoutRoute)),
  },
  open,
);

/** `<Workout>` with its events, statistics, route references (or inline locations) and metadata. */
export const workouts = elementStream('workouts', WorkoutSchema, WORKOUT_ID_ATTRIBUTES);
