import { ConfigError, Type, type Static } from '@bronze/core';

/**
 * Google Takeout is read from export files only: no credentials. One option: what a time zone
 * abbreviation of the English HTML pages means where bronze does not read it by itself
 * (`IST`: India's, Ireland's or Israel's time), in minutes east of UTC.
 */
export const GoogleTakeoutConfig = Type.Object(
  {
    timeZones: Type.Optional(
      Type.Record(Type.String({ pattern: '^[A-Z]{2,5}$' }), Type.Integer({ minimum: -14 * 60, maximum: 14 * 60 }), {
        description: 'zone abbreviation → minutes east of UTC, e.g. {"IST": 330}',
      }),
    ),
  },
  { additionalProperties: false },
);
export type GoogleTakeoutConfig = Static<typeof GoogleTakeoutConfig>;

const ZONE_SETTING = /^([A-Z]{2,5})=([+-])(\d{1,2})(?::?(\d{2}))?$/;

/** `IST=+05:30` → ['IST', 330]; anything else is a usage error naming the flag and the form. */
export function zoneSetting(text: string): [string, number] {
  const m = ZONE_SETTING.exec(text.trim());
  const hours = m ? Number(m[3]) : NaN;
  const minutes = m ? Number(m[4] ?? 0) : NaN;
  if (!m || hours > 14 || minutes > 59 || hours * 60 + minutes > 14 * 60) {
    throw new ConfigError(`--time-zone ${JSON.stringify(text)}: write ABBREVIATION=±HH:MM, the abbreviation as the export's times end with it and its UTC offset (at most 14 hours), e.g. --time-zone IST=+05:30`);
  }
  return [m[1], (m[2] === '-' ? -1 : 1) * (hours * 60 + minutes)];
}

export function configureGoogleTakeout(_env: NodeJS.ProcessEnv, options: Record<string, unknown> = {}): GoogleTakeoutConfig {
  const given = options.timeZone;
  if (given === undefined) return {};
  const texts = Array.isArray(given) ? given.map(String) : [String(given)];
  const timeZones: Record<string, number> = {};
  for (const text of texts) {
    const [zone, minutes] = zoneSetting(text);
    if (Object.hasOwn(timeZones, zone) && timeZones[zone] !== minutes) throw new ConfigError(`--time-zone ${zone} is given twice with different offsets: pass it once`);
    timeZones[zone] = minutes;
  }
  return { timeZones };
}
