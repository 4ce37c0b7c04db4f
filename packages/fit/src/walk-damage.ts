import type { SectionWalk } from './compressed-timestamps.js';
import type { FitDamage } from './decode-fit.js';

/** Where a damaged section lies in its file, and what the decoder made of its rewritten records. */
export interface DamagedSection {
  fileSize: number;
  index: number;
  /** Absolute offsets: the section's header, its data end as the header declares it. */
  offset: number;
  dataEnd: number;
  /** Messages the decoder read from the rewritten records, and its error if it stopped. */
  decoded: number;
  sdkReason?: string;
}

/**
 * The damage of a section the walk rewrote up to it (SectionWalk.rewrittenBeforeDamage: it holds
 * compressed-timestamp headers). The decoder read sealed records that end where the walk stopped,
 * so it names no damage itself: where and why come from the walk. The words follow the decoder's
 * for the same damage in a section it reads as it is ("CRC error at byte …", "the file ends at
 * byte …"), with the byte where the damaged record starts as `offset` and `record`.
 */
export function walkDamage(walk: SectionWalk, s: DamagedSection): FitDamage {
  const at = s.offset + walk.walkedTo;
  const after = `section ${s.index}, after ${s.decoded} messages`;
  // The decoder might still stop, or skip, before the damage on records it cannot read (its limits): say so, not hide it.
  const short = s.sdkReason || s.decoded < walk.dataMessages
    ? `; @garmin/fitsdk decoded ${s.decoded} of the ${walk.dataMessages} messages before it (${s.sdkReason ?? 'messages skipped without an error'})`
    : '';
  const stop = walk.stop ?? { reason: 'file-ends' };
  switch (stop.reason) {
    case 'crc': {
      const crcEnd = s.dataEnd + 2;
      return { offset: crcEnd, section: s.index, message: `CRC error at byte ${crcEnd} of ${s.fileSize} (${after})${short}` };
    }
    case 'file-ends':
      return {
        offset: s.fileSize, section: s.index,
        message: `the file ends at byte ${s.fileSize}, inside section ${s.index} (its header says the section ends at byte ${s.dataEnd + 2}), after ${s.decoded} messages${short}`,
      };
    case 'undefined-local':
      return {
        offset: at, record: at, section: s.index,
        message: `undecodable data at byte ${at} of ${s.fileSize} (${after}; the record there is a data message of local type ${stop.local}, which no definition before it declares)${short}`,
      };
    case 'record-past-end': {
      const past = s.fileSize < s.dataEnd ? 'the end of the file' : `the section's data end at byte ${s.dataEnd}`;
      return { offset: at, record: at, section: s.index, message: `record cut short at byte ${at} of ${s.fileSize} (${after}; the record there runs past ${past})${short}` };
    }
  }
}
